/**
 * Issue 14: `asmpkg set` holds the whole resulting setter state of a package -- values
 * given now and values the package records (Kptfile, setters.yaml, hand edits) -- to the
 * config's rules, for every setter of every profile, kpt v0 and v1; a zone alone moves
 * the region; a no-op set changes no byte of a committed package.
 */
import { applySetters, type PackageFile } from '../../src/setters';
import { packageTree, PACKAGE_PROFILES } from '../../src/packages/generate';
import { readTree, PACKAGES_DIR } from '../packages/helpers';
import * as path from 'node:path';

const V0 = packageTree('v0').files;
const V1 = packageTree('v1').files;

function pkg(files: readonly PackageFile[], profile: string): PackageFile[] {
  return files.filter((f) => f.path.startsWith(`${profile}/`)).map((f) => ({ path: f.path.slice(profile.length + 1), content: f.content }));
}

function edit(files: readonly PackageFile[], file: string, from: string, to: string): PackageFile[] {
  return files.map((f) => {
    if (f.path !== file) return f;
    expect(f.content).toContain(from);
    return { ...f, content: f.content.replace(from, to) };
  });
}

const messages = (o: ReturnType<typeof applySetters>) => o.problems.map((p) => `${p.file ?? ''}${p.line ? `:${p.line}` : ''}: ${p.message}`);

describe('a no-op set changes no byte', () => {
  test.each(PACKAGE_PROFILES)('committed package %s, and its kpt v1 form', (profile) => {
    const committed = readTree(path.join(PACKAGES_DIR, profile));
    const outcome = applySetters(committed);
    expect([outcome.problems, outcome.changes, outcome.changed]).toEqual([[], [], []]);
    const v1 = applySetters(pkg(V1, profile));
    expect([v1.problems, v1.changes, v1.changed]).toEqual([[], [], []]);
  });

  test('an unrelated set touches only the fields of that setter', () => {
    const outcome = applySetters(pkg(V0, 'gke'), { values: { maxNodes: '6' } });
    expect(outcome.problems).toEqual([]);
    expect(new Set(outcome.changes.map((c) => c.setters.join(',')))).toEqual(new Set(['maxNodes']));
    expect(outcome.changes.map((c) => c.after)).toEqual([expect.stringContaining('"6"'), '6']);
  });
});

describe('a zone alone sets its region', () => {
  test.each([['v0', V0], ['v1', V1]] as const)('%s: europe-west1-b moves the subnetwork link to europe-west1', (_f, tree) => {
    const outcome = applySetters(pkg(tree, 'gke'), { values: { 'gcloud.compute.zone': 'europe-west1-b' } });
    expect(outcome.problems).toEqual([]);
    const cluster = outcome.files.find((f) => f.path === 'config-connector/cluster.yaml')!.content;
    expect(cluster).toContain('regions/europe-west1/subnetworks/');
    expect(cluster).not.toContain('us-central1');
  });

  test('a regional location is its own region', () => {
    const outcome = applySetters(pkg(V0, 'gke'), { values: { 'gcloud.compute.zone': 'asia-east1' } });
    expect(outcome.files.find((f) => f.path === 'config-connector/cluster.yaml')!.content).toContain('regions/asia-east1/subnetworks/');
  });

  test('a contradicting pair is refused, and nothing changes', () => {
    const input = pkg(V0, 'gke');
    const outcome = applySetters(input, { values: { 'gcloud.compute.zone': 'asia-east1-a', 'gcloud.compute.region': 'europe-west1' } });
    expect(messages(outcome)).toEqual([
      'Kptfile: setter "gcloud.compute.region" = "europe-west1": contradicts the location asia-east1-a, which is in asia-east1 (setter gcloud.compute.zone)',
    ]);
    expect(outcome.files).toEqual(input);
  });
});

