import * as nodeFs from 'node:fs';
import * as path from 'node:path';
import type { RenderedFile } from '../render/types';
import { atPath, environmentError, errnoCause, isEnvironmentError } from './env-error';
import { refuseTrackedSecrets } from './git-secrets';
import { CliError } from './io';
import { acquireDirLock, DirLock, LockOptions } from './lock';
import { PACKAGE_DIRS } from '../catalog/layout';
import { Checkpoint, exists, filesBelow, OutputFs, planSwap, recoverInterrupted, removeWork, rollBack, rollForward, SwapDirs, writeJournal } from './swap';

export type { OutputFs } from './swap';

/** Refuses a relative path that could leave its directory. */
export function assertInside(rel: string): void {
  const norm = path.posix.normalize(rel);
  if (path.isAbsolute(rel) || norm.startsWith('../') || norm === '..' || norm !== rel || rel.includes('\\') || rel.includes('\0')) {
    throw new CliError(`asmpkg: refusing to write outside the output directory: ${JSON.stringify(rel)}`, 2);
  }
}

export interface OutputOptions {
  /** How OUT is named in messages (default: its path). */
  readonly shown?: string;
  /** File operations (tests inject failures); default node:fs. */
  readonly fs?: OutputFs;
  /** Called between the steps of writing OUT (tests stop the process there); see test-seams.ts. */
  readonly checkpoint?: Checkpoint;
  /** How long to wait for another run's lock on OUT, and what to say meanwhile. */
  readonly lock?: LockOptions;
  /** Takes lines for stderr: what recovery did, leftovers of older versions. */
  readonly notice?: (line: string) => void;
}

/**
 * Writes a run's output so that OUT changes all at once or not at all, and so that a
 * run killed at any point is finished by the next one (see swap.ts): {@link open} locks
 * OUT and recovers an interrupted run; files go to a staging directory inside OUT as
 * they are rendered ({@link add}); {@link commit} swaps them in. Until the swap starts, a
 * failure or signal leaves OUT exactly as it was. Entries of OUT that asmpkg did not
 * write are left alone.
 */
export class AtomicOutput {
  private readonly fs: OutputFs;
  private readonly dirs: SwapDirs;
  private readonly checkpoint: Checkpoint;
  private lock?: DirLock;
  /** OUT did not exist: a run that fails removes it again. */
  private createdOut = false;
  private staging?: string;
  private swapping = false;
  /** Set by cleanup: the run is over or being abandoned, and nothing more is written. */
  private closed = false;
  private done = false;
  /** Top-level entries written so far, and the secret files among them (paths relative to OUT). */
  private readonly entries = new Set<string>();
  private readonly secrets: string[] = [];
  /** Directories of staging already made, so each costs one mkdir. */
  private readonly made = new Set<string>();

  constructor(
    readonly outDir: string,
    private readonly options: OutputOptions = {},
  ) {
    this.fs = options.fs ?? nodeFs;
    this.dirs = new SwapDirs(outDir);
    this.checkpoint = options.checkpoint ?? (() => undefined);
  }

  private get shown(): string {
    return this.options.shown ?? this.outDir;
  }

  /**
   * Makes OUT if needed, takes its lock (waiting for another run, or exit 2 naming it),
   * finishes or drops what an interrupted run left, and makes the staging directory.
   */
  async open(): Promise<void> {
    try {
      const stat = this.lstat(this.outDir);
      if (stat && !stat.isDirectory()) throw new CliError(`asmpkg: --out ${this.outDir}: exists and is not a directory`, 2);
      if (!stat) {
        this.fs.mkdirSync(this.outDir, { recursive: true });
        this.createdOut = true;
      }
    } catch (e) {
      if (!isEnvironmentError(e)) throw e;
      throw new CliError(`asmpkg: --out ${this.outDir}: not writable: ${errnoCause(e)}`, 2);
    }
    this.lock = await acquireDirLock(this.outDir, { command: 'synth', shown: this.shown, ...this.options.lock });
    if (this.closed) return this.cleanup();
    this.checkpoint('locked');
    const recovered = recoverInterrupted(this.fs, this.dirs, this.shown);
    if (recovered) this.options.notice?.(recovered);
    for (const line of olderLeftovers(this.outDir)) this.options.notice?.(line);
    // 0700: the staging holds key material.
    this.fs.mkdirSync(this.dirs.work, { mode: 0o700 });
    this.fs.mkdirSync(this.dirs.staging, { mode: 0o755 });
    this.staging = this.dirs.staging;
  }

