import * as path from 'node:path';
import type { Command } from 'commander';
import { CliError, CliIO } from './io';
import { environmentError } from './env-error';
import { DEFAULT_LOCK_WAIT_MS, LOCK_FILE, lockWaitMs } from './lock';
import { AtomicOutput } from './output';
import { WORK_DIR } from './swap';
import { testCheckpoints } from './test-seams';
import { isUpToDate } from './up-to-date';
import { INDEX_FILE, sha256 } from '../render/fingerprint';
import { GENERATOR, EXAMPLE_CONFIG } from './meta';
import { InputFileError, INPUT_CAPS, readTextFile } from '../util/input-file';
import { escapeControls } from '../util/text';

export interface SynthOptions {
  readonly config?: string;
  readonly out: string;
  readonly quiet?: boolean;
  /** `true` for a bare --regenerate-ca, else the names given (`all` for every cluster). */
  readonly regenerateCa?: boolean | string[];
  readonly prune?: boolean;
  readonly lockTimeout?: string;
}

export function registerSynth(program: Command, io: CliIO): void {
  program
    .command('synth')
    .description('render a package for every cluster of a config into OUT/<cluster-name>/')
    .option('-c, --config <file>', 'config file (YAML); default: the embedded example config')
    .option('-o, --out <dir>', 'output directory', 'dist')
    .option('-q, --quiet', 'print nothing but errors and warnings')
    .option(
      '--regenerate-ca [clusters...]',
      'replace the generated key material kept in OUT/<cluster>/secrets/ of the named clusters (or of every cluster: --regenerate-ca=all): ' +
        'the on-prem CAs (running workloads lose trust) and the GKE sidecar injectors\' and galleys\' serving certificates ' +
        '(re-apply secrets/sidecar-injector-certs.yaml and secrets/galley-certs.yaml); without names only for a config of one cluster',
    )
    .option('--prune', 'also delete clusters no longer in the config whose secrets/ hold key material')
    .option('--lock-timeout <seconds>', `how long to wait for another run writing OUT (default: ASMPKG_LOCK_TIMEOUT or ${DEFAULT_LOCK_WAIT_MS / 1000}); 0: do not wait`)
    .addHelpText(
      'after',
      `
Output is atomic: everything is rendered into OUT/${WORK_DIR}/ and swapped in only when
every cluster succeeded; a run killed at any point is finished by the next one, which
says so. One run writes OUT at a time (OUT/${LOCK_FILE}). A re-run with unchanged inputs
leaves OUT untouched. Key material recorded in OUT/index.yaml is never replaced unless
--regenerate-ca names its cluster: if it went missing (a fresh clone: secrets/ is
git-ignored), the run stops and says which clusters.

Exit codes: 0 success, 2 bad input or refused request (one line per problem).`,
    )
    .action(async (opts: SynthOptions) => {
      await runSynth(opts, io);
    });
}

/** Reads the config file: a regular UTF-8 file within the config cap, else one exit-2 line. */
async function readConfig(file: string, shown: string): Promise<string> {
  try {
    return await readTextFile(file, shown, { maxBytes: INPUT_CAPS.config, what: 'a config file' });
  } catch (e) {
    if (!(e instanceof InputFileError)) throw e;
    if (e.code === 'ENOENT') throw new CliError(`asmpkg: ${shown}: config file not found`, 2);
    if (e.code === 'not-regular') throw new CliError(`asmpkg: ${shown}: ${e.reason} (give a YAML config file)`, 2);
    throw new CliError(`asmpkg: ${e.message}`, 2);
  }
}

/**
 * The clusters --regenerate-ca names. New key material rotates a running mesh's trust,
 * so a bare flag (which once meant every cluster) is taken only where it cannot mean
 * more than one; otherwise the clusters are named, or `all` is asked for in so many words.
 */
