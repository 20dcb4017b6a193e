import { parse } from 'yaml';
import { annotatePackage, multilineDoubleQuoted, SetterSpec } from '../../src/setters/annotate';
import { applySetters, checkSetterRefs, formatSetterProblem } from '../../src/setters';
import type { PackageFile } from '../../src/setters';
import { resources } from './helpers';

const SETTERS: SetterSpec[] = [
  { name: 'gcloud.core.project', value: 'PROJECT_ID', marker: 'PROJECT', byValue: true },
  { name: 'cluster-name', value: 'asm-cluster', marker: 'CLUSTER', byValue: true },
  { name: 'gcloud.compute.network', value: 'default', marker: 'NETWORK', byValue: false },
  { name: 'maxNodes', value: '4', marker: 'MAXNODES', type: 'integer', byValue: false },
];
const RULES = [
  { kind: 'Cluster', path: 'spec.network', setters: ['gcloud.compute.network'] },
  { kind: 'Cluster', path: 'spec.links.*', setters: ['gcloud.compute.network'] },
  { kind: 'Cluster', path: 'spec.maxNodes', setters: ['maxNodes'] },
];
const KNOWN = [{ name: 'workload_identity', pattern: 'PROJECT.svc.id.goog', markers: [{ marker: 'PROJECT', setter: 'gcloud.core.project' }] }];

const CLUSTER = `# a header comment
apiVersion: example.com/v1
kind: Cluster
metadata:
  name: asm-cluster
  namespace: PROJECT_ID
  labels: {pool: asm-cluster-pool}
spec:
  network: default
  links:
    - projects/PROJECT_ID/networks/default
  maxNodes: 4
  minNodes: 4
  policy: default
  pool: default
  identity: PROJECT_ID.svc.id.goog
  args:
    - --identity=PROJECT_ID.svc.id.goog
    - --log=default:info
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: config
data:
  text: |
    project: PROJECT_ID
      indented: asm-cluster
    PROJECT: literal
`;

function annotate(files: PackageFile[], format: 'v0' | 'v1' = 'v0') {
  return annotatePackage(files, { name: 'demo', description: 'demo package', setters: SETTERS, rules: RULES, substitutions: KNOWN, format });
}

function file(pkg: { files: PackageFile[] }, path: string): string {
  return pkg.files.find((f) => f.path === path)!.content;
}