describe('the whole setter state follows the config rules', () => {
  test('hand edits in a v1 setters.yaml are refused with file and line, then set DIR changes nothing', () => {
    let input = pkg(V1, 'gke');
    input = edit(input, 'setters.yaml', 'nodeCount: "4"', 'nodeCount: "3"');
    input = edit(input, 'setters.yaml', 'gcloud.core.project: PROJECT_ID', 'gcloud.core.project: Bad_Proj');
    input = edit(input, 'setters.yaml', 'maxNodes: "4"', 'maxNodes: "2"');
    const outcome = applySetters(input);
    expect(messages(outcome)).toEqual([
      expect.stringMatching(/^setters\.yaml:\d+: setter "gcloud\.core\.project" = "Bad_Proj": must be a GCP project ID: .*\(the value the package records; set it or correct it\)$/),
      expect.stringMatching(/^setters\.yaml:\d+: setter "nodeCount" = "3": must be at least 4: ASM requires at least 4 nodes/),
      expect.stringMatching(/^setters\.yaml:\d+: setter "maxNodes" = "2": must be at least 4: ASM requires at least 4 nodes/),
    ]);
    expect(outcome.files).toEqual(input);
    expect(outcome.changed).toEqual([]);
  });

  test('a hand-edited v0 Kptfile value is refused with its line; a clash with a given value is the given one\'s', () => {
    const input = edit(pkg(V0, 'gke'), 'Kptfile', 'name: nodeCount\n          value: "4"', 'name: nodeCount\n          value: "2"');
    expect(messages(applySetters(input))).toEqual([
      expect.stringMatching(/^Kptfile:\d+: setter "nodeCount" = "2": must be at least 4: ASM requires at least 4 nodes \(the value the package records; set it or correct it\)$/),
    ]);
    const nine = edit(pkg(V0, 'gke'), 'Kptfile', 'name: maxNodes\n          value: "4"', 'name: maxNodes\n          value: "9"');
    expect(messages(applySetters(nine, { values: { nodeCount: '10' } }))).toEqual([
      'Kptfile: setter "nodeCount" = "10": must be at most maxNodes (9) (the package records maxNodes = "9"; set it too)',
    ]);
  });

  test('placeholders nobody has set yet are not refused; a value given now always is checked', () => {
    expect(applySetters(pkg(V0, 'gke'), { values: { nodeCount: '5', maxNodes: '5' } }).problems).toEqual([]);
    expect(messages(applySetters(pkg(V0, 'gke'), { values: { 'gcloud.core.project': 'PROJECT_ID' } }))).toEqual([
      expect.stringContaining('setter "gcloud.core.project" = "PROJECT_ID": must be a GCP project ID'),
    ]);
  });

  test.each<[string, string, string, RegExp]>([
    ['onprem', 'ingress.loadBalancerIP', '10.0.0.999', /must be an IPv4 address/],
    ['onprem', 'ingress.loadBalancerIP', 'fd00::1', /is an IPv6 address; IPv6 is not supported by ASM 1\.4/],
    ['onprem', 'gcloud.core.account', 'admin', /must be an email address/],
    ['gke-istioctl', 'gcloud.core.account', '"a"@example.com', /must be an email address/],
    ['gke', 'anthos.servicemesh.hub', 'gcr.io/x"y', /must be an image registry path/],
    ['gke', 'anthos.servicemesh.hub', 'GCR.io/Upper', /must be an image registry path/],
    ['gke', 'anthos.servicemesh.tag', '-bad', /must be an image tag/],
    ['gke', 'gcloud.compute.zone', 'europe-west1-a', /is no GCP zone or region .*did you mean "europe-west1-b"\?/],
    ['gke', 'gcloud.compute.zone', 'mars-north9', /is no GCP zone or region/],
    ['gke', 'gcloud.compute.region', 'mars-north9', /is no GCP region/],
    ['gke', 'gcloud.project.projectNumber', '4.12e11', /must be a project number: digits only/],
    ['gke', 'gcloud.container.cluster.releaseChannel', 'regular', /must be RAPID, REGULAR or STABLE/],
    ['gke', 'nodeCount', '3', /must be at least 4: ASM requires at least 4 nodes/],
    ['gke', 'maxNodes', 'six', /must be a whole number of nodes \(digits\)/],
    ['gke', 'cluster-name', 'Bad!', /must be a cluster name/],
    ['gke', 'gcloud.compute.network', 'My Net', /must be a GCE network name/],
  ])('%s: %s=%s is refused in v0 and v1, nothing changes', (profile, setter, value, rule) => {
    for (const tree of [V0, V1]) {
      const input = pkg(tree, profile);
      const outcome = applySetters(input, { values: { [setter]: value } });
      expect(messages(outcome)).toEqual([expect.stringMatching(rule)]);
      expect(messages(outcome)[0]).toContain(`setter ${JSON.stringify(setter)} = ${JSON.stringify(value)}: `);
      expect(outcome.files).toEqual(input);
    }
  });
});