  /**
   * Writes files (paths relative to OUT) into staging. Synchronous on purpose: a fleet's
   * clusters are written one by one as the workers finish them, so the writes overlap
   * rendering; the asynchronous API would queue every write on libuv's small thread
   * pool, which the workers' key generation shares, and cost a thread hop per call.
   */
  add(files: readonly RenderedFile[]): void {
    // Workers still finishing after a signal or a failure must not recreate staging.
    if (this.closed) return;
    const staging = this.staging;
    if (!staging) throw new Error('AtomicOutput.add before open');
    for (const f of files) assertInside(f.path);
    // A directory that holds secrets is private too, not only the files in it.
    const secretDirs = new Set(files.filter((f) => f.secret).map((f) => path.dirname(f.path)));
    for (const f of files) {
      const target = path.join(staging, f.path);
      this.makeDir(path.dirname(target), secretDirs.has(path.dirname(f.path)));
      const mode = f.mode ?? (f.secret ? 0o600 : 0o644);
      atPath(target, () => this.fs.writeFileSync(target, f.content, { mode }));
      // The mode given to a write is filtered by the umask; secrets must be exactly 0600.
      if (f.secret) {
        this.fs.chmodSync(target, mode);
        this.secrets.push(f.path);
      }
      this.entries.add(f.path.split('/')[0]);
    }
  }

  /**
   * Swaps everything added into OUT and removes `stale` entries (ones an earlier run
   * wrote that this run no longer renders). `replacedKeys` names the clusters whose key
   * material the run replaced on purpose. With `gitIgnoredSecrets`, first refuses
   * secrets Git would track.
   */
  async commit(stale: readonly string[], checks: { gitIgnoredSecrets: boolean; replacedKeys?: readonly string[] }): Promise<void> {
    if (!this.staging) throw new Error('AtomicOutput.commit before open');
    this.checkpoint('staged');
    if (checks.gitIgnoredSecrets) {
      const stagedRel = path.relative(this.outDir, this.staging);
      refuseTrackedSecrets(this.outDir, this.secrets, (rel) => path.posix.join(stagedRel, rel));
    }
    this.refuseDroppingSecrets();
    const plan = planSwap([...this.entries], stale, checks.replacedKeys ?? []);
    // Synchronous from here to the end: a signal is handled only once the swap is complete.
    this.swapping = true;
    try {
      writeJournal(this.fs, this.dirs, plan);
      this.checkpoint('journal');
      try {
        rollForward(this.fs, this.dirs, plan, this.checkpoint);
      } catch (e) {
        throw this.swapFailed(e, plan);
      }
      this.checkpoint('swapped');
      plan.phase = 'done';
      writeJournal(this.fs, this.dirs, plan);
      this.checkpoint('done');
      this.staging = undefined;
      this.done = true;
      removeWork(this.fs, this.dirs, this.checkpoint);
    } finally {
      this.swapping = false;
    }
    this.closed = true;
    this.releaseLock();
  }

