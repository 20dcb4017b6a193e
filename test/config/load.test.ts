import { parseConfig } from '../../src/config/load';
import { InputError } from '../../src/config/problems';
import { resolveCluster } from '../../src/config/resolve';
import { configText, GKE_CLUSTER, ISTIO_ON_GKE_CLUSTER, ISTIOCTL_CLUSTER, ONPREM_CLUSTER, withField } from '../helpers/config';

/** The lines of the InputError a text is refused with. */
function refusal(text: string): string[] {
  try {
    parseConfig(text, 'asmpkg.yaml');
  } catch (e) {
    expect(e).toBeInstanceOf(InputError);
    return (e as InputError).message.split('\n');
  }
  throw new Error('config was accepted');
}

describe('parseConfig accepts', () => {
  test('a cluster of each profile, with defaults resolved', () => {
    const { clusters } = parseConfig(configText(GKE_CLUSTER, ISTIOCTL_CLUSTER, ONPREM_CLUSTER));
    const [gke, istioctl, onprem] = clusters.map((c) => resolveCluster(c));
    expect(gke.kubernetesVersion).toBe('1.15');
    expect(gke.trustDomain).toBe('asm-demo-project.svc.id.goog');
    expect(gke.nodePool).toEqual({ name: 'asm-gke-pool', machineType: 'e2-standard-4', nodeCount: 4, maxNodeCount: 4 });
    expect(gke.kcc).toBe('current');
    expect(istioctl.kubernetesVersion).toBe('1.14');
    expect(onprem.trustDomain).toBe('cluster.local');
    expect(onprem.kubernetesVersion).toBe('1.14');
    expect(onprem.ingress.loadBalancerIP).toBe('192.168.30.60');
  });

  test('a numeric project number, as YAML reads 123456789012', () => {
    const c = parseConfig('clusters:\n' + configText(withField(GKE_CLUSTER, 'project.number', 123456789012)).slice('clusters:\n'.length));
    expect(c.clusters[0].project?.number).toBe('123456789012');
  });

  test('defaults merged into each cluster, the cluster winning', () => {
    const text = `defaults:\n  version: 1.14.10-gke.27\n  nodePool: { machineType: n1-standard-8, nodeCount: 5 }\n` + configText(withField(withField(GKE_CLUSTER, 'version', undefined), 'nodePool', { nodeCount: 6 }));
    const [c] = parseConfig(text).clusters;
    expect(c.version).toBe('1.14.10-gke.27');
    expect(c.nodePool).toEqual({ machineType: 'n1-standard-8', nodeCount: 6 });
  });

  test.each(['e2-standard-4', 'n1-standard-4', 'n1-highcpu-8', 'n2-standard-4', 'n2d-highmem-4', 'c2-standard-4', 'custom-4-15360', 'n2-custom-6-24576', 'e2-custom-4-8192'])(
    'machine type %s',
    (machineType) => {
      expect(parseConfig(configText(withField(GKE_CLUSTER, 'nodePool.machineType', machineType))).clusters).toHaveLength(1);
    },
  );

  test.each(['1.13.11-gke.14', '1.14.8-gke.18', '1.15.4-gke.15', '1.15.12-gke.2'])('GKE version %s', (version) => {
    expect(parseConfig(configText(withField(GKE_CLUSTER, 'version', version))).clusters).toHaveLength(1);
  });
});

