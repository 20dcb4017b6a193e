import * as fs from 'node:fs';
import * as path from 'node:path';
import { Command, CommanderError } from 'commander';
import { CliError, CliIO } from '../../src/cli/io';
import { main } from '../../src/cli/main';
import { registerSet } from '../../src/cli/set';
import { copyToTemp, FIXTURES, removeDir, snapshot } from '../setters/helpers';

let root: string;
let out: string[];
let err: string[];

beforeEach(() => {
  root = copyToTemp(FIXTURES, 'asmpkg-cli-set-');
  out = [];
  err = [];
});
afterEach(() => removeDir(root));

function io(env: NodeJS.ProcessEnv = {}): CliIO {
  return { stdout: (l) => out.push(l), stderr: (l) => err.push(l), env, cwd: root };
}

/** Runs `asmpkg ARGS...` with only the set command; resolves to the exit code main would return. */
async function run(args: string[], env?: NodeJS.ProcessEnv): Promise<number> {
  const program = new Command('asmpkg')
    .exitOverride()
    .configureOutput({ writeOut: (s) => out.push(s), writeErr: (s) => err.push(s) });
  registerSet(program, io(env));
  for (const c of program.commands) c.exitOverride();
  try {
    await program.parseAsync(args, { from: 'user' });
    return 0;
  } catch (e) {
    if (e instanceof CommanderError) return e.code === 'commander.helpDisplayed' ? 0 : e.exitCode;
    if (e instanceof CliError) {
      err.push(...e.message.split('\n'));
      return e.exitCode;
    }
    throw e;
  }
}

test('--help explains the formats, env vars and --dry-run', async () => {
  expect(await run(['set', '--help'])).toBe(0);
  const help = out.join('');
  expect(help).toContain('set [options] <dir> [assignments...]');
  expect(help).toContain('--dry-run');
  expect(help).toContain('KPT_SET_');
  expect(help).toContain('# kpt-set:');
});

test('sets values and reports each changed field', async () => {
  expect(await run(['set', 'v0-basic', 'gcloud.core.project=my-proj', 'replicas=3'])).toBe(0);
  expect(err).toEqual([]);
  expect(out).toContain(
    'v0-basic/app/deployment.yaml:6: metadata.namespace: PROJECT_ID -> my-proj [gcloud.core.project]',
  );
  expect(out[out.length - 1]).toBe('set 4 change(s) in 2 file(s)');
  expect(fs.readFileSync(path.join(root, 'v0-basic/app/deployment.yaml'), 'utf8')).toContain('replicas: 3 #');
});

test('--dry-run prints what would change and writes nothing', async () => {
  const before = snapshot(root);
  expect(await run(['set', 'v0-basic', 'hub=quay.io/me', '--dry-run'])).toBe(0);
  expect(out).toContain(
    "would set v0-basic/app/deployment.yaml:17: spec.template.spec.containers[0].image: 'gcr.io/example/app:v1.0.0' -> 'quay.io/me/app:v1.0.0' [image, hub]",
  );
  expect(out).toContain('would set v0-basic/Kptfile:41: setter hub: gcr.io/example -> quay.io/me (isSet: true) [hub]');
  expect(out[out.length - 1]).toBe('dry run: 2 change(s) in 2 file(s); nothing written');
  expect(snapshot(root)).toEqual(before);
});

test('problems: one line each, file and line named, exit 2, nothing written', async () => {
  const before = snapshot(root);
  expect(await run(['set', 'v0-basic', 'gcloud.core.projet=x', 'replicas=many', 'oops'])).toBe(2);
  expect(err).toEqual(['asmpkg: "oops" is not NAME=VALUE', 'asmpkg: nothing was changed (1 problem)']);
  err = [];
  expect(await run(['set', 'v0-basic', 'gcloud.core.projet=x', 'replicas=many'])).toBe(2);
  expect(err).toEqual([
    'asmpkg: v0-basic/Kptfile: unknown setter "gcloud.core.projet" (did you mean "gcloud.core.project"?)',
    expect.stringMatching(/^asmpkg: v0-basic\/Kptfile:\d+: setter "replicas" \(type integer\): value "many" is not an integer$/),
    'asmpkg: nothing was changed (2 problems)',
  ]);
  err = [];
  expect(await run(['set', 'v0-broken'])).toBe(2);
  expect(err).toContain(
    'asmpkg: v0-broken/resources.yaml:6: data.zone: $ref "#/definitions/io.k8s.cli.setters.zone" points to no definition in Kptfile',
  );
  expect(snapshot(root)).toEqual(before);
});

