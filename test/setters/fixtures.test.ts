import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';
import { applySetters, checkSetterRefs, PackageFile, readPackageDir, setPackageDir } from '../../src/setters';
import { copyToTemp, FIXTURES, lineDiff, removeDir, snapshot } from './helpers';

let dir: string;
afterEach(() => dir && removeDir(dir));

function fixture(name: string): string {
  dir = copyToTemp(path.join(FIXTURES, name));
  return dir;
}

/** Hunks of one file's change, as [removed, added] line lists. */
function hunks(before: Map<string, string>, after: Map<string, string>, file: string): [string[], string[]][] {
  return lineDiff(before.get(file)!, after.get(file)!).map((h) => [h.removed, h.added]);
}

describe('kpt v0 setters (own fixture)', () => {
  test('string, integer, boolean and untyped setters keep the field types and quoting', () => {
    const d = fixture('v0-basic');
    const before = snapshot(d);
    const outcome = setPackageDir(d, {
      values: { 'gcloud.core.project': 'my-proj', replicas: '5', debug: 'true', region: 'on' },
    });
    expect(outcome.problems).toEqual([]);
    const after = snapshot(d);
    expect(hunks(before, after, 'app/deployment.yaml')).toEqual([
      [
        ['  namespace: PROJECT_ID # {"$ref":"#/definitions/io.k8s.cli.setters.gcloud.core.project"}'],
        ['  namespace: my-proj # {"$ref":"#/definitions/io.k8s.cli.setters.gcloud.core.project"}'],
      ],
      [
        ['    region:   us-central1   # {"$ref":"#/definitions/io.k8s.cli.setters.app.region"}'],
        // YAML 1.1 reads a plain `on` as a boolean: quoted; odd spacing around it kept
        ['    region:   "on"   # {"$ref":"#/definitions/io.k8s.cli.setters.app.region"}'],
      ],
      [
        ['  replicas: 2 # {"$ref":"#/definitions/io.k8s.cli.setters.replicas"}'],
        ['  replicas: 5 # {"$ref":"#/definitions/io.k8s.cli.setters.replicas"}'],
      ],
      [
        ['          value: "false" # {"$ref":"#/definitions/io.k8s.cli.setters.debug"}'],
        // a boolean setter writes a plain boolean, as kyaml's FormatNonStringStyle does
        ['          value: true # {"$ref":"#/definitions/io.k8s.cli.setters.debug"}'],
      ],
      [
        ['          value: false # {"$ref":"#/definitions/io.k8s.cli.setters.debug"}'],
        ['          value: true # {"$ref":"#/definitions/io.k8s.cli.setters.debug"}'],
      ],
    ]);
    expect(after.get('app/untouched.yaml')).toBe(before.get('app/untouched.yaml'));
    expect([...outcome.changed].sort()).toEqual(['Kptfile', 'app/deployment.yaml']);
    // Kptfile: values recorded as strings, isSet added, setBy dropped (kpt clears it)
    const setters = parse(after.get('Kptfile')!).openAPI.definitions;
    expect(setters['io.k8s.cli.setters.replicas']['x-k8s-cli'].setter).toEqual({ name: 'replicas', value: '5', isSet: true });
    expect(setters['io.k8s.cli.setters.debug']['x-k8s-cli'].setter).toEqual({ name: 'debug', value: 'true', isSet: true });
    expect(setters['io.k8s.cli.setters.gcloud.core.project']['x-k8s-cli'].setter.value).toBe('my-proj');
    // the comment above the project definition survives
    expect(after.get('Kptfile')).toContain('    # the project everything lives in\n');
  });

  test('a number given to an untyped setter would change the field type: quoted', () => {
    const d = fixture('v0-basic');
    expect(setPackageDir(d, { values: { region: '1234' } }).problems).toEqual([]);
    expect(fs.readFileSync(path.join(d, 'app/deployment.yaml'), 'utf8')).toContain('    region:   "1234"   # {"$ref":"#/definitions/io.k8s.cli.setters.app.region"}\n');
  });

  test('a setter embedded in longer strings through substitutions', () => {
    const d = fixture('v0-basic');
    const before = snapshot(d);
    expect(setPackageDir(d, { values: { tag: 'v2.1.0', 'gcloud.project.projectNumber': '987654321' } }).problems).toEqual([]);
    const after = snapshot(d);
    expect(hunks(before, after, 'app/deployment.yaml')).toEqual([
      [
        ['    mesh_id: "proj-PROJECT_NUMBER" # {"$ref":"#/definitions/io.k8s.cli.substitutions.mesh-id"}'],
        ['    mesh_id: "proj-987654321" # {"$ref":"#/definitions/io.k8s.cli.substitutions.mesh-id"}'],
      ],
      [
        ["        image: 'gcr.io/example/app:v1.0.0' # {\"$ref\":\"#/definitions/io.k8s.cli.substitutions.image\"}"],
        ["        image: 'gcr.io/example/app:v2.1.0' # {\"$ref\":\"#/definitions/io.k8s.cli.substitutions.image\"}"],
      ],
    ]);
    // projectNumber is `type: string` and was quoted: stays quoted; tag already had isSet
    expect(hunks(before, after, 'Kptfile')).toEqual([
      [['          value: "PROJECT_NUMBER"'], ['          value: "987654321"', '          isSet: true']],
      [['          value: v1.0.0'], ['          value: v2.1.0']],
    ]);
  });

  test('list setters replace the list items and the Kptfile listValues', () => {
    const d = fixture('v0-basic');
    const before = snapshot(d);
    expect(setPackageDir(d, { values: { envs: '[prod, "qa 1"]' } }).problems).toEqual([]);
    const after = snapshot(d);
    expect(hunks(before, after, 'app/deployment.yaml')).toEqual([
      [
        ['        - "dev"', '        - "stage"'],
        ['        - "prod"', '        - "qa 1"'],
      ],
    ]);
    const envs = parse(after.get('Kptfile')!).openAPI.definitions['io.k8s.cli.setters.envs']['x-k8s-cli'].setter;
    expect(envs).toEqual({ name: 'envs', listValues: ['prod', 'qa 1'], isSet: true });
  });

  test('without NAME=VALUE the package is re-rendered from the Kptfile: a consistent package is unchanged', () => {
    const d = fixture('v0-roundtrip');
    const before = snapshot(d);
    const outcome = setPackageDir(d, {});
    expect(outcome.problems).toEqual([]);
    expect(outcome.changed).toEqual([]);
    expect(snapshot(d)).toEqual(before);
  });

  test('re-rendering writes a boolean setter unquoted, as kpt does, and changes nothing else', () => {
    const d = fixture('v0-basic');
    const before = snapshot(d);
    expect(setPackageDir(d, {}).problems).toEqual([]);
    const after = snapshot(d);
    expect(hunks(before, after, 'app/deployment.yaml')).toEqual([
      [
        ['          value: "false" # {"$ref":"#/definitions/io.k8s.cli.setters.debug"}'],
        ['          value: false # {"$ref":"#/definitions/io.k8s.cli.setters.debug"}'],
      ],
    ]);
    for (const [file, text] of before) if (file !== 'app/deployment.yaml') expect(after.get(file)).toBe(text);
  });

  test('refusals are collected, name file and line, and leave the directory unchanged', () => {
    const d = fixture('v0-basic');
    const before = snapshot(d);
    const outcome = setPackageDir(d, {
      values: { 'gcloud.core.projet': 'x', replicas: 'many', debug: 'yes', region: 'a\nb', hub: 'ok' },
    });
    const messages = outcome.problems.map((p) => `${p.file ?? ''}:${p.line ?? ''}: ${p.message}`);
    expect(messages).toEqual(
      expect.arrayContaining([
        'Kptfile:: unknown setter "gcloud.core.projet" (did you mean "gcloud.core.project"?)',
        expect.stringMatching(/^Kptfile:\d+: setter "replicas" \(type integer\): value "many" is not an integer$/),
        expect.stringMatching(/^Kptfile:\d+: setter "debug" \(type boolean\): value "yes" is not a boolean/),
        'Kptfile:: setter "region": value must be a single line (it contains a line break)',
      ]),
    );
    expect(outcome.problems).toHaveLength(4);
    expect(outcome.changed).toEqual([]);
    expect(snapshot(d)).toEqual(before);
  });

  test('a $ref to no definition is refused, wherever it is', () => {
    const d = fixture('v0-broken');
    const before = snapshot(d);
    const outcome = setPackageDir(d, { values: { name: 'new' } });
    expect(outcome.problems).toEqual([
      {
        file: 'Kptfile',
        line: 12,
        message:
          'substitution "full": marker "ZONE" refers to "#/definitions/io.k8s.cli.setters.zone", which is not a setter definition',
      },
      {
        file: 'resources.yaml',
        line: 6,
        field: 'data.zone',
        message: '$ref "#/definitions/io.k8s.cli.setters.zone" points to no definition in Kptfile',
      },
    ]);
    expect(snapshot(d)).toEqual(before);
    expect(checkSetterRefs(readPackageDir(d))).toEqual(outcome.problems);
    expect(checkSetterRefs(readPackageDir(path.join(FIXTURES, 'v0-basic')))).toEqual([]);
  });

  test('environment variables KPT_SET_<name> supply values; NAME=VALUE wins; case is as kpt has it', () => {
    const d = fixture('v0-basic');
    const outcome = setPackageDir(d, {
      env: { KPT_SET_HUB: 'gcr.io/from-env', KPT_SET_TAG: 'v9', KPT_SET_REPLICAS: '7', PATH: '/bin', KPT_SET_NOPE: 'x' },
      values: { tag: 'v3' },
    });
    expect(outcome.problems).toEqual([]);
    const text = fs.readFileSync(path.join(d, 'app/deployment.yaml'), 'utf8');
    expect(text).toContain("image: 'gcr.io/from-env/app:v3'");
    expect(text).toContain('replicas: 7 #');
    expect(outcome.warnings).toEqual(['KPT_SET_NOPE: no setter "nope" here; ignored']);
  });

  test('an env var whose lower-cased name misses a camel-case setter is reported, not applied', () => {
    const files: PackageFile[] = [
      {
        path: 'Kptfile',
        content:
          'apiVersion: kpt.dev/v1alpha1\nkind: Kptfile\nopenAPI:\n  definitions:\n    io.k8s.cli.setters.maxNodes:\n      type: integer\n      x-k8s-cli:\n        setter:\n          name: maxNodes\n          value: "4"\n',
      },
      { path: 'np.yaml', content: 'max: 4 # {"$ref":"#/definitions/io.k8s.cli.setters.maxNodes"}\n' },
    ];
    const outcome = applySetters(files, { env: { KPT_SET_MAXNODES: '9' } });
    expect(outcome.changed).toEqual([]);
    expect(outcome.warnings[0]).toMatch(/KPT_SET_MAXNODES: no setter "maxnodes" here \(kpt lower-cases .* "maxNodes"/);
  });
});

describe('kpt v1 apply-setters (inline configMap)', () => {
  test('renders patterns, derived values, flow lists and whole lists', () => {
    const d = fixture('v1-inline');
    const before = snapshot(d);
    const outcome = setPackageDir(d, { values: { tier: 'backend', zones: '[c]' } });
    expect(outcome.problems).toEqual([]);
    const after = snapshot(d);
    expect(hunks(before, after, 'Kptfile')).toEqual([
      [['        tier: frontend'], ['        tier: backend']],
      [[], ['        zones: |-', '          - c']],
    ]);
    expect(after.get('resources.yaml')).toBe(
      [
        'apiVersion: apps/v1',
        'kind: Deployment',
        'metadata:',
        '  name: web-backend # kpt-set: ${app}-${tier}',
        '  labels:',
        '    app: web # kpt-set: ${app}',
        // ${domain} is not given: kpt reads it back from the current value
        '    domain: backend.example # kpt-set: ${tier}.${domain}',
        'spec:',
        '  replicas: 3 # kpt-set: ${replicas}',
        '  # regions this app is served from',
        // a flow list becomes a block list, the comment stays on the key
        '  regions: # kpt-set: ${regions}',
        '    - us-east1',
        '    - us-west1',
        // zones was not in the configMap: added there, then applied
        '  zones: # kpt-set: ${zones}',
        '    - c',
        '',
      ].join('\n'),
    );
    expect(parse(after.get('Kptfile')!).pipeline.mutators[0].configMap).toEqual({
      app: 'web',
      tier: 'backend',
      replicas: '3',
      regions: '[us-east1, us-west1]',
      zones: '- c',
    });
  });

  test('an empty list value writes `key: []` with the comment on the value', () => {
    const d = fixture('v1-inline');
    expect(setPackageDir(d, { values: { zones: '[]' } }).problems).toEqual([]);
    expect(fs.readFileSync(path.join(d, 'resources.yaml'), 'utf8')).toContain('  zones: [] # kpt-set: ${zones}\n');
  });

  test('unknown names and list values for lists that are not lists are refused', () => {
    const d = fixture('v1-inline');
    const before = snapshot(d);
    const outcome = setPackageDir(d, { values: { tire: 'x', zones: 'a: b' } });
    expect(outcome.problems.map((p) => p.message)).toEqual([
      'unknown setter "tire" (did you mean "tier"?)',
      expect.stringMatching(/^setter "zones": list value must be a YAML sequence/),
    ]);
    expect(snapshot(d)).toEqual(before);
  });
});

describe('inline x-kustomize setters (own fixture)', () => {
  test('partial and full setters, integer type checked', () => {
    const d = fixture('legacy');
    const before = snapshot(d);
    expect(setPackageDir(d, { values: { count: 'x' } }).problems[0].message).toMatch(/"count" \(type integer\).*not an integer/);
    expect(snapshot(d)).toEqual(before);
    expect(setPackageDir(d, { values: { project: 'new', count: '4' } }).problems).toEqual([]);
    expect(fs.readFileSync(path.join(d, 'resources.yaml'), 'utf8')).toBe(
      [
        'apiVersion: v1',
        'kind: ConfigMap',
        'metadata:',
        '  name: "proj-new" # {"type":"string","x-kustomize":{"partialSetters":[{"name":"project","value":"new"}]}}',
        '  namespace: new # {"type":"string","x-kustomize":{"setter":{"name":"project","value":"new"}}}',
        'data:',
        '  count: 4 # {"type":"integer","x-kustomize":{"setter":{"name":"count","value":"4"}}}',
        '',
      ].join('\n'),
    );
  });
});

describe('in-memory API', () => {
  test('returns new contents without touching disk, and the inputs untouched on problems', () => {
    const files = readPackageDir(path.join(FIXTURES, 'v0-basic'));
    const ok = applySetters(files, { values: { hub: 'quay.io/x' } });
    expect(ok.problems).toEqual([]);
    expect([...ok.changed].sort()).toEqual(['Kptfile', 'app/deployment.yaml']);
    expect(ok.files.find((f) => f.path === 'app/deployment.yaml')!.content).toContain("'quay.io/x/app:v1.0.0'");
    expect(ok.changes.map((c) => c.field)).toContain('spec.template.spec.containers[0].image');
    const bad = applySetters(files, { values: { nope: '1' } });
    expect(bad.files).toBe(files);
    expect(bad.changed).toEqual([]);
  });

  test('several packages under one directory: each is set in its own Kptfile', () => {
    const tree = (name: string, prefix: string): PackageFile[] =>
      readPackageDir(path.join(FIXTURES, name)).map((f) => ({ path: `${prefix}/${f.path}`, content: f.content }));
    const files = [...tree('v0-basic', 'packages/app'), ...tree('v0-roundtrip', 'packages/gke')];
    const ok = applySetters(files, { values: { 'gcloud.core.project': 'shared-proj', hub: 'quay.io/x' } });
    expect(ok.problems).toEqual([]);
    expect([...ok.changed].sort()).toEqual([
      'packages/app/Kptfile',
      'packages/app/app/deployment.yaml',
      'packages/gke/Kptfile',
      'packages/gke/cluster.yaml',
    ]);
    // a name no package knows belongs to no single Kptfile
    expect(applySetters(files, { values: { nope: 'x' } }).problems).toEqual([{ file: undefined, message: 'unknown setter "nope"' }]);
  });

  test('YAML that does not parse is a problem with its line', () => {
    const outcome = applySetters([{ path: 'a.yaml', content: 'a: 1\nb: [\n' }], {});
    expect(outcome.problems[0]).toMatchObject({ file: 'a.yaml', message: expect.stringMatching(/^not valid YAML/) });
  });
});