export function regenerateSet(option: boolean | string[] | undefined, clusters: readonly string[], shown: string): Set<string> {
  if (option === undefined || option === false) return new Set();
  const asked = option === true ? [] : option.flatMap((v) => v.split(',')).map((v) => v.trim()).filter(Boolean);
  if (asked.length === 0) {
    if (clusters.length === 1) return new Set(clusters);
    throw new CliError(
      `asmpkg: --regenerate-ca: name the clusters whose key material to replace (e.g. --regenerate-ca ${clusters[0]}), ` +
        `or pass --regenerate-ca=all for all ${clusters.length} clusters of ${shown}`,
      2,
    );
  }
  if (asked.includes('all')) return new Set(clusters);
  const known = new Set(clusters);
  const unknown = asked.filter((name) => !known.has(name));
  if (unknown.length > 0) {
    throw new CliError(
      unknown.map((name) => `asmpkg: --regenerate-ca: ${JSON.stringify(name)} is not a cluster of ${shown} (its clusters: ${clusters.join(', ')})`).join('\n'),
      2,
    );
  }
  return new Set(asked);
}

export async function runSynth(opts: SynthOptions, io: CliIO): Promise<void> {
  const started = Date.now();
  const configFile = opts.config ? path.resolve(io.cwd, opts.config) : EXAMPLE_CONFIG;
  const shown = opts.config ?? 'example config';
  const outDir = path.resolve(io.cwd, opts.out);
  const waitMs = lockWaitMs(opts.lockTimeout, io.env);
  const text = await readConfig(configFile, shown);
  const fingerprint = sha256(`${GENERATOR}\0${text}`);

  const configDir = path.dirname(configFile);
  const upToDate = () => {
    if (!opts.quiet) io.stdout(`asmpkg: ${escapeControls(opts.out)} is up to date`);
  };
  if (!opts.regenerateCa && (await isUpToDate(outDir, fingerprint, configDir))) return upToDate();

  // The renderer loads only when there is something to render.
  const { parseFleet, renderFleet } = await import('./render-fleet');
  const { specs, delivery } = parseFleet(text, shown);
  const sealingCertificate = delivery.sealingCertificate ? await readSealingCertificate(delivery.sealingCertificate, configDir, shown) : undefined;
  const regenerate = regenerateSet(opts.regenerateCa, specs.map((s) => s.name), shown);
  const progress = opts.quiet || !io.isTTY ? undefined : (done: number, total: number) => {
    io.stderr(`\r\u001b[Krendered ${done}/${total} clusters (${((Date.now() - started) / 1000).toFixed(1)} s)`);
  };
  const output = new AtomicOutput(outDir, {
    shown: escapeControls(opts.out),
    fs: io.fs,
    checkpoint: testCheckpoints(io.env),
    notice: (line) => io.stderr(line),
    lock: {
      waitMs,
      onWait: (h) => {
        if (!opts.quiet) io.stderr(`asmpkg: ${escapeControls(opts.out)}: waiting for another asmpkg run (pid ${h.pid} on ${h.host}, since ${h.since}) to finish, up to ${waitMs / 1000} s`);
      },
      onStale: (h) => {
        if (!opts.quiet) io.stderr(`asmpkg: ${escapeControls(opts.out)}: took over the lock of a run that is gone${h ? ` (pid ${h.pid}, since ${h.since})` : ''}`);
      },
    },
  });
  const plan = await withSignalsDeferred(output, async () => {
    await output.open();
    // What the lock waited for, or recovery, may have brought OUT up to date.
    if (regenerate.size === 0 && (await isUpToDate(outDir, fingerprint, configDir))) {
      output.cleanup();
      return undefined;
    }
    const rendered = await renderFleet(specs, {
      shown,
      outDir,
      fingerprint,
      regenerate,
      prune: Boolean(opts.prune),
      configDir,
      progress,
      sink: (files) => output.add(files),
      delivery,
      sealingCertificate,
    });
    output.add([rendered.index]);
    await output.commit(rendered.stale, { gitIgnoredSecrets: true, replacedKeys: [...regenerate] });
    return rendered;
  });
  if (!plan) return upToDate();
  const replaced = plan.newKeys.filter((k) => regenerate.has(k.cluster));
  const made = plan.newKeys.filter((k) => !regenerate.has(k.cluster));
  // Replacing a CA is an operation on a running mesh: say exactly what changed.
  for (const { cluster, keys } of replaced) {
    io.stderr(`asmpkg: ${cluster}: new ${keys.join(' and ')} in ${escapeControls(opts.out)}/${cluster}/secrets/; apply it, then restart the mesh's workloads so they trust it`);
  }
  if (!opts.quiet && made.length > 0) {
    io.stdout(`asmpkg: made key material for ${made.length} cluster${made.length === 1 ? '' : 's'}; it stays in ${escapeControls(opts.out)}/<cluster>/secrets/ (never commit it) and is reused by later renders`);
  }
  if (!opts.quiet) {
    const secs = ((Date.now() - started) / 1000).toFixed(2);
    io.stdout(`asmpkg: rendered ${plan.clusters} cluster${plan.clusters === 1 ? '' : 's'} (${plan.files} files) to ${escapeControls(opts.out)}/ in ${secs} s; index: ${escapeControls(opts.out)}/${INDEX_FILE}`);
  }
}

