import { statSync } from 'node:fs';
import { join } from 'node:path';
import { InputFileError, INPUT_CAPS, readTextFile } from '../util/input-file';
import { sha256 } from '../render/fingerprint';
import { allValidAt } from './checks';
import { generateCa, GenerateCaOptions } from './generate';
import { CA_FILE_NAMES, CaFileName, CaFiles, CaProblem, FileProblem } from './types';
import { validateCaFiles } from './validate';

/** The files of a set found in a directory, and the ones that exist but could not be read. */
export interface PemDirContents<F extends string> {
  readonly files: Partial<Record<F, string>>;
  readonly problems: readonly FileProblem<F>[];
}

/** The CA files found in a directory, and the ones that exist but could not be read. */
export type CaDirContents = PemDirContents<CaFileName>;

/**
 * Reads the named files of a directory. The only file-system access of the certs
 * module, so everything else works on contents in memory. A file that does not exist
 * (or a directory that does not exist) is left out; any other read error is a problem.
 */
export async function readPemDir<F extends string>(dir: string, names: readonly F[]): Promise<PemDirContents<F>> {
  const files: Partial<Record<F, string>> = {};
  const problems: FileProblem<F>[] = [];
  // A fleet's first render finds no directory at all: one failed stat rather than a
  // failed read per file (each costs a thread-pool trip and an error object), and a
  // synchronous one, as a probe costs microseconds and the trip more. Any other outcome
  // reads the files, which report what the stat would have.
  if (directoryMissing(dir)) return { files, problems };
  const read = await Promise.all(
    names.map((file) =>
      // Regular files only, within the PEM cap: a FIFO or /dev/zero here is refused at once.
      readTextFile(join(dir, file), file, { maxBytes: INPUT_CAPS.pem, what: 'a PEM file' }).then(
        (text) => ({ file, text }),
        (error: unknown) => ({ file, error }),
      ),
    ),
  );
  for (const r of read) {
    if ('text' in r) files[r.file] = r.text;
    else if (!(r.error instanceof InputFileError)) throw r.error;
    else if (r.error.code !== 'ENOENT' && r.error.code !== 'ENOTDIR') problems.push({ file: r.file, reason: r.error.reason });
  }
  return { files, problems };
}

function directoryMissing(dir: string): boolean {
  try {
    statSync(dir);
    return false;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return code === 'ENOENT' || code === 'ENOTDIR';
  }
}

/**
 * The read problems, then the validation's, without "is missing" (or anything else) for a
 * file that exists but could not be read: a FIFO is one problem, said once.
 */
export function mergeProblems<F extends string>(read: readonly FileProblem<F>[], validated: readonly FileProblem<F>[]): FileProblem<F>[] {
  const unread = new Set(read.map((p) => p.file));
  return [...read, ...validated.filter((p) => !unread.has(p.file))];
}

/** Reads the four CA files of a directory (see {@link readPemDir}). */
export function readCaDir(dir: string): Promise<CaDirContents> {
  return readPemDir(dir, CA_FILE_NAMES);
}

/** A kind of file set asmpkg keeps in a package's `secrets/`: its file names and how to check them. */
export interface PemSet<F extends string> {
  readonly names: readonly F[];
  validate(files: Partial<Record<F, string>>, options: { now?: Date }): Promise<FileProblem<F>[]>;
}

/** What a directory holds for a file set that should stay the same across renders. */
export type ExistingFiles<F extends string> =
  /** None of the files exist: a new set may be generated. */
  | { readonly status: 'absent' }
  /** All exist and pass validation. */
  | { readonly status: 'valid'; readonly files: Readonly<Record<F, string>> }
  /** Some exist, or all exist but fail validation: the user must fix or replace them. */
  | { readonly status: 'invalid'; readonly problems: readonly FileProblem<F>[] };

/**
 * sha256 of each file of a set, as a caller recorded it when it last wrote or fully
 * validated the set: bytes still equal to those need no structural check again.
 */
export type RecordedDigests<F extends string> = Readonly<Partial<Record<F, string>>>;

/** Options for reading a set back. */
export interface ReadExistingOptions<F extends string> {
  /** The time validity is checked against. @default new Date() */
  readonly now?: Date;
  /** See {@link RecordedDigests}; without it (or on any difference) the set is fully validated. */
  readonly recorded?: RecordedDigests<F>;
}

/**
 * Reads and checks the files of a set in a directory (see {@link ExistingFiles}). A set
 * whose every file still has its recorded digest is only checked for time, the one thing
 * that changes without the bytes changing; any other set is fully validated.
 */
