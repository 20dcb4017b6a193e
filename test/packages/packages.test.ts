import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Profile } from '../../src/config/schema';
import { generatePackage, PACKAGE_FORMAT_DIRS, PACKAGE_PROFILES, packageTree } from '../../src/packages';
import { applySetters, checkSetterRefs, formatSetterProblem, readPackageDir } from '../../src/setters';
import type { PackageFile } from '../../src/setters';
import { PACKAGES_DIR, readTree, renderedWith, resourceFiles } from './helpers';

const REGENERATE = 'npm run packages';

/** The values the round trip sets. */
const CLUSTER_VALUES: Record<string, string> = {
  'gcloud.core.project': 'my-proj',
  'gcloud.project.projectNumber': '1234567890',
  'cluster-name': 'prod-1',
  'gcloud.compute.zone': 'europe-west1-b',
};

/** A value for every setter a package can have, all different from the placeholders. */
const ALL_VALUES: Record<string, string> = {
  ...CLUSTER_VALUES,
  'gcloud.compute.region': 'europe-west1',
  'gcloud.compute.network': 'mesh-net',
  'gcloud.compute.subnetwork': 'mesh-subnet',
  'gcloud.container.cluster.releaseChannel': 'STABLE',
  nodeCount: '6',
  maxNodes: '9',
  'anthos.servicemesh.hub': 'eu.gcr.io/my-mirror/asm',
  'anthos.servicemesh.tag': '1.4.6-asm.0-patched',
  'gcloud.core.account': 'ops@example.com',
  'ingress.loadBalancerIP': '10.20.30.40',
};

/** The values a package has setters for. The subnetwork link holds the region, which follows the zone. */
function valuesFor(files: readonly PackageFile[], wanted: Record<string, string>, known: readonly string[]): Record<string, string> {
  const values = Object.fromEntries(Object.entries(wanted).filter(([name]) => known.includes(name)));
  if (values['gcloud.compute.zone'] && known.includes('gcloud.compute.region')) values['gcloud.compute.region'] = ALL_VALUES['gcloud.compute.region'];
  expect(files.length).toBeGreaterThan(0);
  return values;
}

function applied(files: readonly PackageFile[], values: Record<string, string>): PackageFile[] {
  const outcome = applySetters(files, { values, env: {} });
  expect(outcome.problems.map((p) => formatSetterProblem(p))).toEqual([]);
  return [...outcome.files];
}

describe('committed packages', () => {
  const generated = packageTree('v1');

  test.each(['v1', 'v0'] as const)(`packages/ (kpt %s) is what the generator produces (stale? run \`${REGENERATE}\`)`, (format) => {
    const root = path.join(PACKAGES_DIR, PACKAGE_FORMAT_DIRS[format]);
    const committed = readTree(root).filter((f) => PACKAGE_PROFILES.some((p) => f.path.startsWith(`${p}/`)));
    const want = new Map(packageTree(format).files.map((f) => [f.path, f.content]));
    const have = new Map(committed.map((f) => [f.path, f.content]));
    const missing = [...want.keys()].filter((p) => !have.has(p));
    const extra = [...have.keys()].filter((p) => !want.has(p));
    const differ = [...want.keys()].filter((p) => have.has(p) && have.get(p) !== want.get(p));
    const shown = `packages/${PACKAGE_FORMAT_DIRS[format]}`;
    const stale = [
      ...missing.map((p) => `missing: ${shown}${p}`),
      ...extra.map((p) => `not generated: ${shown}${p}`),
      ...differ.map((p) => `differs: ${shown}${p}`),
    ];
    if (stale.length > 0) {
      throw new Error(`packages/ is stale; regenerate it with \`${REGENERATE}\` and commit the result:\n  ${stale.join('\n  ')}`);
    }
  });

  test('packages/<profile> is kpt v1 and packages/v0/<profile> kpt v0, nothing else', () => {
    const top = fs.readdirSync(PACKAGES_DIR).sort();
    expect(top).toEqual([...PACKAGE_PROFILES, 'v0'].sort());
    expect(fs.readdirSync(path.join(PACKAGES_DIR, 'v0')).sort()).toEqual([...PACKAGE_PROFILES].sort());
    for (const profile of PACKAGE_PROFILES) {
      expect(fs.readFileSync(path.join(PACKAGES_DIR, profile, 'Kptfile'), 'utf8')).toMatch(/^apiVersion: kpt\.dev\/v1\n/);
      expect(fs.readFileSync(path.join(PACKAGES_DIR, 'v0', profile, 'Kptfile'), 'utf8')).toMatch(/^apiVersion: kpt\.dev\/v1alpha1\n/);
    }
  });

  test.each(PACKAGE_PROFILES)('every $ref of packages/v0/%s resolves to a Kptfile definition', (profile) => {
    const files = readPackageDir(path.join(PACKAGES_DIR, 'v0', profile));
    expect(files.some((f) => f.path === 'Kptfile')).toBe(true);
    expect(checkSetterRefs(files).map((p) => formatSetterProblem(p))).toEqual([]);
    // and re-rendering from the recorded values gives the same resources
    const rerendered = applySetters(files, { env: {} });
    expect(rerendered.problems).toEqual([]);
    expect(resourceFiles(rerendered.files)).toEqual(resourceFiles(files));
  });

  test.each(PACKAGE_PROFILES)('packages/%s (kpt v1) re-rendered from its setters.yaml is unchanged', (profile) => {
    const files = readPackageDir(path.join(PACKAGES_DIR, profile));
    const rerendered = applySetters(files, { env: {} });
    expect(rerendered.problems).toEqual([]);
    expect(rerendered.changed).toEqual([]);
  });

  test('packages hold no key material', () => {
    const files = readTree(PACKAGES_DIR);
    expect(files.length).toBeGreaterThan(0);
    for (const f of files) {
      expect(f.path.split('/')).not.toContain('secrets');
      expect(f.content).not.toMatch(/-----BEGIN [A-Z ]*PRIVATE KEY-----/);
      expect(f.content).not.toMatch(/ca-key\.pem:\s*\S{20,}/);
      expect(f.content).not.toMatch(/^kind: Secret$/m);
    }
  });

  test('the on-prem guide makes cacerts with asmpkg certs, and can be run again', () => {
    const guide = generated.files.find((f) => f.path === 'onprem/INSTALL.md')!.content;
    expect(guide).toContain('|| asmpkg certs --out $HOME/asm-certs/${CLUSTER}/ca --cluster ${CLUSTER}');
    expect(guide).toContain('kubectl create secret generic cacerts -n istio-system');
    expect(guide).toContain('--dry-run=client -o yaml | kubectl apply -f -');
    expect(guide).not.toContain('secrets/');
  });
});

