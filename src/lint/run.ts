import type { AsmProfile as Profile } from '../catalog/profiles';
import { fails, lintText, sortFindings } from './engine';
import { findingLine, inputErrorLine, lintJson, summaryLine } from './format';
import { readInputs } from './inputs';
import type { LintFinding, LintInputError, Severity } from './model';

/** What `asmpkg lint` needs from its surroundings; tests pass fakes. */
export interface LintIO {
  stdout(line: string): void;
  stderr(line: string): void;
  stdin?: (maxBytes: number) => Promise<string>;
  cwd: string;
}

export interface LintRunOptions {
  readonly profile: Profile;
  readonly format: 'text' | 'json';
  /** Lowest severity that fails the run. */
  readonly failOn: Severity;
}

/**
 * Lints every path and reports. Returns the exit code: 2 if any input could not be
 * read or a path holds no manifests (the rest is still linted and every finding
 * reported, and the summary says the check is incomplete), else 1 if a finding fails
 * under `failOn`, else 0. Every stderr line starts with `asmpkg: `.
 */
export async function runLint(paths: readonly string[], options: LintRunOptions, io: LintIO): Promise<number> {
  const read = await readInputs(paths, io);
  const errors: LintInputError[] = [...read.errors];
  const found: LintFinding[] = [];
  for (const input of read.inputs) {
    const result = lintText(input.text, input.file, { profile: options.profile });
    found.push(...result.findings);
    errors.push(...result.errors);
  }
  const findings = sortFindings(found);
  // Findings always go to stdout, even when some input was unreadable: a broken file
  // must not hide what the readable ones contain.
  if (options.format === 'json') {
    io.stdout(lintJson(options.profile, findings, errors));
    for (const e of errors) io.stderr(inputErrorLine(e));
  } else {
    for (const f of findings) io.stdout(findingLine(f));
    for (const e of errors) io.stderr(inputErrorLine(e));
    io.stdout(summaryLine(findings, read.inputs.length, errors.length));
  }
  if (errors.length > 0) return 2;
  return findings.some((f) => fails(f, options.failOn)) ? 1 : 0;
}
