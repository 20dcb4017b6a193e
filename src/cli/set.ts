import { statSync } from 'node:fs';
import * as path from 'node:path';
import type { Command } from 'commander';
import { formatSetterProblem, NO_KPTFILE, parseAssignments, setPackageDir, summariseValue } from '../setters';
import type { CommitHooks, Recovery } from '../setters';
import { InputFileError } from '../util/input-file';
import { escapeControls } from '../util/text';
import { CliError, CliIO } from './io';
import { lockWaitMs, withDirLock } from './lock';

/** Every stderr line starts with this, as `main` prints errors. */
const PREFIX = 'asmpkg: ';

interface SetCommandOptions {
  dryRun?: boolean;
  lockTimeout?: string;
}

const HELP_AFTER = `
Formats:
  kpt v0   Kptfile kpt.dev/v1alpha1 with openAPI setters; fields carry
           # {"$ref":"#/definitions/io.k8s.cli.setters.NAME"} (or a substitution).
           NAME may be the definition's name or its key suffix.
  inline   early-2020 packages: # {"x-kustomize":{"setter":...}} / partialSetters.
  kpt v1   Kptfile kpt.dev/v1 with an apply-setters mutator; fields carry
           # kpt-set: \${name}. NAME=VALUE updates the function's ConfigMap, then
           the package is rendered with it. List values: env=[prod, dev].

Without NAME=VALUE the packages are re-rendered from the values they record.
KPT_SET_<NAME>=VALUE in the environment sets the setter named lower-case NAME,
as kpt does; NAME=VALUE arguments win. Nothing is written if any problem is found.
Empty values are refused. The well-known ASM setters take only values ASM can
install with, checked with the config's rules on the whole resulting state of
each package (the values given and those the Kptfile or setters.yaml record, hand
edits included): gcloud.core.project, gcloud.project.projectNumber, cluster-name,
gcloud.compute.zone (a 2020 GCP zone or region) and gcloud.compute.region (its
region; set from the zone when only the zone is given), gcloud.compute.network/
subnetwork, gcloud.container.cluster.releaseChannel (RAPID, REGULAR, STABLE),
nodeCount (at least 4), maxNodes (at least nodeCount), anthos.servicemesh.hub (a
registry path) and .tag, gcloud.core.account (an email), ingress.loadBalancerIP
(IPv4). Placeholders the package came with are not checked until set.

Examples:
  asmpkg set packages/gke gcloud.core.project=my-proj gcloud.project.projectNumber=1234567890
  asmpkg set packages/gke maxNodes=6 --dry-run
  asmpkg set my-v1-package tag=1.16.2 env=[prod,dev]`;

/** Adds `asmpkg set DIR [NAME=VALUE...] [--dry-run]`; all logic lives in src/setters. */
export function registerSet(program: Command, io: CliIO): void {
  program
    .command('set')
    .summary('set kpt setter values in package directories')
    .description(
      'Set kpt-style setters in the packages under DIR, editing only the changed fields ' +
        '(comments and formatting are kept; unchanged files stay byte-identical).',
    )
    .argument('<dir>', 'package directory (a Kptfile there or in directories below)')
    .argument('[assignments...]', 'NAME=VALUE pairs')
    .option('--dry-run', 'print the fields that would change and write nothing')
    .option('--lock-timeout <seconds>', 'how long to wait for another asmpkg run on the same DIR (default 60; or ASMPKG_LOCK_TIMEOUT)')
    .addHelpText('after', HELP_AFTER)
    .action(async (dir: string, assignments: string[], options: SetCommandOptions) => {
      await runSet(dir, assignments, options, io);
    });
}