describe.each(PACKAGE_PROFILES)('kpt v0 package %s', (profile: Profile) => {
  const pkg = generatePackage(profile, 'v0');
  const names = pkg.setters.map((s) => s.name);

  test('the Kptfile is kpt v0 and every placeholder field has a setter comment', () => {
    const kptfile = pkg.files.find((f) => f.path === 'Kptfile')!.content;
    expect(kptfile).toMatch(/^apiVersion: kpt\.dev\/v1alpha1\nkind: Kptfile\nmetadata:\n {2}name: /);
    expect(kptfile).toContain('packageMetadata:\n  shortDescription: ');
    expect(pkg.unsupported).toEqual([]);
  });

  test('header comments survive', () => {
    for (const f of pkg.files.filter((x) => x.path.endsWith('.yaml'))) expect(f.content.startsWith('# ')).toBe(true);
  });

  test('setting every setter gives what rendering with those values gives', () => {
    const values = valuesFor(pkg.files, ALL_VALUES, names);
    const set = resourceFiles(applied(pkg.files, values));
    expect(set).toEqual(renderedWith(profile, values));
  });
});

describe.each(['gke', 'gke-istioctl'] as Profile[])('round trip of %s', (profile) => {
  test.each(['v0', 'v1'] as const)('kpt %s: project, number, cluster and zone set == rendered with them', (format) => {
    const pkg = generatePackage(profile, format);
    const values = valuesFor(pkg.files, CLUSTER_VALUES, pkg.setters.map((s) => s.name));
    expect(Object.keys(values)).toEqual(expect.arrayContaining(Object.keys(CLUSTER_VALUES)));
    expect(resourceFiles(applied(pkg.files, values))).toEqual(renderedWith(profile, values));
  });
});

describe.each(PACKAGE_PROFILES)('kpt v1 package %s', (profile: Profile) => {
  const pkg = generatePackage(profile, 'v1');

  test('Kptfile runs apply-setters with setters.yaml', () => {
    const kptfile = pkg.files.find((f) => f.path === 'Kptfile')!.content;
    expect(kptfile).toContain('apiVersion: kpt.dev/v1\nkind: Kptfile\n');
    expect(kptfile).toMatch(/\n {2}mutators:\n {4}- image: gcr\.io\/kpt-fn\/apply-setters:v0\.2\n {6}configPath: setters\.yaml\n/);
    const setters = pkg.files.find((f) => f.path === 'setters.yaml')!.content;
    expect(setters).toContain('kind: ConfigMap');
    expect(setters).toContain('config.kubernetes.io/local-config: "true"');
    for (const s of pkg.setters) expect(setters).toContain(`${s.name}: `);
    expect(pkg.files.some((f) => /# kpt-set: \$\{gcloud\.core\.project\}\.svc\.id\.goog$/m.test(f.content))).toBe(profile === 'gke' || profile === 'gke-istioctl');
    expect(pkg.files.every((f) => !f.content.includes('"$ref"'))).toBe(true);
  });

  test('every placeholder field has a kpt-set comment (multi-line values hold none), and setting every setter matches rendering', () => {
    expect(pkg.unsupported).toEqual([]);
    const values = valuesFor(pkg.files, ALL_VALUES, pkg.setters.map((s) => s.name));
    expect(resourceFiles(applied(pkg.files, values))).toEqual(renderedWith(profile, values));
  });
});
