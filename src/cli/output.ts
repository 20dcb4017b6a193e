import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, promises as fs, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import type { RenderedFile } from '../render/types';
import { CliError } from './io';

/** Refuses a relative path that could leave its directory. */
export function assertInside(rel: string): void {
  const norm = path.posix.normalize(rel);
  if (path.isAbsolute(rel) || norm.startsWith('../') || norm === '..' || norm !== rel || rel.includes('\\') || rel.includes('\0')) {
    throw new CliError(`asmpkg: refusing to write outside the output directory: ${JSON.stringify(rel)}`, 2);
  }
}

/**
 * Writes a run's output so that OUT changes all at once or not at all: files go to a
 * staging directory beside OUT as they are rendered ({@link add}), then each top-level
 * entry (cluster directory, index.yaml) is swapped in by rename ({@link commit}). Until
 * the swap starts, a failure or signal leaves OUT exactly as it was. Entries of OUT
 * that asmpkg did not write are left alone.
 */
export class AtomicOutput {
  private staging?: string;
  private trash?: string;
  private swapping = false;
  /** Set by cleanup: the run is over or being abandoned, and nothing more is written. */
  private closed = false;
  /** Top-level entries written so far, and the secret files among them (paths relative to OUT). */
  private readonly entries = new Set<string>();
  private readonly secrets: string[] = [];
  /** Directories of staging already made, so each costs one mkdir. */
  private readonly made = new Set<string>();

  constructor(readonly outDir: string) {}

  /** Checks that OUT can be written and makes the staging directory beside it. */
  async open(): Promise<void> {
    await this.prepareParent();
    const parent = path.dirname(this.outDir);
    this.staging = await fs.mkdtemp(path.join(parent, `.${path.basename(this.outDir)}.asmpkg-new-`));
    // mkdtemp makes it 0700; it becomes OUT itself when OUT is new.
    await fs.chmod(this.staging, 0o755);
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
      writeFileSync(target, f.content, { mode });
      // The mode given to a write is filtered by the umask; secrets must be exactly 0600.
      if (f.secret) {
        chmodSync(target, mode);
        this.secrets.push(f.path);
      }
      this.entries.add(f.path.split('/')[0]);
    }
  }

  /**
   * Swaps everything added into OUT and removes `stale` entries (ones an earlier run
   * wrote that this run no longer renders). With `gitIgnoredSecrets`, first refuses
   * secrets Git would track.
   */
  async commit(stale: readonly string[], checks: { gitIgnoredSecrets: boolean }): Promise<void> {
    if (!this.staging) throw new Error('AtomicOutput.commit before open');
    if (checks.gitIgnoredSecrets) refuseTrackedSecrets(this.staging, this.outDir, this.secrets);
    await this.swapIn([...this.entries], stale);
  }

  private makeDir(dir: string, secret: boolean): void {
    if (this.made.has(dir)) return;
    mkdirSync(dir, { recursive: true, mode: secret ? 0o700 : 0o755 });
    if (secret) chmodSync(dir, 0o700);
    this.made.add(dir);
  }

  /** Removes staging and trash and ends the run's writing; safe to call at any time, also from a signal handler. */
  async cleanup(): Promise<void> {
    const dirs = [this.staging, this.trash];
    this.staging = this.trash = undefined;
    this.closed = true;
    for (const dir of dirs) if (dir) await fs.rm(dir, { recursive: true, force: true });
  }

  /** Whether OUT is being changed right now (a signal then waits for the swap to end). */
  get inSwap(): boolean {
    return this.swapping;
  }

  private async prepareParent(): Promise<void> {
    const stat = await fs.lstat(this.outDir).catch(() => undefined);
    if (stat && !stat.isDirectory()) throw new CliError(`asmpkg: --out ${this.outDir}: exists and is not a directory`, 2);
    try {
      await fs.mkdir(path.dirname(this.outDir), { recursive: true });
      await fs.access(path.dirname(this.outDir), fs.constants.W_OK);
      if (stat) await fs.access(this.outDir, fs.constants.W_OK);
    } catch (e) {
      throw new CliError(`asmpkg: --out ${this.outDir}: not writable (${(e as NodeJS.ErrnoException).code ?? 'error'})`, 2);
    }
  }

  private async swapIn(written: readonly string[], stale: readonly string[]): Promise<void> {
    const staging = this.staging!;
    const parent = path.dirname(this.outDir);
    const base = path.basename(this.outDir);
    const outExists = await fs.lstat(this.outDir).then(() => true, () => false);
    this.swapping = true;
    try {
      if (!outExists) {
        await fs.rename(staging, this.outDir);
        this.staging = undefined;
        return;
      }
      this.trash = await fs.mkdtemp(path.join(parent, `.${base}.asmpkg-old-`));
      const trash = this.trash;
      const replaced = [...written, ...stale];
      const isWritten = new Set(written);
      // What has been moved so far, to put back if a rename fails half way: the old
      // entries (with any CA key they hold) must never be lost.
      const movedOut: string[] = [];
      const movedIn: string[] = [];
      try {
        for (const name of replaced) {
          assertInside(name);
          const current = path.join(this.outDir, name);
          if (await fs.lstat(current).then(() => true, () => false)) {
            await fs.rename(current, path.join(trash, name));
            movedOut.push(name);
          }
          if (isWritten.has(name)) {
            await fs.rename(path.join(staging, name), current);
            movedIn.push(name);
          }
        }
      } catch (e) {
        for (const name of movedIn) await fs.rename(path.join(this.outDir, name), path.join(staging, name)).catch(() => undefined);
        for (const name of movedOut) await fs.rename(path.join(trash, name), path.join(this.outDir, name)).catch(() => undefined);
        throw new CliError(`asmpkg: --out ${this.outDir}: could not swap in the new output (${(e as NodeJS.ErrnoException).code ?? 'error'}); the previous output was put back`, 2);
      }
    } finally {
      this.swapping = false;
    }
    await this.cleanup();
  }
}

