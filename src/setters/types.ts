/** One file of a package held in memory. `path` is POSIX and relative to the directory set works on. */
export interface PackageFile {
  readonly path: string;
  readonly content: string;
}

/** Something that stops `set`; every problem is collected before anything is written. */
export interface SetterProblem {
  /** Package-relative file the problem is in, when there is one. */
  readonly file?: string;
  /** 1-based line in `file`. */
  readonly line?: number;
  /** 1-based column in `line`, where known. */
  readonly column?: number;
  /** Field path inside the document, e.g. `metadata.clusterName`. */
  readonly field?: string;
  /** The rule broken, phrased to read on its own (it names the setter). */
  readonly message: string;
}

/** One field (or Kptfile entry) whose text changes. */
export interface FieldChange {
  readonly file: string;
  readonly line: number;
  readonly field: string;
  /** Setters (or substitutions) that caused the change. */
  readonly setters: readonly string[];
  /** Source text before and after, as written in the file (quotes included). */
  readonly before: string;
  readonly after: string;
}

export interface SetOptions {
  /** NAME=VALUE assignments from the command line; they win over the environment. */
  readonly values?: Readonly<Record<string, string>>;
  /** Process environment: `KPT_SET_<NAME>` variables supply values as kpt does. */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

export interface SetOutcome {
  /** Every input file; contents updated only when there are no problems. */
  readonly files: readonly PackageFile[];
  /** Paths whose content changed (empty when there are problems). */
  readonly changed: readonly string[];
  readonly changes: readonly FieldChange[];
  readonly problems: readonly SetterProblem[];
  /** Non-fatal notes, e.g. an env var that names no setter. */
  readonly warnings: readonly string[];
}

/** `file:line: field: message` — the parts that are known. */
export function formatSetterProblem(problem: SetterProblem, displayFile?: (file: string) => string): string {
  const parts: string[] = [];
  if (problem.file !== undefined) {
    const file = displayFile ? displayFile(problem.file) : problem.file;
    parts.push(problem.line !== undefined ? `${file}:${problem.line}${problem.column !== undefined ? `:${problem.column}` : ''}` : file);
  }
  if (problem.field) parts.push(problem.field);
  parts.push(problem.message);
  return parts.join(': ');
}
