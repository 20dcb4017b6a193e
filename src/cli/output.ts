import { execFileSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { RenderedFile } from '../render/types';
import { CliError } from './io';

const WRITE_BATCH = 64;

/** What a run writes: top-level entries of OUT (cluster directories and index.yaml). */
export interface OutputPlan {
  /** Files by top-level entry name, paths relative to OUT. */
  readonly entries: ReadonlyMap<string, readonly RenderedFile[]>;
  /** Entries an earlier run wrote that this run no longer renders (removed on success). */
  readonly stale: readonly string[];
}

/** Refuses a relative path that could leave its directory. */
export function assertInside(rel: string): void {
  const norm = path.posix.normalize(rel);
  if (path.isAbsolute(rel) || norm.startsWith('../') || norm === '..' || norm !== rel || rel.includes('\\') || rel.includes('\0')) {
    throw new CliError(`asmpkg: refusing to write outside the output directory: ${JSON.stringify(rel)}`, 2);
  }
}

/**
 * Writes a plan so that OUT changes all at once or not at all: everything is written to
 * a staging directory beside OUT, checked, then each top-level entry is swapped in by
 * rename. Until the swap starts, a failure or signal leaves OUT exactly as it was.
 * Entries of OUT that asmpkg did not write are left alone.
 */
export class AtomicOutput {
  private staging?: string;
  private trash?: string;
  private swapping = false;

  constructor(readonly outDir: string) {}

  async write(plan: OutputPlan, checks: { gitIgnoredSecrets: boolean }): Promise<void> {
    await this.prepareParent();
    const parent = path.dirname(this.outDir);
    const base = path.basename(this.outDir);
    this.staging = await fs.mkdtemp(path.join(parent, `.${base}.asmpkg-new-`));
    // mkdtemp makes it 0700; it becomes OUT itself when OUT is new.
    await fs.chmod(this.staging, 0o755);
    const files = [...plan.entries.values()].flat();
    for (const f of files) assertInside(f.path);
    // Directories first (once each), then files in parallel batches: thousands of
    // sequential awaits would leave the process idle waiting on the disk.
    const dirs = new Set(files.map((f) => path.dirname(path.join(this.staging!, f.path))));
    // A directory that holds secrets is private too, not only the files in it.
    const secretDirs = new Set(files.filter((f) => f.secret).map((f) => path.dirname(path.join(this.staging!, f.path))));
    for (const dir of [...dirs].sort()) {
      await fs.mkdir(dir, { recursive: true, mode: secretDirs.has(dir) ? 0o700 : 0o755 });
      if (secretDirs.has(dir)) await fs.chmod(dir, 0o700);
    }
    for (let i = 0; i < files.length; i += WRITE_BATCH) {
      await Promise.all(files.slice(i, i + WRITE_BATCH).map((f) => this.writeFile(this.staging!, f)));
    }
    if (checks.gitIgnoredSecrets) refuseTrackedSecrets(this.staging, this.outDir, plan);
    await this.swapIn(plan, parent, base);
  }

  /** Removes staging and trash; safe to call at any time, also from a signal handler. */
  async cleanup(): Promise<void> {
    for (const dir of [this.staging, this.trash]) if (dir) await fs.rm(dir, { recursive: true, force: true });
    this.staging = this.trash = undefined;
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

  private async writeFile(root: string, file: RenderedFile): Promise<void> {
    const target = path.join(root, file.path);
    const mode = file.mode ?? (file.secret ? 0o600 : 0o644);
    await fs.writeFile(target, file.content, { mode });
    // writeFile's mode is filtered by the umask; secrets must be exactly 0600.
    if (file.secret) await fs.chmod(target, mode);
  }

  private async swapIn(plan: OutputPlan, parent: string, base: string): Promise<void> {
    const staging = this.staging!;
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
      const replaced = [...plan.entries.keys(), ...plan.stale];
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
          if (plan.entries.has(name)) {
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
function refuseTrackedSecrets(staging: string, outDir: string, plan: OutputPlan): void {
  const secrets = [...plan.entries.values()].flat().filter((f) => f.secret).map((f) => f.path);
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
