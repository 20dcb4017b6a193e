import * as nodeFs from 'node:fs';
import * as path from 'node:path';
import { INDEX_FILE } from '../render/fingerprint';
import { CliError } from './io';
import { atPath } from './env-error';

/**
 * How a run's output replaces OUT's entries so that a process killed at any instant
 * (kill -9, out of memory, power loss) leaves a state the next run can finish.
 *
 * Everything lives in one hidden work directory inside OUT, so every rename stays on
 * OUT's file system (OUT may be a mount point):
 *
 *   OUT/.asmpkg-swap/new/           the run's entries (cluster directories, index.yaml)
 *   OUT/.asmpkg-swap/journal.json   the swap's plan, written (atomically) before the first rename
 *   OUT/.asmpkg-swap/old/           OUT's entries moved aside by the swap
 *
 * Each entry moves `OUT/name -> old/name`, then `new/name -> OUT/name`, index.yaml last.
 * Where an entry is can always be told from which of the three places hold it, so the
 * plan is all a later run needs: with a journal it rolls the swap forward (the staged
 * output is complete before the journal is written), without one the run never reached
 * OUT and its staging is dropped. Entries moved aside are deleted only after the swap
 * is complete and recorded as such.
 */

/** The work directory, inside OUT. Cluster names are DNS labels, so it never meets one. */
export const WORK_DIR = '.asmpkg-swap';
export const STAGING_DIR = 'new';
export const ASIDE_DIR = 'old';
export const JOURNAL_FILE = 'journal.json';
/** Prefix of a directory recovery keeps because it holds key material OUT no longer has. */
export const KEPT_PREFIX = '.asmpkg-kept-';

/** The file operations of writing OUT: node:fs, or a wrapper that injects failures (tests). */
export type OutputFs = Pick<
  typeof nodeFs,
  | 'chmodSync'
  | 'closeSync'
  | 'fsyncSync'
  | 'lstatSync'
  | 'mkdirSync'
  | 'openSync'
  | 'readdirSync'
  | 'readFileSync'
  | 'renameSync'
  | 'rmdirSync'
  | 'rmSync'
  | 'unlinkSync'
  | 'writeFileSync'
  | 'writeSync'
>;

/** A named point between two steps of writing OUT; tests stop the process there. */
export type Checkpoint = (step: string) => void;

export interface SwapStep {
  readonly name: string;
  /** `replace`: the run wrote it; `remove`: an earlier run's entry this run no longer renders. */
  readonly kind: 'replace' | 'remove';
}

/** The journal: what the swap does, written before it starts. */
export interface SwapPlan {
  readonly version: 1;
  readonly pid: number;
  readonly started: string;
  /** `swap`: renames may be under way; `done`: all made, only the work directory is left to remove. */
  phase: 'swap' | 'done';
  readonly steps: readonly SwapStep[];
  /**
   * Clusters whose key material the run replaced on purpose (--regenerate-ca) or removed
   * (--prune): their old keys may go. Any other key set moved aside must reappear
   * byte-identical in OUT before recovery deletes it.
   */
  readonly replacedKeys: readonly string[];
}

/** Paths of a swap in OUT. */
export class SwapDirs {
  readonly work: string;
  readonly staging: string;
  readonly aside: string;
  readonly journal: string;
  constructor(readonly out: string) {
    this.work = path.join(out, WORK_DIR);
    this.staging = path.join(this.work, STAGING_DIR);
    this.aside = path.join(this.work, ASIDE_DIR);
    this.journal = path.join(this.work, JOURNAL_FILE);
  }
}

/** Orders a swap: clusters in, stale entries out, the index last (it vouches for the rest). */
export function planSwap(written: readonly string[], stale: readonly string[], replacedKeys: readonly string[]): SwapPlan {
  const clusters = written.filter((n) => n !== INDEX_FILE);
  return {
    version: 1,
    pid: process.pid,
    started: new Date().toISOString(),
    phase: 'swap',
    steps: [
      ...clusters.map((name) => ({ name, kind: 'replace' as const })),
      ...stale.filter((n) => !written.includes(n)).map((name) => ({ name, kind: 'remove' as const })),
      ...(written.includes(INDEX_FILE) ? [{ name: INDEX_FILE, kind: 'replace' as const }] : []),
    ],
    replacedKeys: [...replacedKeys, ...stale],
  };
}

