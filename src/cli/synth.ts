import * as path from 'node:path';
import type { Command } from 'commander';
import { CliError, CliIO } from './io';
import { AtomicOutput } from './output';
import { isUpToDate } from './up-to-date';
import { INDEX_FILE, sha256 } from '../render/fingerprint';
import { GENERATOR, EXAMPLE_CONFIG } from './meta';
import { InputFileError, INPUT_CAPS, readTextFile } from '../util/input-file';
import { escapeControls } from '../util/text';

export interface SynthOptions {
  readonly config?: string;
  readonly out: string;
  readonly quiet?: boolean;
  readonly regenerateCa?: boolean;
  readonly prune?: boolean;
}

export function registerSynth(program: Command, io: CliIO): void {
  program
    .command('synth')
    .description('render a package for every cluster of a config into OUT/<cluster-name>/')
    .option('-c, --config <file>', 'config file (YAML); default: the embedded example config')
    .option('-o, --out <dir>', 'output directory', 'dist')
    .option('-q, --quiet', 'print nothing but errors')
    .option(
      '--regenerate-ca',
      'replace the generated key material kept in OUT/<cluster>/secrets/: the on-prem CAs (running workloads lose trust) ' +
        "and the GKE sidecar injectors' and galleys' serving certificates (re-apply secrets/sidecar-injector-certs.yaml and secrets/galley-certs.yaml)",
    )
    .option('--prune', 'also delete clusters no longer in the config whose secrets/ hold key material')
    .addHelpText(
      'after',
      `
Output is atomic: everything is rendered beside OUT and swapped in only when every
cluster succeeded. A re-run with unchanged inputs leaves OUT untouched.

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

export async function runSynth(opts: SynthOptions, io: CliIO): Promise<void> {
  const started = Date.now();
  const configFile = opts.config ? path.resolve(io.cwd, opts.config) : EXAMPLE_CONFIG;
  const shown = opts.config ?? 'example config';
  const outDir = path.resolve(io.cwd, opts.out);
  const text = await readConfig(configFile, shown);
  const fingerprint = sha256(`${GENERATOR}\0${text}`);

  const configDir = path.dirname(configFile);
  if (!opts.regenerateCa && (await isUpToDate(outDir, fingerprint, configDir))) {
    if (!opts.quiet) io.stdout(`asmpkg: ${escapeControls(opts.out)} is up to date`);
    return;
  }

  // The renderer loads only when there is something to render.
  const { parseFleet, renderFleet } = await import('./render-fleet');
  const { specs, delivery } = parseFleet(text, shown);
  const sealingCertificate = delivery.sealingCertificate ? await readSealingCertificate(delivery.sealingCertificate, configDir, shown) : undefined;
  const progress = opts.quiet || !io.isTTY ? undefined : (done: number, total: number) => {
    io.stderr(`\r\u001b[Krendered ${done}/${total} clusters (${((Date.now() - started) / 1000).toFixed(1)} s)`);
  };
  const output = new AtomicOutput(outDir);
  const plan = await withSignalsDeferred(output, async () => {
    await output.open();
    const rendered = await renderFleet(specs, {
      shown,
      outDir,
      fingerprint,
      regenerateCa: Boolean(opts.regenerateCa),
      prune: Boolean(opts.prune),
      configDir,
      progress,
      sink: (files) => output.add(files),
      delivery,
      sealingCertificate,
    });
    output.add([rendered.index]);
    await output.commit(rendered.stale, { gitIgnoredSecrets: true });
    return rendered;
  });
  if (opts.regenerateCa) {
    // Replacing a CA is an operation on a running mesh: say exactly what changed.
    for (const { cluster, keys } of plan.newKeys) {
      io.stderr(`asmpkg: ${cluster}: new ${keys.join(' and ')} in ${escapeControls(opts.out)}/${cluster}/secrets/; apply it, then restart the mesh's workloads so they trust it`);
    }
  } else if (!opts.quiet && plan.newKeys.length > 0) {
    io.stdout(`asmpkg: made key material for ${plan.newKeys.length} cluster${plan.newKeys.length === 1 ? '' : 's'}; it stays in ${escapeControls(opts.out)}/<cluster>/secrets/ (never commit it) and is reused by later renders`);
  }
  if (!opts.quiet) {
    const secs = ((Date.now() - started) / 1000).toFixed(2);
    io.stdout(`asmpkg: rendered ${plan.clusters} cluster${plan.clusters === 1 ? '' : 's'} (${plan.files} files) to ${escapeControls(opts.out)}/ in ${secs} s; index: ${escapeControls(opts.out)}/${INDEX_FILE}`);
  }
}

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
 * Runs a render-and-write so that SIGINT/SIGTERM leave OUT as it was and no staging
 * directories behind: before the swap, a signal cleans up and exits; during the swap
 * (a handful of renames), it waits for the swap to finish. A failure cleans up too.
 */
async function withSignalsDeferred<T>(output: AtomicOutput, write: () => Promise<T>): Promise<T> {
  let signalled: NodeJS.Signals | undefined;
  const onSignal = (sig: NodeJS.Signals) => {
    signalled = sig;
    if (!output.inSwap) {
      process.stderr.write(`\nasmpkg: interrupted (${sig}); the output directory was not changed\n`);
      void output.cleanup().finally(() => process.exit(sig === 'SIGINT' ? 130 : 143));
    }
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  let result: T;
  try {
    result = await write();
  } catch (e) {
    await output.cleanup();
    throw e;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
  if (signalled) process.exit(signalled === 'SIGINT' ? 130 : 143);
  return result;
}