/** Exit codes of a run ended by a signal (128 + the signal's number). */
const SIGNAL_EXIT: Readonly<Record<string, number>> = { SIGHUP: 129, SIGINT: 130, SIGTERM: 143 };

/**
 * The Sealed Secrets certificate of the config, checked once before anything is rendered
 * (RSA, in its validity period): a bad one is bad input, exit 2, OUT untouched.
 */
async function readSealingCertificate(file: string, configDir: string, shown: string): Promise<{ pem: string; input: { path: string; sha256: string } }> {
  const { sealingCertificateProblem } = await import('../gitops/sealed-secrets');
  const where = `asmpkg: ${shown}: secrets.sealingCertificate = ${JSON.stringify(file)}`;
  const full = path.resolve(configDir, file);
  // A regular UTF-8 file within the PEM cap: a FIFO or device here is refused at once.
  const pem = await readTextFile(full, file, { maxBytes: INPUT_CAPS.pem, what: 'a PEM file' }).catch((e: unknown) => {
    if (e instanceof InputFileError) throw new CliError(`${where}: ${e.reason}`, 2);
    throw e;
  });
  const problem = sealingCertificateProblem(pem);
  if (problem) throw new CliError(`${where}: ${problem}`, 2);
  return { pem, input: { path: path.relative(configDir, full), sha256: sha256(pem) } };
}

/**
 * Runs a render-and-write so that SIGINT/SIGTERM/SIGHUP leave OUT as it was and no
 * staging behind: before the swap, a signal cleans up and exits; the swap itself is
 * synchronous, so a signal is handled only after it. A failure cleans up too.
 */
async function withSignalsDeferred<T>(output: AtomicOutput, write: () => Promise<T>): Promise<T> {
  let signalled: NodeJS.Signals | undefined;
  const onSignal = (sig: NodeJS.Signals) => {
    signalled = sig;
    if (!output.inSwap && !output.committed) {
      process.stderr.write(`\nasmpkg: interrupted (${sig}); the output directory was not changed\n`);
      output.cleanup();
      process.exit(SIGNAL_EXIT[sig]);
    }
  };
  const signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
  for (const sig of signals) process.on(sig, onSignal);
  let result: T;
  try {
    result = await write();
  } catch (e) {
    output.cleanup();
    throw environmentError(e, '; the output directory was not changed') ?? e;
  } finally {
    for (const sig of signals) process.off(sig, onSignal);
  }
  if (signalled) {
    process.stderr.write(`\nasmpkg: interrupted (${signalled}) after the output directory was completely written\n`);
    process.exit(SIGNAL_EXIT[signalled]);
  }
  return result;
}