describe('parseConfig refuses, naming the field, the value and the rule', () => {
  test.each<[string, string, unknown, RegExp]>([
    ['too few nodes', 'nodePool.nodeCount', 3, /clusters\[0\]\.nodePool\.nodeCount = 3: must be at least 4/],
    ['a fractional node count', 'nodePool.nodeCount', 4.5, /clusters\[0\]\.nodePool\.nodeCount = 4\.5: must be a whole number/],
    ['a negative node count', 'nodePool.nodeCount', -4, /nodePool\.nodeCount = -4: must be at least 4: ASM requires at least 4 nodes/],
    ['absurd node counts', 'nodePool.nodeCount', 1e9, /nodePool\.nodeCount = 1000000000: must be at most/],
    ['a 2-vCPU machine', 'nodePool.machineType', 'e2-standard-2', /nodePool\.machineType = "e2-standard-2": has 2 vCPU; ASM requires at least 4/],
    ['a shared-core machine', 'nodePool.machineType', 'e2-medium', /has 1 vCPU/],
    ['a small custom machine', 'nodePool.machineType', 'custom-2-7680', /has 2 vCPU/],
    ['an unknown machine type', 'nodePool.machineType', 'm9-mega-4', /unknown machine type/],
    ['an old GKE 1.15', 'version', '1.15.4-gke.14', /version = "1\.15\.4-gke\.14": is below the minimum GKE version 1\.15\.4-gke\.15/],
    ['an old GKE 1.14', 'version', '1.14.8-gke.17', /below the minimum GKE version 1\.14\.8-gke\.18/],
    ['an old GKE 1.13', 'version', '1.13.11-gke.13', /below the minimum GKE version 1\.13\.11-gke\.14/],
    ['GKE 1.12', 'version', '1.12.10-gke.17', /GKE 1\.12 is not supported/],
    ['a version that is not one', 'version', 'latest', /must be a GKE version like/],
    ['a project ID with capitals', 'project.id', 'My-Project', /project\.id = "My-Project": must be a GCP project ID/],
    ['a short project ID', 'project.id', 'abc', /must be a GCP project ID/],
    ['a project ID ending in a hyphen', 'project.id', 'my-project-', /must be a GCP project ID/],
    ['a project number with letters', 'project.number', '12ab', /project\.number = "12ab": must be a project number/],
    ['a cluster name too long', 'name', 'a'.repeat(41), /name = .*must be a cluster name/],
    ['a cluster name with a path', 'name', '../etc', /must be a cluster name/],
    ['a location that is not one', 'location', 'Mars', /location = "Mars": must be a GCP zone/],
    ['an unknown profile', 'profile', 'eks', /profile = "eks": must be one of gke, gke-istioctl, onprem/],
    ['an unknown release', 'release', '1.5.0-asm.1', /release = "1\.5\.0-asm\.1": unknown release; asmpkg renders 1\.4\.6-asm\.0/],
    ['a name with a newline', 'name', 'asm\ngke', /must be a cluster name|control characters/],
    ['a name with a setter marker', 'adminUser', '${user}@x.com', /must not contain "\$\{"/],
  ])('%s', (_what, field, value, expected) => {
    expect(refusal(configText(withField(GKE_CLUSTER, field, value))).join('\n')).toMatch(expected);
  });

  test('every problem in one run, each on its own line prefixed by the file', () => {
    const bad = withField(withField(GKE_CLUSTER, 'nodePool.nodeCount', 2), 'nodePool.machineType', 'n1-standard-2');
    const lines = refusal(configText(bad, withField(GKE_CLUSTER, 'name', 'other')).replace('other', 'asm-gke'));
    expect(lines).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^asmpkg\.yaml: clusters\[0\]\.nodePool\.nodeCount = 2: /),
        expect.stringMatching(/^asmpkg\.yaml: clusters\[0\]\.nodePool\.machineType = "n1-standard-2": /),
        expect.stringMatching(/^asmpkg\.yaml: clusters\[1\]\.name = "asm-gke": duplicates clusters\[0\]\.name/),
      ]),
    );
  });

  test('unknown keys, with a suggestion', () => {
    const lines = refusal(configText({ ...GKE_CLUSTER, nodepool: {} }));
    expect(lines.join('\n')).toMatch(/clusters\[0\]\.nodepool: unknown field \(did you mean "nodePool"\?\)/);
    expect(refusal('cluster: []\n').join('\n')).toMatch(/cluster: unknown field \(did you mean "clusters"\?\)/);
  });

  test('missing required fields', () => {
    expect(refusal(configText(withField(GKE_CLUSTER, 'version', undefined)))).toContain('asmpkg.yaml: clusters[0].version: is missing');
    expect(refusal(configText(withField(GKE_CLUSTER, 'project', undefined))).join('\n')).toMatch(/clusters\[0\]\.project: is missing: required for profile gke/);
    expect(refusal(configText(withField(ISTIOCTL_CLUSTER, 'adminUser', undefined))).join('\n')).toMatch(/clusters\[0\]\.adminUser: is missing: required for profile gke-istioctl/);
    expect(refusal(configText(withField(ONPREM_CLUSTER, 'ingress', undefined))).join('\n')).toMatch(/clusters\[0\]\.ingress\.loadBalancerIP: is missing: required for profile onprem/);
  });

  test('on-prem version rules and IPv4 VIP', () => {
    expect(refusal(configText(withField(ONPREM_CLUSTER, 'version', '1.1.2-gke.0'))).join('\n')).toMatch(/GKE on-prem 1\.1 is not supported/);
    expect(refusal(configText(withField(ONPREM_CLUSTER, 'version', '1.2.0-gke.5'))).join('\n')).toMatch(/below the minimum GKE on-prem version 1\.2\.0-gke\.6/);
    expect(refusal(configText(withField(ONPREM_CLUSTER, 'ingress.loadBalancerIP', '300.1.1.1'))).join('\n')).toMatch(/loadBalancerIP = "300\.1\.1\.1": must be an IPv4 address/);
    expect(refusal(configText(withField(ONPREM_CLUSTER, 'nodePool.cpus', 2))).join('\n')).toMatch(/nodePool\.cpus = 2: must be at least 4/);
  });

  test('fields that mean nothing for a profile', () => {
    expect(refusal(configText({ ...GKE_CLUSTER, trustDomain: 'x.local' })).join('\n')).toMatch(/trustDomain = "x\.local": does not apply to profile gke/);
    expect(refusal(configText({ ...ISTIOCTL_CLUSTER, kcc: 'anthoscli' })).join('\n')).toMatch(/kcc = "anthoscli": does not apply to profile gke-istioctl/);
  });

  test.each<[string, string, RegExp]>([
    ['not YAML', 'clusters: [\n', /not valid YAML at line \d+, column \d+/],
    ['a list, not a mapping', '- a\n- b\n', /the config must be a mapping/],
    ['an empty file', '', /the file is empty/],
    ['clusters not a list', 'clusters: 3\n', /clusters = 3: must be a list of clusters/],
    ['no clusters', 'clusters: []\n', /clusters: must list at least one cluster/],
    ['duplicate keys', 'clusters:\n  - name: a\n    name: b\n', /not valid YAML at line 3.*[Dd]uplicate|Map keys must be unique/],
    ['wrong types', 'clusters:\n  - name: 5\n    profile: gke\n', /clusters\[0\]\.name = 5: must be a string/],
  ])('%s', (_what, text, expected) => {
    expect(refusal(text).join('\n')).toMatch(expected);
  });

  test('alias bombs', () => {
    const bomb = ['a: &a [x, x, x, x, x, x, x, x, x]', 'b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]', 'c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]', 'd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]', 'clusters: [*d, *d, *d, *d, *d, *d, *d, *d, *d]'].join('\n');
    expect(refusal(bomb).join('\n')).toMatch(/alias|Excessive/i);
  });

  test('problems from defaults are reported at defaults', () => {
    const text = 'defaults:\n  nodePool: { machineType: e2-standard-4, nodeCount: 4.5 }\n' + configText(withField(GKE_CLUSTER, 'nodePool', undefined));
    expect(refusal(text).join('\n')).toMatch(/defaults\.nodePool\.nodeCount = 4\.5/);
  });
});

