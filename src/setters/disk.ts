import * as fs from 'fs';
import * as path from 'path';
import { applySetters } from './apply';
import { PackageFile, SetOptions, SetOutcome } from './types';

/** Files setters read: YAML, Kptfiles, and `.krmignore` (which says what is not package content). */
const WANTED = /^(Kptfile|\.krmignore|.*\.ya?ml)$/;

/** Reads the files of a package tree as POSIX paths relative to `dir`. Hidden directories and symlinks are skipped. */
export function readPackageDir(dir: string): PackageFile[] {
  const out: PackageFile[] = [];
  const walk = (abs: string, rel: string): void => {
    const entries = fs.readdirSync(abs, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1));
    for (const e of entries) {
      const childRel = rel ? `${rel}/${e.name}` : e.name;
      const childAbs = path.join(abs, e.name);
      if (e.isDirectory()) {
        if (!e.name.startsWith('.') && e.name !== 'node_modules') walk(childAbs, childRel);
      } else if (e.isFile() && WANTED.test(e.name)) {
        out.push({ path: childRel, content: fs.readFileSync(childAbs, 'utf8') });
      }
    }
  };
  walk(dir, '');
  return out;
}

/**
 * Writes files so that a reader never sees a half-written file: each goes to a
 * temporary file in its own directory (same file system), keeping the old mode, and
 * is renamed over the original only after every temporary file was written.
 */
export function writeFilesAtomically(dir: string, files: readonly PackageFile[]): void {
  const staged: { tmp: string; dest: string }[] = [];
  try {
    for (const f of files) {
      const dest = path.join(dir, ...f.path.split('/'));
      const tmp = path.join(path.dirname(dest), `.${path.basename(dest)}.asmpkg-${process.pid}-${staged.length}.tmp`);
      const mode = fs.existsSync(dest) ? fs.statSync(dest).mode & 0o777 : 0o644;
      fs.writeFileSync(tmp, f.content, { mode, flag: 'wx' });
      staged.push({ tmp, dest });
    }
  } catch (err) {
    for (const s of staged) fs.rmSync(s.tmp, { force: true });
    throw err;
  }
  for (const s of staged) fs.renameSync(s.tmp, s.dest);
}

export interface DiskSetOptions extends SetOptions {
  /** Compute and report changes without writing. */
  readonly dryRun?: boolean;
}

/** `asmpkg set DIR`: applies setters to the packages under `dir`; writes only when there is no problem. */
export function setPackageDir(dir: string, options: DiskSetOptions = {}): SetOutcome {
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) {
    return { files: [], changed: [], changes: [], problems: [{ message: `${dir} is not a directory` }], warnings: [] };
  }
  const outcome = applySetters(readPackageDir(dir), options);
  if (outcome.problems.length === 0 && !options.dryRun && outcome.changed.length > 0) {
    const changed = new Set(outcome.changed);
    writeFilesAtomically(
      dir,
      outcome.files.filter((f) => changed.has(f.path)),
    );
  }
  return outcome;
}
