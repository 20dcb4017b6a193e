import * as fs from 'fs';
import * as path from 'path';
import { InputFileError, INPUT_CAPS, readTextFileSync } from '../util/input-file';
import { applySetters } from './apply';
import { PackageFile, SetOptions, SetOutcome, SetterProblem } from './types';

/** Files setters read: YAML, Kptfiles, and `.krmignore` (which says what is not package content). */
const WANTED = /^(Kptfile|\.krmignore|.*\.ya?ml)$/;

/** Temporaries of `set` (`.NAME.asmpkg-set-PID-N.tmp`; `.NAME.asmpkg-PID-N.tmp` from before the journal). */
const TEMPORARY = /^\..+\.asmpkg-(?:set-)?\d+-\d+\.tmp$/;

/**
 * The journal of a set being committed, in the directory `set` was given: the list of
 * temporaries and the files each replaces, written (and synced) only once every
 * temporary is complete. Its presence means "these renames must all happen".
 */
export const SET_JOURNAL = '.asmpkg-set.journal';
const JOURNAL_TEMPORARY = `${SET_JOURNAL}.tmp`;

/** A package tree as read from disk: its files, what could not be read, and temporaries an interrupted set left. */
export interface PackageTree {
  readonly files: PackageFile[];
  readonly problems: SetterProblem[];
  /** POSIX paths, relative to the directory, of temporaries of an interrupted set. */
  readonly temporaries: string[];
}

const SYMLINK_RULE =
  'is a symbolic link; asmpkg set does not follow links in a package (writing through one changes a file elsewhere, ' +
  'replacing it loses the link): replace it with the file itself or move it out of the package';

/**
 * Reads the files of a package tree as POSIX paths relative to `dir`: regular UTF-8
 * files within the package-file cap. Hidden directories and `node_modules` are not
 * package content. A symbolic link where set reads a file (or a directory) is a
 * problem, not skipped silently: set would otherwise leave that part of the package
 * unset without a word.
 */
export function readPackageTree(dir: string): PackageTree {
  const files: PackageFile[] = [];
  const problems: SetterProblem[] = [];
  const temporaries: string[] = [];
  const walk = (abs: string, rel: string): void => {
    const entries = fs.readdirSync(abs, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1));
    for (const e of entries) {
      const childRel = rel ? `${rel}/${e.name}` : e.name;
      const childAbs = path.join(abs, e.name);
      const content = !e.name.startsWith('.') && e.name !== 'node_modules';
      if (e.isDirectory()) {
        if (content) walk(childAbs, childRel);
      } else if (e.isSymbolicLink()) {
        if (WANTED.test(e.name) || (content && isDirectory(childAbs))) problems.push({ file: childRel, message: SYMLINK_RULE });
      } else if (TEMPORARY.test(e.name)) {
        temporaries.push(childRel);
      } else if (WANTED.test(e.name)) {
        // Only regular files within the cap: a FIFO or socket named like a manifest is refused at once.
        try {
          files.push({ path: childRel, content: readTextFileSync(childAbs, childRel, { maxBytes: INPUT_CAPS.packageFile, what: 'a package file' }) });
        } catch (err) {
          if (!(err instanceof InputFileError)) throw err;
          problems.push({ file: childRel, message: err.reason });
        }
      }
    }
  };
  walk(dir, '');
  return { files, problems, temporaries };
}

function isDirectory(abs: string): boolean {
  try {
    return fs.statSync(abs).isDirectory();
  } catch {
    return false;
  }
}

/**
 * Reads the files of a package tree (see {@link readPackageTree}); throws on the first
 * problem. For trees asmpkg trusts (its own packages, fixtures).
 */
export function readPackageDir(dir: string): PackageFile[] {
  const tree = readPackageTree(dir);
  if (tree.problems.length > 0) throw new Error(`${dir}/${tree.problems[0].file}: ${tree.problems[0].message}`);
  return tree.files;
}

/** Points where a test can stop a commit, as a crash would (a hook that kills the process). */
export interface CommitHooks {
  /** After the `n`th temporary (1-based) was written. */
  readonly afterTemporary?: (n: number) => void;
  /** After the journal was written, before the first rename. */
  readonly afterJournal?: () => void;
  /** After the `n`th rename (1-based). */
  readonly afterRename?: (n: number) => void;
}