test('KPT_SET_ variables come from the command environment; arguments win', async () => {
  expect(await run(['set', 'v0-basic', 'tag=v5'], { KPT_SET_TAG: 'v4', KPT_SET_HUB: 'gcr.io/env', KPT_SET_UNRELATED: '1' })).toBe(0);
  expect(fs.readFileSync(path.join(root, 'v0-basic/app/deployment.yaml'), 'utf8')).toContain("'gcr.io/env/app:v5'");
  expect(err).toEqual(['asmpkg: warning: KPT_SET_UNRELATED: no setter "unrelated" here; ignored']);
});

test('a missing directory is a usage problem', async () => {
  expect(await run(['set', 'nope'])).toBe(2);
  expect(err[0]).toMatch(/^asmpkg: nope: .*nope is not a directory$/);
});

/** Writes a package tree under root; `files` maps relative paths to contents. */
function writeTree(dir: string, files: Record<string, string>): void {
  for (const [rel, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(root, dir, rel), content);
  }
}

describe('a directory that is no kpt package', () => {
  test('an empty directory: one line naming it, exit 2', async () => {
    fs.mkdirSync(path.join(root, 'empty'));
    expect(await run(['set', 'empty', 'cluster-name=asm-1'])).toBe(2);
    expect(err).toEqual(['asmpkg: empty: no Kptfile found (not a kpt package)']);
    expect(out).toEqual([]);
  });

  test('YAML without a Kptfile or any setter (a mistyped package path), with or without values', async () => {
    writeTree('manifests', { 'a.yaml': 'apiVersion: v1\nkind: Namespace\nmetadata: {name: a}\n' });
    const before = snapshot(root);
    expect(await run(['set', 'manifests', 'gcloud.core.project=my-proj'])).toBe(2);
    expect(err).toEqual(['asmpkg: manifests: no Kptfile found (not a kpt package)']);
    err = [];
    expect(await run(['set', 'manifests'])).toBe(2);
    expect(err).toEqual(['asmpkg: manifests: no Kptfile found (not a kpt package)']);
    expect(snapshot(root)).toEqual(before);
  });

  test('inline setters of early-2020 packages still need no Kptfile', async () => {
    expect(await run(['set', 'legacy', 'project=new'])).toBe(0);
    expect(err).toEqual([]);
  });
});

describe('the change log summarises long values', () => {
  test('a long one-line value is cut at 60 characters with …', async () => {
    const hub = `gcr.io/${'a'.repeat(80)}`;
    expect(await run(['set', 'v0-basic', `hub=${hub}`])).toBe(0);
    const line = out.find((l) => l.startsWith('v0-basic/app/deployment.yaml:17:'))!;
    expect(line).toBe(
      `v0-basic/app/deployment.yaml:17: spec.template.spec.containers[0].image: 'gcr.io/example/app:v1.0.0' -> '${hub.slice(0, 58)}… [image, hub]`,
    );
    // the file holds the whole value
    expect(fs.readFileSync(path.join(root, 'v0-basic/app/deployment.yaml'), 'utf8')).toContain(`'${hub}/app:v1.0.0'`);
  });

  test('a multi-line value (an injector template) shows its first line and its line count', async () => {
    const template = ['policy: enabled', 'template: |', '  initContainers:', '  - name: istio-init', '    image: PROJECT_ID/proxy'].join('\n      ');
    writeTree('inj', {
      Kptfile: [
        'apiVersion: kpt.dev/v1alpha1',
        'kind: Kptfile',
        'metadata: {name: inj}',
        'openAPI:',
        '  definitions:',
        '    io.k8s.cli.setters.gcloud.core.project:',
        '      x-k8s-cli:',
        '        setter: {name: gcloud.core.project, value: PROJECT_ID}',
        '    io.k8s.cli.substitutions.config:',
        '      x-k8s-cli:',
        '        substitution:',
        '          name: config',
        `          pattern: ${JSON.stringify(template.replace(/\n {6}/g, '\n'))}`,
        '          values:',
        "          - {marker: PROJECT_ID, ref: '#/definitions/io.k8s.cli.setters.gcloud.core.project'}",
        '',
      ].join('\n'),
      'cm.yaml': [
        'apiVersion: v1',
        'kind: ConfigMap',
        'metadata: {name: istio-sidecar-injector}',
        'data:',
        `  config: ${JSON.stringify(template.replace(/\n {6}/g, '\n'))} # {"$ref":"#/definitions/io.k8s.cli.substitutions.config"}`,
        '',
      ].join('\n'),
    });
    expect(await run(['set', 'inj', 'gcloud.core.project=my-project'])).toBe(0);
    expect(err).toEqual([]);
    expect(out).toContain('inj/cm.yaml:5: data.config: policy: enabled (5 lines) -> policy: enabled (5 lines) [config, gcloud.core.project]');
    expect(out.every((l) => l.length < 200)).toBe(true);
    expect(fs.readFileSync(path.join(root, 'inj/cm.yaml'), 'utf8')).toContain('image: my-project/proxy');
  });
});

