import type { AsmProfile as Profile } from '../catalog/profiles';
import { escapeControls as e, escapeControlsPerLine } from '../util/text';
import type { LintFinding, LintInputError } from './model';

/** Output of `asmpkg lint`: two lines per finding (text) or one JSON document. */

/** Every stderr line of asmpkg starts with this (as `main` prints errors). */
export const STDERR_PREFIX = 'asmpkg: ';

/**
 * A finding as text: `file:line:col: severity rule: Kind ns/name: what: why`, then an
 * indented line with the offending field path and the fix (what JSON output has too).
 * Everything taken from the manifests (paths, kinds, names, values in messages) has its
 * terminal controls, bidi and invisible characters escaped: a name holding ESC [2J must
 * not clear the reader's screen, nor an RLO reorder the line.
 */
export function findingLine(f: LintFinding): string {
  const who = `${e(f.kind)} ${f.namespace ? `${e(f.namespace)}/` : ''}${f.name !== undefined ? e(f.name) : '(unnamed)'}`;
  return `${e(f.file)}:${f.line}:${f.column}: ${f.severity} ${f.rule}: ${who}: ${e(f.message)}: ${e(f.reason)}\n    field: ${e(f.field)}; fix: ${e(f.fix)}`;
}

/** The input error for a path (directory) that holds no manifest files at all. */
export function noManifestsMessage(path: string): string {
  return `no manifests found in ${path} (no *.yaml, *.yml or *.json files)`;
}

/** One stderr line: `asmpkg: file:line:col: message` (or the message alone when it names the path). */
export function inputErrorLine(err: LintInputError): string {
  if (err.message === noManifestsMessage(err.file)) return `${STDERR_PREFIX}${e(err.message)}`;
  return `${STDERR_PREFIX}${e(err.file)}${err.line !== undefined ? `:${err.line}:${err.column ?? 1}` : ''}: ${e(err.message)}`;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/**
 * The last line of text output. With input errors it says the check is incomplete
 * (and never that nothing was found): some manifests were not checked.
 */
export function summaryLine(findings: readonly LintFinding[], files: number, inputErrors = 0): string {
  const errors = findings.filter((f) => f.severity === 'error').length;
  const warnings = findings.length - errors;
  const found =
    findings.length === 0
      ? undefined
      : `${plural(findings.length, 'finding')} (${plural(errors, 'error')}, ${plural(warnings, 'warning')})`;
  if (inputErrors > 0) {
    return (
      `check incomplete: ${plural(inputErrors, 'input error')} (on stderr), so some manifests were not checked; ` +
      `${found ?? 'no findings'} in the ${plural(files, 'file')} read`
    );
  }
  if (found === undefined) return `no unsupported ASM features found in ${plural(files, 'file')}`;
  return `${found} in ${plural(files, 'file')}`;
}

/**
 * The JSON report. JSON.stringify escapes C0 controls itself; C1 controls, bidi and
 * invisible characters are escaped too (as `\uXXXX`, the same string to a JSON reader),
 * so `lint --format json` piped to a terminal cannot carry them either.
 */
export function lintJson(profile: Profile, findings: readonly LintFinding[], errors: readonly LintInputError[]): string {
  return escapeControlsPerLine(JSON.stringify({ profile, complete: errors.length === 0, findings, errors }, null, 2));
}