/**
 * Secrets must never be committed by accident: in a Git work tree each secret file must
 * be ignored (the package's own secrets/.gitignore does that, unless something overrides
 * it), and must not already be tracked (ignore rules do not apply to tracked files).
 */
function refuseTrackedSecrets(staging: string, outDir: string, secrets: readonly string[]): void {
  if (secrets.length === 0 || !insideGitWorkTree(staging)) return;
  const tracked = trackedFiles(path.dirname(outDir), secrets.map((rel) => path.join(outDir, rel)));
  if (tracked.length > 0) {
    throw new CliError(
      `asmpkg: ${tracked[0]}: a secret asmpkg writes is tracked by Git; remove it from the index ` +
        `(git rm --cached ${tracked[0]}) and keep secrets/ ignored, or render to a directory outside the repository`,
      2,
    );
  }
  for (const rel of secrets) {
    try {
      execFileSync('git', ['check-ignore', '-q', rel], { cwd: staging, stdio: 'ignore' });
    } catch {
      throw new CliError(
        `asmpkg: ${rel}: this secret would not be ignored by Git in the work tree around --out; ` +
          `add the secrets/ directories to .gitignore (or render to a directory outside the repository)`,
        2,
      );
    }
  }
}

/** Which of the given paths Git tracks (paths as given, relative to `cwd` in the output). */
function trackedFiles(cwd: string, files: readonly string[]): string[] {
  try {
    const out = execFileSync('git', ['ls-files', '-z', '--', ...files], { cwd, stdio: ['ignore', 'pipe', 'ignore'] }).toString();
    return out.split('\0').filter(Boolean);
  } catch {
    return [];
  }
}

function insideGitWorkTree(dir: string): boolean {
  try {
    return execFileSync('git', ['rev-parse', '--is-inside-work-tree'], { cwd: dir, stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim() === 'true';
  } catch {
    return false;
  }
}