describe('certificate options', () => {
  test('your own CA excludes generation options, and lifetimes must nest', () => {
    const lines = refusal(configText(withField(ONPREM_CLUSTER, 'certificates', { dir: 'ca', algorithm: 'ecdsa-p256' }))).join('\n');
    expect(lines).toMatch(/clusters\[0\]\.certificates\.algorithm = "ecdsa-p256": applies to a generated CA; with certificates\.dir/);
    expect(refusal(configText(withField(ONPREM_CLUSTER, 'certificates', { validityDays: 4000, rootValidityDays: 3650 }))).join('\n')).toMatch(
      /clusters\[0\]\.certificates\.validityDays = 4000: the intermediate's lifetime \(4000 days\) must not exceed the root's \(3650 days\)/,
    );
    expect(refusal(configText(withField(ONPREM_CLUSTER, 'certificates', { organization: '   ' }))).join('\n')).toMatch(/certificates\.organization = "   ": must not be empty/);
    // The default intermediate lifetime (1825 days) counts too.
    expect(refusal(configText(withField(ONPREM_CLUSTER, 'certificates', { rootValidityDays: 365 }))).join('\n')).toMatch(/certificates\.rootValidityDays = 365: the intermediate's lifetime \(1825 days\)/);
  });
});

describe('every problem in one run, shape and rules together', () => {
  test('a wrong name does not hide the version, machine type and node count', () => {
    const bad = { ...GKE_CLUSTER, name: 'Bad_Name', version: '1.14.8-gke.17', nodePool: { machineType: 'n1-standard-2', nodeCount: 3 } };
    const lines = refusal(configText(bad));
    expect(lines).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/clusters\[0\]\.name = "Bad_Name": must be a cluster name/),
        expect.stringMatching(/clusters\[0\]\.version = "1\.14\.8-gke\.17": is below the minimum/),
        expect.stringMatching(/clusters\[0\]\.nodePool\.machineType = "n1-standard-2": has 2 vCPU/),
        expect.stringMatching(/clusters\[0\]\.nodePool\.nodeCount = 3: must be at least 4/),
      ]),
    );
    expect(lines).toHaveLength(4);
  });

  test('a field of the wrong type is reported once, by its shape, not again by a rule', () => {
    const lines = refusal(configText(withField(GKE_CLUSTER, 'nodePool.nodeCount', 'four')));
    expect(lines.filter((l) => l.includes('nodePool.nodeCount'))).toHaveLength(1);
  });

  test('namespace policies must do something; JWT options need origins', () => {
    const lines = refusal(configText(withField(GKE_CLUSTER, 'mesh', { namespacePolicies: [{ namespace: 'shop' }, { namespace: 'web', mtls: 'STRICT', originIsOptional: true }] }))).join('\n');
    expect(lines).toMatch(/clusters\[0\]\.mesh\.namespacePolicies\[0\]: must set mtls or origins/);
    expect(lines).toMatch(/clusters\[0\]\.mesh\.namespacePolicies\[1\]\.originIsOptional: applies to JWT origins; this policy lists none/);
  });
});

