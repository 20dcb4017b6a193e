import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { generateCa, GenerateCaOptions } from './generate';
import { CA_FILE_NAMES, CaFileName, CaFiles, CaProblem } from './types';
import { validateCaFiles } from './validate';

/** The CA files found in a directory, and the ones that exist but could not be read. */
export interface CaDirContents {
  readonly files: Partial<Record<CaFileName, string>>;
  readonly problems: readonly CaProblem[];
}

/**
 * Reads the four CA files of a directory. The only file-system access of the certs
 * module, so everything else works on contents in memory. A file that does not exist
 * (or a directory that does not exist) is left out; any other read error is a problem.
 */
export async function readCaDir(dir: string): Promise<CaDirContents> {
  const files: Partial<Record<CaFileName, string>> = {};
  const problems: CaProblem[] = [];
  for (const file of CA_FILE_NAMES) {
    try {
      files[file] = await readFile(join(dir, file), 'utf8');
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT' && code !== 'ENOTDIR') problems.push({ file, reason: `cannot be read (${code ?? 'unknown error'})` });
    }
  }
  return { files, problems };
}

/** What a directory holds for a CA that should stay the same across renders. */
export type ExistingCa =
  /** None of the four files exist: a new CA may be generated. */
  | { readonly status: 'absent' }
  /** All four exist and pass validation. */
  | { readonly status: 'valid'; readonly ca: CaFiles }
  /** Some exist, or all exist but fail validation: the user must fix or replace them. */
  | { readonly status: 'invalid'; readonly problems: readonly CaProblem[] };

/** Reads and checks the CA files of a directory (see {@link ExistingCa}). */
export async function readExistingCa(dir: string, options: { now?: Date } = {}): Promise<ExistingCa> {
  const { files, problems: readProblems } = await readCaDir(dir);
  if (Object.keys(files).length === 0 && readProblems.length === 0) return { status: 'absent' };
  const problems = [...readProblems, ...(await validateCaFiles(files, options))];
  if (problems.length > 0) return { status: 'invalid', problems };
  return { status: 'valid', ca: files as CaFiles };
}

/** Refusal to use the CA files of a directory; carries every problem, exit code 2. */
export class CaFilesError extends Error {
  readonly exitCode = 2;
  constructor(
    readonly dir: string,
    readonly problems: readonly CaProblem[],
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
 */
export async function loadOrCreateCa(
  dir: string,
  options: GenerateCaOptions,
  { regenerate = false }: { regenerate?: boolean } = {},
): Promise<ResolvedCa> {
  if (!regenerate) {
    const existing = await readExistingCa(dir, { now: options.now });
    if (existing.status === 'valid') return { ca: existing.ca, generated: false };
    if (existing.status === 'invalid') throw new CaFilesError(dir, existing.problems);
  }
  return { ca: await generateCa(options), generated: true };
}