interface JournalEntry {
  readonly tmp: string;
  readonly dest: string;
}

function writeSynced(file: string, content: string, mode: number): void {
  const fd = fs.openSync(file, 'wx', mode);
  try {
    fs.writeSync(fd, content);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

function syncDirectory(dir: string): void {
  try {
    const fd = fs.openSync(dir, 'r');
    try {
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    // Not every file system syncs directories; the renames are still atomic.
  }
}

/**
 * Writes files so that the package is never left half-set, even by a crash: every
 * file goes to a temporary in its own directory (same file system), keeping the old
 * mode; then a journal listing the temporaries is written; then each temporary is
 * renamed over its file; then the journal is removed. A run interrupted before the
 * journal exists left only temporaries: {@link recoverInterruptedSet} removes them (the
 * files are as before). One interrupted after left a journal: the recovery does the
 * remaining renames (the set is finished).
 */
export function writeFilesAtomically(dir: string, files: readonly PackageFile[], hooks: CommitHooks = {}): void {
  const staged: JournalEntry[] = [];
  try {
    for (const f of files) {
      const dest = f.path;
      const abs = path.join(dir, ...dest.split('/'));
      const tmp = path.posix.join(path.posix.dirname(dest), `.${path.posix.basename(dest)}.asmpkg-set-${process.pid}-${staged.length}.tmp`);
      const mode = fs.existsSync(abs) ? fs.statSync(abs).mode & 0o777 : 0o644;
      staged.push({ tmp, dest });
      writeSynced(path.join(dir, ...tmp.split('/')), f.content, mode);
      hooks.afterTemporary?.(staged.length);
    }
    writeSynced(path.join(dir, JOURNAL_TEMPORARY), JSON.stringify({ version: 1, renames: staged }) + '\n', 0o644);
    fs.renameSync(path.join(dir, JOURNAL_TEMPORARY), path.join(dir, SET_JOURNAL));
  } catch (err) {
    // A full disk or a read-only directory: nothing was replaced; leave no temporaries.
    for (const s of staged) fs.rmSync(path.join(dir, ...s.tmp.split('/')), { force: true });
    fs.rmSync(path.join(dir, JOURNAL_TEMPORARY), { force: true });
    throw err;
  }
  for (const d of new Set(staged.map((s) => path.posix.dirname(s.tmp)))) syncDirectory(path.join(dir, ...d.split('/')));
  hooks.afterJournal?.();
  staged.forEach((s, i) => {
    fs.renameSync(path.join(dir, ...s.tmp.split('/')), path.join(dir, ...s.dest.split('/')));
    hooks.afterRename?.(i + 1);
  });
  syncDirectory(dir);
  fs.rmSync(path.join(dir, SET_JOURNAL), { force: true });
}

/** What {@link recoverInterruptedSet} did. */
export interface Recovery {
  /** Files the interrupted set had yet to replace, replaced now (the set was finished). */
  readonly finished: readonly string[];
  /** Whether a journal was found (the interrupted set is finished, not rolled back). */
  readonly journal: boolean;
  /** Temporaries removed (of a set interrupted before its journal: rolled back). */
  readonly removed: readonly string[];
}

/** A journal path: relative, POSIX, inside the directory, no `..`. */
function safeRelative(p: unknown): p is string {
  return typeof p === 'string' && p !== '' && !p.startsWith('/') && !p.includes('\\') && !p.includes('\0') && p.split('/').every((part) => part !== '' && part !== '.' && part !== '..');
}

/** Reads the journal; a journal asmpkg did not write (wrong shape, paths leaving the directory) is refused. */
function readJournal(dir: string): JournalEntry[] | undefined {
  const file = path.join(dir, SET_JOURNAL);
  let text: string;
  try {
    text = readTextFileSync(file, SET_JOURNAL, { maxBytes: INPUT_CAPS.packageFile, what: 'a set journal' });
  } catch (err) {
    if (err instanceof InputFileError && err.code === 'ENOENT') return undefined;
    throw err;
  }
  let entries: unknown;
  try {
    entries = (JSON.parse(text) as { renames?: unknown }).renames;
  } catch {
    entries = undefined;
  }
  const valid =
    Array.isArray(entries) &&
    entries.every(
      (e: { tmp?: unknown; dest?: unknown }) =>
        safeRelative(e?.tmp) &&
        safeRelative(e?.dest) &&
        path.posix.dirname(e.tmp) === path.posix.dirname(e.dest) &&
        TEMPORARY.test(path.posix.basename(e.tmp)),
    );
  if (!valid) throw new InputFileError(SET_JOURNAL, 'is not a journal asmpkg set wrote; check the package and remove it', 'bad-journal');
  return entries as JournalEntry[];
}

/**
 * Finishes or rolls back a set that was interrupted (SIGKILL, power loss) in `dir`,
 * before anything else reads the package: with a journal, every temporary it lists that
 * is still there is renamed over its file (the set is finished, as it was committed);
 * temporaries without a journal are removed (the files were never replaced). Returns
 * undefined when there was nothing to do. The caller holds the package's lock.
 */
export function recoverInterruptedSet(dir: string, temporaries: readonly string[]): Recovery | undefined {
  const journal = readJournal(dir);
  const hasJournalTemporary = fs.existsSync(path.join(dir, JOURNAL_TEMPORARY));
  if (!journal && temporaries.length === 0 && !hasJournalTemporary) return undefined;
  const finished: string[] = [];
  for (const e of journal ?? []) {
    const tmp = path.join(dir, ...e.tmp.split('/'));
    let stat: fs.Stats | undefined;
    try {
      stat = fs.lstatSync(tmp);
    } catch {
      stat = undefined; // renamed before the interruption
    }
    if (!stat) continue;
    if (!stat.isFile()) throw new InputFileError(e.tmp, 'is not a regular file; check the package and remove it', 'not-regular');
    fs.renameSync(tmp, path.join(dir, ...e.dest.split('/')));
    finished.push(e.dest);
  }
  syncDirectory(dir);
  const listed = new Set((journal ?? []).map((e) => e.tmp));
  const removed = temporaries.filter((t) => !listed.has(t));
  for (const t of removed) fs.rmSync(path.join(dir, ...t.split('/')), { force: true });
  fs.rmSync(path.join(dir, JOURNAL_TEMPORARY), { force: true });
  fs.rmSync(path.join(dir, SET_JOURNAL), { force: true });
  return { finished, journal: journal !== undefined, removed };
}

/** Whether `dir` holds what an interrupted set left (a journal or temporaries). */
export function interruptedSetIn(dir: string, tree: PackageTree): boolean {
  return tree.temporaries.length > 0 || fs.existsSync(path.join(dir, SET_JOURNAL)) || fs.existsSync(path.join(dir, JOURNAL_TEMPORARY));
}

export interface DiskSetOptions extends SetOptions {
  /** Compute and report changes without writing. */
  readonly dryRun?: boolean;
  /** Test seams: stop the commit where a crash could (see {@link CommitHooks}). */
  readonly hooks?: CommitHooks;
  /** Called with what was done when an interrupted set was finished or rolled back first. */
  readonly onRecovery?: (recovery: Recovery) => void;
}

/**
 * `asmpkg set DIR`: applies setters to the packages under `dir`; writes only when there
 * is no problem. First finishes or rolls back a set interrupted in `dir` (the caller
 * holds the package's lock); a dry run refuses instead, since it must write nothing.
 */
export function setPackageDir(dir: string, options: DiskSetOptions = {}): SetOutcome {
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) {
    return { files: [], changed: [], changes: [], problems: [{ message: `${dir} is not a directory` }], warnings: [] };
  }
  let tree = readPackageTree(dir);
  if (interruptedSetIn(dir, tree)) {
    if (options.dryRun) {
      return {
        files: [],
        changed: [],
        changes: [],
        problems: [{ message: `an interrupted set left ${SET_JOURNAL} or temporaries here; run set without --dry-run to finish or roll it back first` }],
        warnings: [],
      };
    }
    const recovery = recoverInterruptedSet(dir, tree.temporaries);
    if (recovery) options.onRecovery?.(recovery);
    tree = readPackageTree(dir);
  }
  if (tree.problems.length > 0) return { files: tree.files, changed: [], changes: [], problems: tree.problems, warnings: [] };
  const outcome = applySetters(tree.files, options);
  if (outcome.problems.length === 0 && !options.dryRun && outcome.changed.length > 0) {
    const changed = new Set(outcome.changed);
    writeFilesAtomically(
      dir,
      outcome.files.filter((f) => changed.has(f.path)),
      options.hooks,
    );
  }
  return outcome;
}
