import { readdirSync, readFileSync } from 'fs';
import * as path from 'path';
import { MATRIX_PROFILES, feature } from '../../src/catalog/support-matrix';
import type { AsmProfile as Profile } from '../../src/catalog/profiles';
import { LINT_RULES, lintResource, lintText, parseManifests } from '../../src/lint';

/**
 * The fixture corpus: `invalid/` holds one case per rule with its exact findings in
 * `expected.json`; nothing in `valid/` is a finding on any profile.
 */

const FIXTURES = path.join(__dirname, '..', 'fixtures', 'lint');

interface Expected {
  profile: Profile;
  findings: { rule: string; severity: string; line: number; kind: string; namespace?: string; name?: string; field: string }[];
}
const expected: Record<string, Expected> = JSON.parse(readFileSync(path.join(FIXTURES, 'expected.json'), 'utf8'));

const read = (...p: string[]) => readFileSync(path.join(FIXTURES, ...p), 'utf8');

describe('invalid fixtures: exact findings', () => {
  test('every invalid fixture has expectations, and every expectation a fixture', () => {
    expect(readdirSync(path.join(FIXTURES, 'invalid')).sort()).toEqual(Object.keys(expected).sort());
  });

  test.each(Object.entries(expected))('%s', (file, want) => {
    const result = lintText(read('invalid', file), file, { profile: want.profile });
    expect(result.errors).toEqual([]);
    expect(
      result.findings.map((f) => ({
        rule: f.rule,
        severity: f.severity,
        line: f.line,
        kind: f.kind,
        ...(f.namespace !== undefined ? { namespace: f.namespace } : {}),
        ...(f.name !== undefined ? { name: f.name } : {}),
        field: f.field,
      })),
    ).toEqual(want.findings);
    for (const f of result.findings) {
      expect(f.file).toBe(file);
      expect(f.reason).toBe(feature(f.rule).reason);
    }
  });

  test('each rule has exactly one fixture (rules of one feature each have their own)', () => {
    const covered = Object.values(expected).flatMap((e) => e.findings.map((f) => f.rule));
    expect([...new Set(covered)].sort()).toEqual([...new Set(LINT_RULES.map((r) => r.feature))].sort());
    // Which fixtures each rule, run on its own, reports something in.
    const firesIn = LINT_RULES.map((rule) =>
      Object.entries(expected)
        .filter(([file, want]) =>
          parseManifests(read('invalid', file), file).resources.some((r) => lintResource(r.resource, file, r.locate, { profile: want.profile }, [rule]).length > 0),
        )
        .map(([file]) => file),
    );
    for (const [i, files] of firesIn.entries()) expect({ rule: i, feature: LINT_RULES[i].feature, files: files.length }).toEqual({ rule: i, feature: LINT_RULES[i].feature, files: 1 });
    expect(new Set(firesIn.flat()).size).toBe(Object.keys(expected).length);
  });
});

describe('valid fixtures', () => {
  const files = ['mesh.yaml', 'traffic.yaml', 'tcp-ports.yaml', 'list.json', path.join('nested', 'authz.yml')];
  test.each(files.flatMap((f) => MATRIX_PROFILES.map((p) => [f, p] as const)))('%s has no findings on %s', (file, profile) => {
    const result = lintText(read('valid', file), file, { profile });
    expect(result.errors).toEqual([]);
    expect(result.findings).toEqual([]);
  });
});

describe('rules and the matrix', () => {
  test('every rule reports a matrix feature that is unsupported somewhere', () => {
    for (const rule of LINT_RULES) {
      const f = feature(rule.feature);
      expect(MATRIX_PROFILES.some((p) => f.status[p] === 'unsupported')).toBe(true);
      expect(rule.fix.length).toBeGreaterThan(0);
    }
  });

  test('Stackdriver overlay findings depend on the profile', () => {
    for (const file of ['metrics-stackdriver-onprem.yaml', 'tracing-stackdriver-onprem.yaml']) {
      expect(lintText(read('invalid', file), file, { profile: 'gke' }).findings).toEqual([]);
      expect(lintText(read('invalid', file), file, { profile: 'gke-istioctl' }).findings).toEqual([]);
      expect(lintText(read('invalid', file), file, { profile: 'onprem' }).findings).toHaveLength(1);
    }
  });
});