describe('values of the well-known ASM setters follow the config rules', () => {
  /** A kpt v0 package defining the ASM setters (names as in the ASM 1.4 package). */
  function asmPackage(dir: string): void {
    const setter = (name: string, value: string, type?: string) =>
      [`    io.k8s.cli.setters.${name}:`, ...(type ? [`      type: ${type}`] : []), '      x-k8s-cli:', `        setter: {name: ${name}, value: "${value}"}`];
    writeTree(dir, {
      Kptfile: [
        'apiVersion: kpt.dev/v1alpha1',
        'kind: Kptfile',
        'metadata: {name: asm}',
        'openAPI:',
        '  definitions:',
        ...setter('gcloud.core.project', 'PROJECT_ID'),
        ...setter('gcloud.project.projectNumber', 'PROJECT_NUMBER'),
        ...setter('cluster-name', 'asm-cluster'),
        ...setter('gcloud.compute.zone', 'us-central1-c'),
        ...setter('gcloud.compute.region', 'us-central1'),
        ...setter('gcloud.compute.network', 'default'),
        ...setter('gcloud.compute.subnetwork', 'default'),
        ...setter('gcloud.container.cluster.releaseChannel', 'REGULAR'),
        ...setter('nodeCount', '4', 'integer'),
        ...setter('maxNodes', '6', 'integer'),
        ...setter('replicas', '1', 'integer'),
        ...setter('label', 'x'),
        '',
      ].join('\n'),
      'pool.yaml': [
        'apiVersion: container.cnrm.cloud.google.com/v1beta1',
        'kind: ContainerNodePool',
        'metadata:',
        '  name: pool',
        '  namespace: PROJECT_ID # {"$ref":"#/definitions/io.k8s.cli.setters.gcloud.core.project"}',
        '  labels: {cluster: asm-cluster} # {"$ref":"#/definitions/io.k8s.cli.setters.cluster-name"}',
        'spec:',
        '  initialNodeCount: 4 # {"$ref":"#/definitions/io.k8s.cli.setters.nodeCount"}',
        '  autoscaling:',
        '    minNodeCount: 4 # {"$ref":"#/definitions/io.k8s.cli.setters.nodeCount"}',
        '    maxNodeCount: 6 # {"$ref":"#/definitions/io.k8s.cli.setters.maxNodes"}',
        '',
      ].join('\n'),
    });
  }

  test.each([
    ['gcloud.core.project=My_Project', 'setter "gcloud.core.project" = "My_Project": must be a GCP project ID: 6-30 lowercase letters, digits or hyphens, starting with a letter, not ending with a hyphen'],
    ['gcloud.core.project=proj', 'setter "gcloud.core.project" = "proj": must be a GCP project ID: 6-30 lowercase letters, digits or hyphens, starting with a letter, not ending with a hyphen'],
    ['gcloud.project.projectNumber=0123', 'setter "gcloud.project.projectNumber" = "0123": must be a project number: digits only, no leading zero'],
    ['cluster-name=Asm_Cluster', 'setter "cluster-name" = "Asm_Cluster": must be a cluster name: lowercase letters, digits and hyphens, starting with a letter, at most 40 characters'],
    ['gcloud.compute.zone=us-central', 'setter "gcloud.compute.zone" = "us-central": must be a GCP zone (us-central1-c) or region (us-central1); did you mean "us-central1"?'],
    ['gcloud.compute.region=us-central1-c', 'setter "gcloud.compute.region" = "us-central1-c": is no GCP region (regions as of 2020-07-01); did you mean "us-central1"?'],
    ['gcloud.compute.network=My Net', 'setter "gcloud.compute.network" = "My Net": must be a GCE network name (lowercase letters, digits, hyphens; letter first, at most 63)'],
    ['gcloud.compute.subnetwork=-sub', 'setter "gcloud.compute.subnetwork" = "-sub": must be a GCE subnetwork name (lowercase letters, digits, hyphens; letter first, at most 63)'],
    ['gcloud.container.cluster.releaseChannel=regular', 'setter "gcloud.container.cluster.releaseChannel" = "regular": must be RAPID, REGULAR or STABLE'],
    ['nodeCount=3', 'setter "nodeCount" = "3": must be at least 4: ASM requires at least 4 nodes'],
    ['maxNodes=5.5', 'setter "maxNodes" = "5.5": must be a whole number of nodes (digits)'],
  ])('%s is refused, naming setter, value and rule; nothing changes', async (assignment, message) => {
    asmPackage('asm');
    const before = snapshot(root);
    expect(await run(['set', 'asm', assignment])).toBe(2);
    expect(err).toEqual([`asmpkg: asm/Kptfile: ${message}`, 'asmpkg: nothing was changed (1 problem)']);
    expect(snapshot(root)).toEqual(before);
  });

  test('maxNodes must be at least nodeCount, the given one or the package\'s', async () => {
    asmPackage('asm');
    const before = snapshot(root);
    expect(await run(['set', 'asm', 'nodeCount=8', 'maxNodes=6'])).toBe(2);
    expect(err).toEqual(['asmpkg: asm/Kptfile: setter "maxNodes" = "6": must be at least nodeCount (8)', 'asmpkg: nothing was changed (1 problem)']);
    err = [];
    expect(await run(['set', 'asm', 'nodeCount=7'])).toBe(2);
    expect(err[0]).toBe('asmpkg: asm/Kptfile: setter "nodeCount" = "7": must be at most maxNodes (6) (the package records maxNodes = "6"; set it too)');
    expect(snapshot(root)).toEqual(before);
    err = [];
    expect(await run(['set', 'asm', 'nodeCount=7', 'maxNodes=7'])).toBe(0);
    expect(err).toEqual([]);
  });

  test('valid values are set; other setters are not held to these rules', async () => {
    asmPackage('asm');
    expect(
      await run(['set', 'asm', 'gcloud.core.project=my-project-1', 'cluster-name=asm-1', 'gcloud.compute.zone=europe-west1', 'gcloud.container.cluster.releaseChannel=STABLE', 'label=Any_Value', 'nodeCount=5']),
    ).toBe(0);
    expect(err).toEqual([]);
    expect(fs.readFileSync(path.join(root, 'asm/pool.yaml'), 'utf8')).toContain('namespace: my-project-1 #');
  });

  test('empty values are refused for every setter', async () => {
    asmPackage('asm');
    const before = snapshot(root);
    expect(await run(['set', 'asm', 'cluster-name=', 'label='])).toBe(2);
    expect(err).toEqual([
      'asmpkg: asm/Kptfile: setter "cluster-name": empty value "" refused; give a value (for an empty list: [])',
      'asmpkg: asm/Kptfile: setter "label": empty value "" refused; give a value (for an empty list: [])',
      'asmpkg: nothing was changed (2 problems)',
    ]);
    expect(snapshot(root)).toEqual(before);
  });

  test('kpt v1 packages: by setter name, values from the apply-setters config', async () => {
    writeTree('v1', {
      Kptfile: 'apiVersion: kpt.dev/v1\nkind: Kptfile\nmetadata: {name: v1}\npipeline:\n  mutators:\n    - image: gcr.io/kpt-fn/apply-setters:v0.2\n      configMap: {cluster-name: asm-cluster, maxNodes: "6"}\n',
      'r.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: asm-cluster # kpt-set: ${cluster-name}\ndata:\n  max: "6" # kpt-set: ${maxNodes}\n',
    });
    expect(await run(['set', 'v1', 'cluster-name=Bad!'])).toBe(2);
    expect(err[0]).toBe('asmpkg: v1/Kptfile: setter "cluster-name" = "Bad!": must be a cluster name: lowercase letters, digits and hyphens, starting with a letter, at most 40 characters');
    err = [];
    expect(await run(['set', 'v1', 'maxNodes=2'])).toBe(2);
    expect(err[0]).toMatch(/"maxNodes" = "2": must be at least 4/);
  });
});

test('through main, every stderr line starts with "asmpkg: "', async () => {
  const lines: string[] = [];
  const mainIO: CliIO = { stdout: () => undefined, stderr: (l) => lines.push(l), env: { KPT_SET_NOPE: 'x' }, cwd: root };
  fs.mkdirSync(path.join(root, 'empty'));
  expect(await main(['set', 'empty', 'a=b'], mainIO)).toBe(2);
  expect(await main(['set', 'v0-basic', 'replicas=many', 'gcloud.core.project=P'], mainIO)).toBe(2);
  expect(await main(['set', 'v0-basic', 'oops'], mainIO)).toBe(2);
  expect(lines.length).toBeGreaterThan(5);
  for (const line of lines) expect(line).toMatch(/^asmpkg: /);
  expect(lines).toContain('asmpkg: empty: no Kptfile found (not a kpt package)');
  expect(lines).toContain('asmpkg: warning: KPT_SET_NOPE: no setter "nope" here; ignored');
});