/** Writes the journal so that it exists whole or not at all. */
export function writeJournal(fs: OutputFs, dirs: SwapDirs, plan: SwapPlan): void {
  const temp = `${dirs.journal}.tmp`;
  const fd = fs.openSync(temp, 'w', 0o600);
  try {
    atPath(temp, () => {
      fs.writeSync(fd, JSON.stringify(plan) + '\n');
      fs.fsyncSync(fd);
    });
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(temp, dirs.journal);
}

export function exists(fs: OutputFs, p: string): boolean {
  try {
    fs.lstatSync(p);
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw e;
  }
}

/**
 * Makes every rename of the plan that is not yet made. Idempotent: where each entry is
 * tells what is left to do, so it serves the run itself and a run recovering after a kill.
 */
export function rollForward(fs: OutputFs, dirs: SwapDirs, plan: SwapPlan, checkpoint: Checkpoint = () => undefined): void {
  fs.mkdirSync(dirs.aside, { recursive: true, mode: 0o700 });
  for (const { name, kind } of plan.steps) {
    const staged = path.join(dirs.staging, name);
    const current = path.join(dirs.out, name);
    const aside = path.join(dirs.aside, name);
    // Already moved in (a replace whose staging is gone) or nothing left to remove.
    if (kind === 'replace' && !exists(fs, staged)) continue;
    if (exists(fs, current)) {
      if (exists(fs, aside)) throw conflict(current, aside);
      fs.renameSync(current, aside);
      checkpoint(`out:${name}`);
    }
    if (kind === 'replace') {
      fs.renameSync(staged, current);
      checkpoint(`in:${name}`);
    }
  }
}

/**
 * Undoes the renames made so far (a rename failed half way): new entries go back to
 * staging, the old ones back into OUT. Returns whether everything is back.
 */
export function rollBack(fs: OutputFs, dirs: SwapDirs, plan: SwapPlan): boolean {
  let complete = true;
  for (const { name, kind } of [...plan.steps].reverse()) {
    const staged = path.join(dirs.staging, name);
    const current = path.join(dirs.out, name);
    const aside = path.join(dirs.aside, name);
    try {
      if (kind === 'replace' && !exists(fs, staged) && exists(fs, current)) fs.renameSync(current, staged);
      if (exists(fs, aside) && !exists(fs, current)) fs.renameSync(aside, current);
    } catch {
      complete = false;
    }
  }
  return complete;
}

function conflict(current: string, aside: string): CliError {
  return new CliError(
    `asmpkg: ${current}: was written by another program during the swap (the entry it replaced is in ${aside}); ` +
      `move one of the two away, then run asmpkg synth again to finish`,
    2,
  );
}

/** Reads a journal; a damaged one is a refusal, as its leftovers may hold keys. */
export function readJournal(fs: OutputFs, dirs: SwapDirs): SwapPlan {
  let plan: Partial<SwapPlan> | undefined;
  try {
    plan = JSON.parse(fs.readFileSync(dirs.journal, 'utf8')) as Partial<SwapPlan>;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code && (e as NodeJS.ErrnoException).syscall) throw e;
  }
  const valid =
    plan?.version === 1 &&
    (plan.phase === 'swap' || plan.phase === 'done') &&
    Array.isArray(plan.steps) &&
    plan.steps.every((s) => typeof s?.name === 'string' && safeName(s.name) && (s.kind === 'replace' || s.kind === 'remove')) &&
    Array.isArray(plan.replacedKeys);
  if (!valid) {
    throw new CliError(
      `asmpkg: ${dirs.journal}: the record of an interrupted swap cannot be read; ${dirs.work} may hold key material: ` +
        `restore what you need from it, then remove it`,
      2,
    );
  }
  return plan as SwapPlan;
}

/** A journal names top-level entries of OUT only. */
function safeName(name: string): boolean {
  return name !== '' && name !== '.' && name !== '..' && !name.includes('/') && !name.includes('\\') && !name.includes('\0');
}

/** Removes the work directory once the swap is complete (or never started). */
export function removeWork(fs: OutputFs, dirs: SwapDirs, checkpoint: Checkpoint = () => undefined): void {
  fs.rmSync(dirs.staging, { recursive: true, force: true });
  fs.rmSync(dirs.aside, { recursive: true, force: true });
  checkpoint('cleaned');
  fs.rmSync(dirs.work, { recursive: true, force: true });
}