export async function readExisting<F extends string>(dir: string, set: PemSet<F>, options: ReadExistingOptions<F> = {}): Promise<ExistingFiles<F>> {
  const { files, problems: readProblems } = await readPemDir(dir, set.names);
  if (Object.keys(files).length === 0 && readProblems.length === 0) return { status: 'absent' };
  if (readProblems.length === 0 && matchesRecorded(set.names, files, options.recorded)) {
    const texts = set.names.map((name) => files[name]!);
    // Out of its validity period: the full validation says so, in its own words.
    if (allValidAt(texts, options.now ?? new Date())) return { status: 'valid', files: files as Record<F, string> };
  }
  const problems = mergeProblems(readProblems, await set.validate(files, { now: options.now }));
  if (problems.length > 0) return { status: 'invalid', problems };
  return { status: 'valid', files: files as Record<F, string> };
}

/** Whether every file of the set is there with exactly its recorded digest. */
function matchesRecorded<F extends string>(names: readonly F[], files: Partial<Record<F, string>>, recorded: RecordedDigests<F> | undefined): boolean {
  if (!recorded) return false;
  return names.every((name) => {
    const text = files[name];
    const digest = recorded[name];
    return text !== undefined && digest !== undefined && sha256(text) === digest;
  });
}

/**
 * The files in `dir` when they are complete and valid, so re-rendering gives
 * byte-identical output; otherwise (none there, or `regenerate`) new ones from
 * `generate`. Writes nothing. Throws {@link CaFilesError} when `dir` holds a partial or
 * invalid set, rather than silently replacing what the user may still depend on.
 * `recorded`: see {@link readExisting}.
 */
export async function loadOrCreate<F extends string>(
  dir: string,
  set: PemSet<F>,
  generate: () => Promise<Readonly<Record<F, string>>>,
  { regenerate = false, now, recorded }: { regenerate?: boolean; now?: Date; recorded?: RecordedDigests<F> } = {},
): Promise<{ readonly files: Readonly<Record<F, string>>; readonly generated: boolean }> {
  if (!regenerate) {
    const existing = await readExisting(dir, set, { now, recorded });
    if (existing.status === 'valid') return { files: existing.files, generated: false };
    if (existing.status === 'invalid') throw new CaFilesError(dir, existing.problems);
  }
  return { files: await generate(), generated: true };
}

/** The CA set: Citadel's four files and their checks. */
const CA_SET: PemSet<CaFileName> = { names: CA_FILE_NAMES, validate: validateCaFiles };

/** What a directory holds for a CA that should stay the same across renders. */
export type ExistingCa =
  /** None of the four files exist: a new CA may be generated. */
  | { readonly status: 'absent' }
  /** All four exist and pass validation. */
  | { readonly status: 'valid'; readonly ca: CaFiles }
  /** Some exist, or all exist but fail validation: the user must fix or replace them. */
  | { readonly status: 'invalid'; readonly problems: readonly CaProblem[] };

/** Reads and checks the CA files of a directory (see {@link ExistingCa}). */
export async function readExistingCa(dir: string, options: ReadExistingOptions<CaFileName> = {}): Promise<ExistingCa> {
  const existing = await readExisting(dir, CA_SET, options);
  return existing.status === 'valid' ? { status: 'valid', ca: existing.files } : existing;
}

/**
 * Refusal to use the files of a directory (a CA, or the injector's certificates);
 * carries every problem, exit code 2.
 */
export class CaFilesError extends Error {
  readonly exitCode = 2;
  constructor(
    readonly dir: string,
    readonly problems: readonly FileProblem[],
  ) {
    super(problems.map((p) => `${join(dir, p.file)}: ${p.reason}`).join('\n'));
    this.name = 'CaFilesError';
  }
}

/** The CA to render and whether it is new (and so must be written). */
export interface ResolvedCa {
  readonly ca: CaFiles;
  readonly generated: boolean;
}

/**
 * The CA a cluster's package uses: the one already in `dir` when it is complete and
 * valid, so re-rendering gives byte-identical output and running workloads keep
 * their trust; otherwise (none there, or `regenerate`) a new one. Writes nothing:
 * the caller writes {@link secretFiles} of the result. Throws {@link CaFilesError}
 * when `dir` holds a partial or invalid CA, rather than silently replacing it, since
 * replacing a CA breaks mTLS between workloads that still hold the old one.
 * `recorded`: see {@link readExisting}.
 */
export async function loadOrCreateCa(
  dir: string,
  options: GenerateCaOptions,
  { regenerate = false, recorded }: { regenerate?: boolean; recorded?: RecordedDigests<CaFileName> } = {},
): Promise<ResolvedCa> {
  const { files, generated } = await loadOrCreate(dir, CA_SET, () => generateCa(options), { regenerate, now: options.now, recorded });
  return { ca: files, generated };
}