describe('annotatePackage (kpt v0)', () => {
  const pkg = annotate([
    { path: 'cluster.yaml', content: CLUSTER },
    { path: 'README.md', content: 'PROJECT_ID stays' },
  ]);
  const text = file(pkg, 'cluster.yaml');
  const line = (start: string): string => text.split('\n').find((l) => l.trimStart().startsWith(start))!;

  test('a whole placeholder refers to its setter, a longer value to a substitution', () => {
    expect(line('namespace:')).toBe('  namespace: "PROJECT_ID" # {"$ref":"#/definitions/io.k8s.cli.setters.gcloud.core.project"}');
    expect(line('identity:')).toContain('# {"$ref":"#/definitions/io.k8s.cli.substitutions.workload_identity"}');
    expect(line('- "--identity=')).toContain('# {"$ref":"#/definitions/io.k8s.cli.substitutions.identity-project-svc-id-goog"}');
  });

  test('ordinary words and numbers are annotated only where a field rule says', () => {
    expect(line('network:')).toBe('  network: "default" # {"$ref":"#/definitions/io.k8s.cli.setters.gcloud.compute.network"}');
    expect(line('- "projects/')).toContain('io.k8s.cli.substitutions.projects-project-networks-network');
    expect(line('maxNodes:')).toBe('  maxNodes: 4 # {"$ref":"#/definitions/io.k8s.cli.setters.maxNodes"}');
    expect(line('minNodes:')).toBe('  minNodes: 4');
    expect(line('policy:')).toBe('  policy: default');
    expect(text).toContain('\n  pool: default\n');
    expect(line('- --log=')).toBe('    - --log=default:info');
  });

  test('flow collections holding a placeholder become block style; headers and other files stay', () => {
    expect(text.startsWith('# a header comment\n')).toBe(true);
    expect(text).toContain('  labels:\n    pool: "asm-cluster-pool" # {"$ref":"#/definitions/io.k8s.cli.substitutions.cluster-pool"}');
    expect(file(pkg, 'README.md')).toBe('PROJECT_ID stays');
  });

  test('multi-line values get a substitution whose markers do not clash with the text', () => {
    const kptfile = parse(file(pkg, 'Kptfile'));
    const sub = kptfile.openAPI.definitions['io.k8s.cli.substitutions.config-data-text']['x-k8s-cli'].substitution;
    expect(sub.pattern).toBe('project: ${PROJECT}\n  indented: ${CLUSTER}\nPROJECT: literal\n');
    expect(text).toContain('  text: "project: PROJECT_ID\\n\\\n    \\  indented: asm-cluster\\n\\\n    PROJECT: literal\\n" # {"$ref"');
  });

  test('the Kptfile defines the used setters only, and every $ref resolves', () => {
    const kptfile = parse(file(pkg, 'Kptfile'));
    expect(kptfile.apiVersion).toBe('kpt.dev/v1alpha1');
    expect(Object.keys(kptfile.openAPI.definitions).filter((k) => k.includes('.setters.'))).toEqual([
      'io.k8s.cli.setters.gcloud.core.project',
      'io.k8s.cli.setters.cluster-name',
      'io.k8s.cli.setters.gcloud.compute.network',
      'io.k8s.cli.setters.maxNodes',
    ]);
    expect(kptfile.openAPI.definitions['io.k8s.cli.setters.maxNodes']).toEqual({ type: 'integer', 'x-k8s-cli': { setter: { name: 'maxNodes', value: '4' } } });
    expect(checkSetterRefs(pkg.files)).toEqual([]);
    expect(pkg.unsupported).toEqual([]);
  });

  test('setting the setters changes exactly the placeholders', () => {
    const outcome = applySetters(pkg.files, {
      values: { 'gcloud.core.project': 'my-proj', 'cluster-name': 'prod', 'gcloud.compute.network': 'net', maxNodes: '7' },
      env: {},
    });
    expect(outcome.problems.map((p) => formatSetterProblem(p))).toEqual([]);
    const set = resources(outcome.files.find((f) => f.path === 'cluster.yaml')!.content);
    const expected = CLUSTER.replace(/PROJECT_ID/g, 'my-proj')
      .replace(/asm-cluster/g, 'prod')
      .replace('network: default', 'network: net')
      .replace('networks/default', 'networks/net')
      .replace('maxNodes: 4', 'maxNodes: 7');
    expect(set).toEqual(resources(expected));
  });

  test('a rule whose field lacks the placeholder is an error in the tables', () => {
    const content = 'apiVersion: v1\nkind: Cluster\nspec:\n  network: custom\n';
    expect(() => annotate([{ path: 'c.yaml', content }])).toThrow(/field rule expects default/);
  });

  test('a placeholder in a mapping key is reported', () => {
    const content = 'apiVersion: v1\nkind: ConfigMap\ndata:\n  PROJECT_ID: x\n';
    expect(annotate([{ path: 'c.yaml', content }]).unsupported).toMatchObject([{ field: 'data.PROJECT_ID', reason: expect.stringMatching(/key/) }]);
  });
});

describe('annotatePackage (kpt v1)', () => {
  const pkg = annotate([{ path: 'cluster.yaml', content: CLUSTER }], 'v1');
  const text = file(pkg, 'cluster.yaml');

  test('fields carry kpt-set patterns and setters.yaml holds the values', () => {
    expect(text).toContain('  namespace: "PROJECT_ID" # kpt-set: ${gcloud.core.project}\n');
    expect(text).toContain('  identity: "PROJECT_ID.svc.id.goog" # kpt-set: ${gcloud.core.project}.svc.id.goog\n');
    expect(text).toContain('  maxNodes: 4 # kpt-set: ${maxNodes}\n');
    expect(parse(file(pkg, 'setters.yaml'))).toEqual({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'setters', annotations: { 'config.kubernetes.io/local-config': 'true' } },
      data: { 'gcloud.core.project': 'PROJECT_ID', 'cluster-name': 'asm-cluster', 'gcloud.compute.network': 'default', maxNodes: '4' },
    });
  });

  test('multi-line values cannot carry a one-line pattern and are reported', () => {
    expect(pkg.unsupported).toMatchObject([{ file: 'cluster.yaml', doc: 1, field: 'data.text', path: ['data', 'text'] }]);
  });

  test('apply-setters sets them', () => {
    const outcome = applySetters(pkg.files, { values: { 'gcloud.core.project': 'proj-2', maxNodes: '5' }, env: {} });
    expect(outcome.problems).toEqual([]);
    const set = resources(outcome.files.find((f) => f.path === 'cluster.yaml')!.content)[0] as { metadata: { namespace: string }; spec: Record<string, unknown> };
    expect(set.metadata.namespace).toBe('proj-2');
    expect(set.spec.identity).toBe('proj-2.svc.id.goog');
    expect(set.spec.maxNodes).toBe(5);
  });
});

test('multilineDoubleQuoted reads back as the same string', () => {
  for (const value of ['a\nb\n', '  lead\n\ttab "q" \\ back\n  trailing  \nlast', '\n\nx', 'one line', ' x\n']) {
    const yaml = `k: ${multilineDoubleQuoted(value, '  ')}\n`;
    expect(parse(yaml)).toEqual({ k: value });
  }
});