async function runSet(dir: string, assignments: readonly string[], options: SetCommandOptions, io: CliIO): Promise<void> {
  const root = path.resolve(io.cwd, dir);
  const display = (file: string): string => path.join(dir, ...file.split('/'));
  const parsed = parseAssignments(assignments);
  const lines = parsed.problems.map((p) => `${PREFIX}${formatSetterProblem(p)}`);
  const waitMs = lockWaitMs(options.lockTimeout, io.env);
  const onRecovery = (r: Recovery): void => io.stderr(escapeControls(recoveryLine(dir, r)));
  const set = () => setPackageDir(root, { values: parsed.values, env: io.env, dryRun: options.dryRun, onRecovery, hooks: crashHooks(io.env) });
  let outcome;
  try {
    if (lines.length > 0) outcome = undefined;
    // A dry run writes nothing and a missing DIR is reported by setPackageDir: no lock.
    else if (options.dryRun || !isDirectory(root)) outcome = set();
    else {
      // One set at a time per package: the second waits (or gives up naming the holder), then
      // reads what the first wrote, so no update is lost. Recovery of an interrupted set runs under it too.
      outcome = await withDirLock(root, async () => set(), {
        waitMs,
        shown: dir,
        command: 'set',
        onWait: (h) => io.stderr(`${PREFIX}${dir}: waiting for another asmpkg${h.command ? ` ${h.command}` : ''} run (pid ${h.pid} on ${h.host}) to finish`),
        onStale: (h) => io.stderr(`${PREFIX}${dir}: took over the lock of an asmpkg run that is gone${h ? ` (pid ${h.pid})` : ''}`),
      });
    }
  } catch (e) {
    if (e instanceof InputFileError) throw new CliError(`${PREFIX}${display(e.file)}: ${e.reason}`, 2);
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') {
      throw new CliError(`${PREFIX}${dir}: not writable (${code}); asmpkg set changes the package in place (use --dry-run to see the changes)`, 2);
    }
    throw e;
  }
  if (outcome?.problems.length === 1 && outcome.problems[0].message === NO_KPTFILE) {
    // one clear line: DIR is no kpt package at all (an empty or mistyped directory)
    throw new CliError(`${PREFIX}${dir}: ${NO_KPTFILE}`, 2);
  }
  // a problem in no particular file (e.g. an unknown setter among several packages) is about DIR
  for (const p of outcome?.problems ?? []) lines.push(`${PREFIX}${formatSetterProblem({ ...p, file: p.file ?? '' }, display)}`);
  for (const w of outcome?.warnings ?? []) io.stderr(escapeControls(`${PREFIX}warning: ${w}`));
  if (lines.length > 0) {
    const count = `${lines.length} problem${lines.length === 1 ? '' : 's'}`;
    throw new CliError([...lines, `${PREFIX}nothing was changed (${count})`].join('\n'), 2);
  }
  const { changes, changed } = outcome!;
  for (const c of changes) {
    // values are summarised: a long or multi-line field (the injector template) is not dumped
    const before = c.before ? summariseValue(c.before) : '(none)';
    // Escaped: file names, fields and values come from the package and the command line.
    io.stdout(escapeControls(`${options.dryRun ? 'would set ' : ''}${display(c.file)}:${c.line}: ${c.field}: ${before} -> ${summariseValue(c.after)} [${c.setters.join(', ')}]`));
  }
  const fields = changes.length;
  io.stdout(
    options.dryRun
      ? `dry run: ${fields} change(s) in ${changed.length} file(s); nothing written`
      : `set ${fields} change(s) in ${changed.length} file(s)`,
  );
}

/** What was done about a set interrupted earlier, in one line. */
function recoveryLine(dir: string, r: Recovery): string {
  if (r.journal) {
    return `${PREFIX}${dir}: finished a set that was interrupted after it was committed (${r.finished.length} file(s) replaced now${r.removed.length > 0 ? `, ${r.removed.length} stray temporary file(s) removed` : ''})`;
  }
  return `${PREFIX}${dir}: rolled back a set that was interrupted before it was committed (${r.removed.length} temporary file(s) removed; the files are as they were)`;
}

/**
 * Test seam: ASMPKG_TEST_SET_CRASH=temporary:N, journal or rename:N kills the process
 * (SIGKILL, as a power loss or the OOM killer would) at that point of the commit, so
 * tests can check the next run's recovery without depending on timing.
 */
function crashHooks(env: NodeJS.ProcessEnv): CommitHooks | undefined {
  const spec = env.ASMPKG_TEST_SET_CRASH;
  if (!spec) return undefined;
  const [at, n] = spec.split(':');
  const crash = (): never => {
    process.kill(process.pid, 'SIGKILL');
    throw new Error('unreachable');
  };
  return {
    afterTemporary: (i) => (at === 'temporary' && i === Number(n) ? crash() : undefined),
    afterJournal: () => (at === 'journal' ? crash() : undefined),
    afterRename: (i) => (at === 'rename' && i === Number(n) ? crash() : undefined),
  };
}

function isDirectory(p: string): boolean {
  return statSync(p, { throwIfNoEntry: false })?.isDirectory() ?? false;
}
