import { feature } from '../catalog/support-matrix';
import type { AsmProfile as Profile } from '../catalog/profiles';
import { LocatedResource, objectsOf, parseManifests, Position } from './documents';
import type { LintFinding, LintInputError, LintOptions, LintResource, LintRule, Severity } from './model';
import { LINT_RULES } from './rules';
import { formatPath } from '../config/problems';

/**
 * Runs the lint rules and turns their hits into findings: a hit is a finding only when
 * the support matrix says its feature is unsupported on the chosen profile.
 */

export interface LintResult {
  readonly findings: LintFinding[];
  readonly errors: LintInputError[];
}

const DEFAULT_PROFILE: Profile = 'gke';

/** Findings for one resource; `locate` maps a field path to a position. */
export function lintResource(
  resource: LintResource,
  file: string,
  locate: (path: readonly (string | number)[]) => Position,
  options: LintOptions = {},
  rules: readonly LintRule[] = LINT_RULES,
): LintFinding[] {
  const profile = options.profile ?? DEFAULT_PROFILE;
  return rules.flatMap((rule) => {
    const f = feature(rule.feature);
    if (f.status[profile] !== 'unsupported') return [];
    return rule.check(resource).map((hit): LintFinding => ({
      rule: rule.feature,
      severity: rule.severity,
      file,
      ...locate(hit.path),
      apiVersion: resource.apiVersion,
      kind: resource.kind,
      ...(resource.namespace !== undefined ? { namespace: resource.namespace } : {}),
      ...(resource.name !== undefined ? { name: resource.name } : {}),
      field: formatPath(hit.path),
      message: hit.message,
      reason: f.reason,
      fix: rule.fix,
    }));
  });
}

/** Lints manifest text (multi-document YAML or JSON). */
export function lintText(text: string, file: string, options: LintOptions = {}): LintResult {
  const parsed = parseManifests(text, file);
  return {
    findings: parsed.resources.flatMap((r: LocatedResource) => lintResource(r.resource, file, r.locate, options)),
    errors: parsed.errors,
  };
}

/**
 * Lints objects already in memory (a synthesized cdk8s app). There are no lines to
 * point at: findings carry line 0, column 0 and the field path.
 */
export function lintObjects(objects: readonly unknown[], file: string, options: LintOptions = {}): LintFinding[] {
  return objects.flatMap((o) => objectsOf(o).flatMap(({ resource }) => lintResource(resource, file, () => ({ line: 0, column: 0 }), options)));
}

/** Whether a finding makes `asmpkg lint` fail under `--fail-on`. */
export function fails(finding: LintFinding, failOn: Severity): boolean {
  return failOn === 'warning' || finding.severity === 'error';
}

/** Findings in a stable order: file, line, column, rule. */
export function sortFindings(findings: readonly LintFinding[]): LintFinding[] {
  return [...findings].sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column || a.rule.localeCompare(b.rule));
}
