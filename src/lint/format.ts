import type { Profile } from '../config/schema';
import type { LintFinding, LintInputError } from './model';

/** Output of `asmpkg lint`: one line per finding (text) or one JSON document. */

export function findingLine(f: LintFinding): string {
  const who = `${f.kind} ${f.namespace ? `${f.namespace}/` : ''}${f.name ?? '(unnamed)'}`;
  return `${f.file}:${f.line}:${f.column}: ${f.severity} ${f.rule}: ${who}: ${f.message}: ${f.reason}`;
}

export function inputErrorLine(e: LintInputError): string {
  return `${e.file}${e.line !== undefined ? `:${e.line}:${e.column ?? 1}` : ''}: ${e.message}`;
}

export function summaryLine(findings: readonly LintFinding[], files: number): string {
  const errors = findings.filter((f) => f.severity === 'error').length;
  const warnings = findings.length - errors;
  if (findings.length === 0) return `no unsupported ASM features found in ${files} file${files === 1 ? '' : 's'}`;
  return `${findings.length} finding${findings.length === 1 ? '' : 's'} (${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}) in ${files} file${files === 1 ? '' : 's'}`;
}

export function lintJson(profile: Profile, findings: readonly LintFinding[], errors: readonly LintInputError[]): string {
  return JSON.stringify({ profile, findings, errors }, null, 2);
}