  /** A rename of the swap failed: put the previous output back if possible, and say which it was. */
  private swapFailed(e: unknown, plan: ReturnType<typeof planSwap>): unknown {
    if (rollBack(this.fs, this.dirs, plan)) {
      try {
        this.fs.rmSync(this.dirs.journal, { force: true });
      } catch {
        // the staging is dropped by cleanup, or by the next run
      }
      return environmentError(e, `; the previous output was put back`) ?? e;
    }
    this.staging = undefined; // cleanup must not remove the journal and what it records
    this.closed = true;
    this.releaseLock();
    return (
      environmentError(e, `; the swap into ${this.shown} is unfinished: the next asmpkg synth into it finishes it`) ??
      (e instanceof CliError ? e : new CliError(`asmpkg: ${this.shown}: the swap failed (${(e as Error).message}); the next asmpkg synth into it finishes it`, 2))
    );
  }

  /**
   * A cluster's directory is replaced whole; a file in its secrets/ that this run does not
   * write again (a key put there by hand, one of a set the cluster no longer uses) would
   * go with it. Refused, naming each, before anything changes.
   */
  private refuseDroppingSecrets(): void {
    const lines: string[] = [];
    for (const name of [...this.entries].sort()) {
      const secrets = path.join(this.outDir, name, PACKAGE_DIRS.secrets);
      for (const rel of filesBelow(this.fs, secrets)) {
        if (!exists(this.fs, path.join(this.staging!, name, PACKAGE_DIRS.secrets, rel))) {
          lines.push(
            `asmpkg: ${path.join(secrets, rel)}: asmpkg does not write this file, and replacing ${name}'s package would delete it; ` +
              `move it out of ${this.shown} first`,
          );
        }
      }
    }
    if (lines.length > 0) throw new CliError(lines.join('\n'), 2);
  }

  private makeDir(dir: string, secret: boolean): void {
    if (this.made.has(dir)) return;
    this.fs.mkdirSync(dir, { recursive: true, mode: secret ? 0o700 : 0o755 });
    if (secret) this.fs.chmodSync(dir, 0o700);
    this.made.add(dir);
  }

  /**
   * Drops the staging, releases the lock and, if this run made OUT, removes it again;
   * ends the run's writing. Safe to call at any time, also from a signal handler; leaves
   * a started swap to the next run.
   */
  cleanup(): void {
    this.closed = true;
    if (this.swapping) return;
    if (this.staging) {
      try {
        this.fs.rmSync(this.dirs.work, { recursive: true, force: true });
      } catch {
        // what is left is dropped by the next run, which says so
      }
      this.staging = undefined;
    }
    this.releaseLock();
    if (this.createdOut) {
      try {
        this.fs.rmdirSync(this.outDir);
      } catch {
        // not empty: another run has started in it
      }
    }
  }

  /** Whether the swap is complete: OUT holds this run's output. */
  get committed(): boolean {
    return this.done;
  }

  /** Whether OUT is being changed right now (a signal then waits for the swap to end). */
  get inSwap(): boolean {
    return this.swapping;
  }

  private releaseLock(): void {
    this.lock?.release();
    this.lock = undefined;
  }

  private lstat(p: string): nodeFs.Stats | undefined {
    try {
      return this.fs.lstatSync(p);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw e;
    }
  }
}

/**
 * Earlier versions of asmpkg staged beside OUT (`.OUT.asmpkg-new-*`) and moved replaced
 * entries there too (`.OUT.asmpkg-old-*`); a killed run left them, sometimes with the
 * only copy of a key. They are named on every render, never touched.
 */
function olderLeftovers(outDir: string): string[] {
  const parent = path.dirname(outDir);
  const prefix = `.${path.basename(outDir)}.asmpkg-`;
  let names: string[];
  try {
    names = nodeFs.readdirSync(parent).filter((n) => n.startsWith(prefix) && /^(new|old)-/.test(n.slice(prefix.length)));
  } catch {
    return [];
  }
  return names.sort().map(
    (n) =>
      `asmpkg: warning: ${path.join(parent, n)} was left by an interrupted run of an earlier asmpkg and may hold key material: ` +
      `restore what you need from it, then remove it`,
  );
}
