import { escapeControls } from '../util/text';

/** A problem found in user input: where it is, what was there, and the rule it breaks. */
export interface Problem {
  /** Path of the field, e.g. `['clusters', 2, 'nodePool', 'nodeCount']`. */
  readonly path: readonly (string | number)[];
  /** The offending value, when there is one to show. */
  readonly value?: unknown;
  /** The rule, phrased so that it reads after the path: `must be at least 4 ...`. */
  readonly message: string;
}

/** `clusters[2].nodePool.nodeCount` */
export function formatPath(path: readonly (string | number)[]): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else if (/^[A-Za-z_][A-Za-z0-9_-]*$/.test(part)) out += out ? `.${part}` : part;
    else out += `[${JSON.stringify(part)}]`;
  }
  return out || '(top level)';
}

/** Short, single-line rendering of a value for messages; long or multi-line values are cut. */
export function formatValue(value: unknown): string {
  let text: string;
  if (value === undefined) return 'nothing';
  // JSON escapes C0 controls; escapeControls the rest (C1, bidi, invisible): a message never carries them raw.
  if (typeof value === 'string') text = escapeControls(JSON.stringify(value));
  else if (typeof value === 'object' && value !== null) text = Array.isArray(value) ? 'a list' : 'a mapping';
  else text = String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/** One line: `FILE: PATH: VALUE: RULE`. */
export function formatProblem(problem: Problem, file?: string): string {
  // a missing field has no value to show: its message says "is missing"
  const value = 'value' in problem && problem.value !== undefined ? ` = ${formatValue(problem.value)}` : '';
  // A problem with the file as a whole (not YAML, empty) has no field to name.
  const where = problem.path.length > 0 ? `${formatPath(problem.path)}${value}: ` : '';
  return `${file ? `${file}: ` : ''}${where}${problem.message}`;
}

/** Thrown when input is refused; carries every problem found, exit code 2. */
export class InputError extends Error {
  readonly exitCode = 2;
  constructor(readonly problems: readonly Problem[], readonly file?: string) {
    super(problems.map((p) => formatProblem(p, file)).join('\n'));
    this.name = 'InputError';
  }
}