describe('locations come from the catalog (issue 14)', () => {
  test.each<[string, RegExp]>([
    ['us-central1-z', /location = "us-central1-z": is no GCP zone or region \(locations as of 2020-07-01\); did you mean "us-central1-[a-f]"\?$/],
    ['europe-west1-a', /location = "europe-west1-a": is no GCP zone or region \(locations as of 2020-07-01\); did you mean "europe-west1-[bcd]"\?$/],
    ['mars-north9', /location = "mars-north9": is no GCP zone or region/],
    ['Mars', /location = "Mars": must be a GCP zone \(us-central1-c\) or region \(us-central1\)/],
  ])('%s is refused with a did-you-mean where one is close', (location, expected) => {
    const lines = refusal(configText(withField(GKE_CLUSTER, 'location', location)));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(expected);
  });

  test.each(['europe-west1-b', 'us-central1-f', 'asia-east1', 'us-west4-c'])('%s is accepted', (location) => {
    expect(parseConfig(configText(withField(GKE_CLUSTER, 'location', location))).clusters[0].location).toBe(location);
  });
});

describe('custom machine types follow Compute Engine (issue 14)', () => {
  test.each<[string, RegExp]>([
    ['custom-5-8192', /machineType = "custom-5-8192": unknown machine type: N1 custom types have 1 or an even number up to 96 vCPUs, not 5/],
    ['custom-4-1024', /machineType = "custom-4-1024": unknown machine type: N1 custom types need at least 0\.9 GB per vCPU \(0\.25 GB given\)/],
    ['custom-4-4000', /must be a multiple of 256 MB, not 4000 MB/],
    ['custom-4-30720', /N1 custom types take at most 6\.5 GB per vCPU \(7\.5 GB given; more needs -ext\)/],
    ['e2-custom-6-8192-ext', /E2 has no extended memory/],
    ['e2-custom-34-34816', /E2 custom types have an even number from 2 to 32 vCPUs, not 34/],
    ['n2-custom-34-34816', /N2 custom types have an even number up to 32, then a multiple of 4 up to 80 vCPUs, not 34/],
    ['n2d-custom-24-24576', /N2D custom types have 2, 4, 8, 16, then a multiple of 16 up to 96 vCPUs, not 24/],
    ['n2-custom-4-1024', /N2 custom types need at least 0\.5 GB per vCPU/],
  ])('%s is refused', (machineType, expected) => {
    const lines = refusal(configText(withField(GKE_CLUSTER, 'nodePool.machineType', machineType)));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(expected);
  });

  test.each(['custom-4-3840', 'custom-4-30720-ext', 'n2-custom-40-40960', 'n2d-custom-32-32768', 'e2-custom-32-32768'])('%s is accepted', (machineType) => {
    expect(parseConfig(configText(withField(GKE_CLUSTER, 'nodePool.machineType', machineType))).clusters).toHaveLength(1);
  });
});