/**
 * Before anything else a run does in OUT (under its lock): finishes the swap of a run
 * that was killed, or drops the staging of one killed before its swap. Returns the one
 * line saying what was done, or undefined when there was nothing to do.
 */
export function recoverInterrupted(fs: OutputFs, dirs: SwapDirs, shown: string): string | undefined {
  if (!exists(fs, dirs.work)) return undefined;
  if (!exists(fs, dirs.journal)) {
    // The journal is written before anything is moved aside: without it, nothing was.
    if (exists(fs, dirs.aside) && fs.readdirSync(dirs.aside).length > 0) {
      throw new CliError(
        `asmpkg: ${dirs.aside}: holds entries moved out of ${shown} by an interrupted run, but no record of its swap; ` +
          `it may hold key material: restore what you need from it, then remove ${dirs.work}`,
        2,
      );
    }
    fs.rmSync(dirs.work, { recursive: true, force: true });
    return `asmpkg: ${shown}: removed the staging of an interrupted run; it had not changed ${shown} yet`;
  }
  const plan = readJournal(fs, dirs);
  const finished = plan.phase === 'swap';
  if (finished) {
    rollForward(fs, dirs, plan);
    plan.phase = 'done';
    writeJournal(fs, dirs, plan);
  }
  const kept = keepUnmatchedKeys(fs, dirs, plan);
  removeWork(fs, dirs);
  const what = finished
    ? `finished the swap of an interrupted run (pid ${plan.pid}, started ${plan.started}): ${shown} now holds its output`
    : `removed what an interrupted run (pid ${plan.pid}, started ${plan.started}) left after its swap had finished`;
  return `asmpkg: ${shown}: ${what}${kept ? `; kept ${kept.dir}: it holds key material ${shown} no longer has (${kept.files.slice(0, 3).join(', ')}${kept.files.length > 3 ? ', ...' : ''}): restore what you need from it, then remove it` : ''}`;
}

/**
 * Entries moved aside are deleted only if every key file among them is in OUT again,
 * byte for byte, or belongs to a cluster the run replaced or removed on purpose. Anything
 * else (which no asmpkg run should ever leave) is kept in a directory of its own.
 */
function keepUnmatchedKeys(fs: OutputFs, dirs: SwapDirs, plan: SwapPlan): { dir: string; files: string[] } | undefined {
  if (!exists(fs, dirs.aside)) return undefined;
  const replaced = new Set(plan.replacedKeys);
  const unmatched: string[] = [];
  for (const name of fs.readdirSync(dirs.aside)) {
    if (replaced.has(name)) continue;
    const secrets = path.join(dirs.aside, name, 'secrets');
    for (const rel of filesBelow(fs, secrets)) {
      const now = path.join(dirs.out, name, 'secrets', rel);
      const before = fs.readFileSync(path.join(secrets, rel));
      const after = exists(fs, now) ? fs.readFileSync(now) : undefined;
      if (!after || !after.equals(before)) unmatched.push(`${name}/secrets/${rel}`);
    }
  }
  if (unmatched.length === 0) return undefined;
  const dir = path.join(dirs.out, `${KEPT_PREFIX}${new Date().toISOString().replace(/[:.]/g, '-')}`);
  fs.renameSync(dirs.aside, dir);
  return { dir, files: unmatched };
}

/** Files below `dir` (relative POSIX paths, symlinks included); none when it does not exist or is no directory. */
export function filesBelow(fs: OutputFs, dir: string): string[] {
  let stat: nodeFs.Stats;
  try {
    stat = fs.lstatSync(dir);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT' || (e as NodeJS.ErrnoException).code === 'ENOTDIR') return [];
    throw e;
  }
  if (!stat.isDirectory()) return [];
  const found: string[] = [];
  const walk = (abs: string, rel: string) => {
    for (const entry of fs.readdirSync(abs, { withFileTypes: true })) {
      const childRel = rel ? `${rel}/${entry.name}` : entry.name;
      if (entry.isDirectory()) walk(path.join(abs, entry.name), childRel);
      else found.push(childRel);
    }
  };
  walk(dir, '');
  return found.sort();
}