describe('project numbers (issue 14)', () => {
  test('a number written in float notation is refused as written, not turned into digits', () => {
    const text = configText(GKE_CLUSTER).replace(`number: "123456789012"`, 'number: 4.12e11');
    expect(text).toContain('number: 4.12e11');
    expect(refusal(text)).toEqual(['asmpkg.yaml: clusters[0].project.number = "4.12e11": must be a project number: digits only, no leading zero']);
  });

  test('the same notation in defaults is refused there', () => {
    const text = 'defaults:\n  project: { id: asm-demo-project, number: 0x5F }\n' + configText(withField(GKE_CLUSTER, 'project', undefined));
    expect(refusal(text)).toEqual([expect.stringMatching(/^asmpkg\.yaml: defaults\.project\.number = "0x5F": must be a project number: digits only/)]);
  });

  test('one project ID has one number across the fleet', () => {
    const other = withField(withField(ISTIOCTL_CLUSTER, 'project.number', '999999999999'), 'name', 'asm-other');
    expect(refusal(configText(GKE_CLUSTER, ISTIOCTL_CLUSTER, other))).toEqual([
      'asmpkg.yaml: clusters[2].project.number = "999999999999": contradicts clusters[0].project.number (123456789012) for project asm-demo-project: a project has one number',
    ]);
    // the same number again is fine
    expect(parseConfig(configText(GKE_CLUSTER, ISTIOCTL_CLUSTER)).clusters).toHaveLength(2);
  });
});

describe('defaults apply to the clusters whose profile has the field (issue 14)', () => {
  test('adminUser in defaults reaches gke-istioctl and onprem clusters and is ignored for gke', () => {
    const text =
      'defaults:\n  adminUser: ops@example.com\n  network: shared-vpc\n' +
      configText(GKE_CLUSTER, withField(ISTIOCTL_CLUSTER, 'adminUser', undefined), withField(ONPREM_CLUSTER, 'adminUser', undefined));
    const [gke, istioctl, onprem] = parseConfig(text).clusters;
    expect([gke.adminUser, istioctl.adminUser, onprem.adminUser]).toEqual([undefined, 'ops@example.com', 'ops@example.com']);
    expect([gke.network, istioctl.network, onprem.network]).toEqual(['shared-vpc', undefined, undefined]);
  });

  test('the other meshes\' profiles take the defaults they have: injectNamespaces yes, adminUser no', () => {
    const text = 'defaults:\n  adminUser: ops@example.com\n  injectNamespaces: [shop]\n' + configText(withField(ISTIO_ON_GKE_CLUSTER, 'injectNamespaces', undefined), GKE_CLUSTER);
    const [addon, gke] = parseConfig(text).clusters;
    expect([addon.adminUser, addon.injectNamespaces]).toEqual([undefined, ['shop']]);
    expect([gke.adminUser, gke.injectNamespaces]).toEqual([undefined, undefined]);
  });

  test('nodePool.cpus in defaults is ignored for GKE clusters, machineType kept', () => {
    const text = 'defaults:\n  nodePool: { cpus: 8, machineType: n1-standard-8 }\n' + configText(withField(GKE_CLUSTER, 'nodePool.machineType', undefined));
    expect(parseConfig(text).clusters[0].nodePool).toEqual({ machineType: 'n1-standard-8', nodeCount: 4 });
  });

  test("a cluster's own value for a field its profile lacks is still refused", () => {
    expect(refusal(configText({ ...GKE_CLUSTER, adminUser: 'a@example.com' }))).toEqual([
      'asmpkg.yaml: clusters[0].adminUser = "a@example.com": does not apply to profile gke: anthoscli applies the package with your own credentials',
    ]);
  });
});

describe('messages (issue 14)', () => {
  test('a missing field says "missing", never "= nothing"', () => {
    const lines = refusal(configText(withField(GKE_CLUSTER, 'location', undefined), withField(ONPREM_CLUSTER, 'nodePool.cpus', undefined)));
    expect(lines).toEqual([
      'asmpkg.yaml: clusters[0].location: is missing: required for profile gke: the cluster URL and GCP metadata derive from it',
      'asmpkg.yaml: clusters[1].nodePool.cpus: is missing: required on-prem (or machineType): ASM requires at least 4 vCPUs per node',
    ]);
    expect(lines.join('\n')).not.toContain('nothing');
  });

  test('list indices are written [0]', () => {
    const lines = refusal(configText({ ...GKE_CLUSTER, mesh: { namespacePolicies: [{ namespace: 'a', mtls: 'AUTO' }] } }));
    expect(lines.join('\n')).toContain('clusters[0].mesh.namespacePolicies[0].mtls');
    expect(lines.join('\n')).not.toMatch(/\.0\./);
  });
});
