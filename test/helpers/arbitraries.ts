/**
 * fast-check arbitraries of VALID asmpkg configs, written from the README's rules (not
 * from src/config's regexes, so a too-strict or too-loose schema shows up), and a
 * table of single mutations that make a valid cluster invalid.
 */
import fc from 'fast-check';

export type Profile = 'gke' | 'gke-istioctl' | 'onprem';
export type ClusterObject = Record<string, unknown> & { name: string; profile: Profile };

/** Lowercase letters, digits, hyphens; letter first, no trailing hyphen; at most 40. */
export const clusterName = fc.stringMatching(/^[a-z](?:[-a-z0-9]{0,38}[a-z0-9])?$/);
/** GCP project IDs: 6-30 chars, lowercase letter first, no trailing hyphen. */
const projectId = fc.stringMatching(/^[a-z][-a-z0-9]{4,28}[a-z0-9]$/);
/** A project number, as a quoted string of up to 19 digits or an exact (safe) integer. */
const projectNumber = fc.oneof(
  fc.stringMatching(/^[1-9][0-9]{0,18}$/),
  fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }),
);
/** Regions and their zones as GCP listed them in mid-2020 (written out here, not read from the catalog). */
const ZONES_2020: Readonly<Record<string, string>> = {
  'us-central1': 'abcf', 'us-east1': 'bcd', 'us-east4': 'abc', 'us-west1': 'abc', 'us-west2': 'abc', 'us-west3': 'abc', 'us-west4': 'abc',
  'europe-west1': 'bcd', 'europe-west2': 'abc', 'europe-west4': 'abc', 'europe-north1': 'abc', 'asia-northeast1': 'abc',
  'asia-southeast1': 'abc', 'australia-southeast1': 'abc', 'southamerica-east1': 'abc', 'northamerica-northeast1': 'abc',
};
const location = fc
  .tuple(fc.constantFrom(...Object.keys(ZONES_2020)), fc.nat())
  .chain(([r, n]) => fc.constantFrom(r, `${r}-${ZONES_2020[r][n % ZONES_2020[r].length]}`));

/** A platform version at or above the minimum of its minor: `1.MINOR.PATCH-gke.N`. */
function versionAtLeast(minimum: string): fc.Arbitrary<string> {
  const [, minor, patch, gke] = /^1\.(\d+)\.(\d+)-gke\.(\d+)$/.exec(minimum)!.map(Number);
  return fc.oneof(
    { arbitrary: fc.constant(minimum), weight: 1 },
    { arbitrary: fc.integer({ min: gke, max: gke + 60 }).map((n) => `1.${minor}.${patch}-gke.${n}`), weight: 2 },
    { arbitrary: fc.tuple(fc.integer({ min: patch + 1, max: patch + 20 }), fc.integer({ min: 0, max: 60 })).map(([p, n]) => `1.${minor}.${p}-gke.${n}`), weight: 2 },
  );
}
export const GKE_MINIMUMS = ['1.13.11-gke.14', '1.14.8-gke.18', '1.15.4-gke.15'];
export const ONPREM_MINIMUMS = ['1.2.0-gke.6', '1.3.0-gke.16'];
const gkeVersion = fc.oneof(...GKE_MINIMUMS.map(versionAtLeast));
const onpremVersion = fc.oneof(...ONPREM_MINIMUMS.map(versionAtLeast));

const evens = (from: number, to: number, step = 2) => Array.from({ length: Math.floor((to - from) / step) + 1 }, (_, k) => from + k * step);
const CUSTOM_2020 = [
  { prefix: '', cpus: evens(4, 96), minMb: 921.6, maxMb: 6656, maxExtMb: 624 * 1024 },
  { prefix: 'n1-', cpus: evens(4, 96), minMb: 921.6, maxMb: 6656, maxExtMb: 624 * 1024 },
  { prefix: 'e2-', cpus: evens(4, 32), minMb: 512, maxMb: 8192, maxExtMb: undefined },
  { prefix: 'n2-', cpus: [...evens(4, 32), ...evens(36, 80, 4)], minMb: 512, maxMb: 8192, maxExtMb: 640 * 1024 },
  { prefix: 'n2d-', cpus: [4, 8, 16, 32, 48, 64, 80, 96], minMb: 512, maxMb: 8192, maxExtMb: 768 * 1024 },
];

/** Machine types of at least 4 vCPU: predefined ones, and custom ones of every family that has them. */
const machineType = fc.oneof(
  fc.constantFrom(
    'e2-standard-4', 'e2-standard-32', 'e2-highmem-4', 'e2-highcpu-8',
    'n1-standard-4', 'n1-standard-96', 'n1-highmem-8', 'n1-highcpu-64',
    'n2-standard-4', 'n2-highmem-128', 'n2-highcpu-48', 'n2d-standard-224', 'n2d-highmem-16',
    'c2-standard-4', 'c2-standard-30', 'c2-standard-60',
  ),
  fc
    .tuple(fc.constantFrom(...CUSTOM_2020), fc.nat(), fc.double({ min: 0, max: 1, noNaN: true }), fc.boolean())
    .map(([f, i, t, wantExt]) => {
      // Compute Engine's 2020 limits, written out: vCPU steps, MB per vCPU, 256 MB steps
      const cpus = f.cpus[i % f.cpus.length];
      const ext = wantExt && f.maxExtMb !== undefined;
      const lo = Math.ceil((f.minMb * cpus) / 256);
      const hi = Math.floor((ext ? f.maxExtMb! : f.maxMb * cpus) / 256);
      return `${f.prefix}custom-${cpus}-${256 * (lo + Math.floor(t * (hi - lo)))}${ext ? '-ext' : ''}`;
    }),
);

const email = fc.stringMatching(/^[a-z][a-z0-9._+-]{0,20}@[a-z](?:[a-z0-9-]{0,14}[a-z0-9])?\.[a-z]{2,6}$/);
const networkName = fc.stringMatching(/^[a-z](?:[-a-z0-9]{0,61}[a-z0-9])?$/);
const dnsLabel = fc.stringMatching(/^[a-z0-9](?:[-a-z0-9]{0,30}[a-z0-9])?$/);
const trustDomain = fc.oneof(fc.constant('cluster.local'), fc.array(dnsLabel, { minLength: 1, maxLength: 4 }).map((ls) => ls.join('.')));

/** Port names of the ingress gateway Service (catalog/components.ts). */
export const INGRESS_PORT_NAMES = ['status-port', 'http2', 'https', 'kiali', 'prometheus', 'grafana', 'tracing', 'tls'];
/** NodePorts pinned on some ingress ports, distinct values in 30000-32767. */
const nodePorts = fc
  .subarray(INGRESS_PORT_NAMES)
  .chain((names) =>
    fc
      .uniqueArray(fc.integer({ min: 30000, max: 32767 }), { minLength: names.length, maxLength: names.length })
      .map((ports) => Object.fromEntries(names.map((n, i) => [n, ports[i]]))),
  );

/** `{ key: arb }` where each key is present or not. */
function optionalRecord<T extends Record<string, fc.Arbitrary<unknown>>>(model: T) {
  return fc.record(model, { requiredKeys: [] });
}

const jwtOrigin = fc.record(
  {
    issuer: fc.oneof(fc.webUrl({ validSchemes: ['https'] }), email),
    jwksUri: fc.webUrl({ validSchemes: ['https'] }),
    audiences: fc.array(dnsLabel, { minLength: 1, maxLength: 3 }),
  },
  { requiredKeys: ['issuer'] },
);

/** Namespace policies of the forms ASM 1.4 supports: no targets; JWT only optional with USE_ORIGIN. */
const namespacePolicy = fc.oneof(
  fc.record({ namespace: dnsLabel, mtls: fc.constantFrom('PERMISSIVE', 'STRICT') }),
  fc
    .tuple(dnsLabel, fc.option(fc.constantFrom('PERMISSIVE', 'STRICT'), { nil: undefined }), fc.array(jwtOrigin, { minLength: 1, maxLength: 2 }), fc.boolean())
    .map(([namespace, mtls, origins, protoNames]) => ({
      namespace,
      ...(mtls ? { mtls } : {}),
      origins,
      ...(protoNames ? { origin_is_optional: true, principal_binding: 'USE_ORIGIN' } : { originIsOptional: true, principalBinding: 'USE_ORIGIN' }),
    })),
);

const mesh = optionalRecord({
  mtls: fc.constantFrom('PERMISSIVE', 'STRICT'),
  outboundTrafficPolicy: fc.constantFrom('ALLOW_ANY', 'REGISTRY_ONLY'),
  egressGateway: fc.boolean(),
  namespacePolicies: fc.uniqueArray(namespacePolicy, { maxLength: 3, selector: (p) => p.namespace }),
});

/** Telemetry valid for a profile: no Stackdriver on-prem; a Jaeger address only with Jaeger tracing. */
function telemetry(profile: Profile) {
  const gke = profile !== 'onprem';
  return fc
    .record(
      {
        metrics: gke ? fc.constantFrom('stackdriver', 'prometheus') : fc.constant('prometheus'),
        accessLog: gke ? fc.constantFrom('stackdriver', 'stdout', 'off') : fc.constantFrom('stdout', 'off'),
        tracing: gke ? fc.constantFrom('stackdriver', 'jaeger', 'off') : fc.constantFrom('jaeger', 'off'),
        jaegerAddress: fc.tuple(fc.constantFrom('jaeger-collector.observability', 'jaeger', '10.0.0.7'), fc.integer({ min: 1, max: 65535 })).map(([h, p]) => `${h}:${p}`),
        kiali: fc.constant(false),
      },
      { requiredKeys: [] },
    )
    .map((t) => {
      // jaegerAddress goes with tracing: jaeger, and only with it (support-rules.ts)
      if (t.tracing !== 'jaeger') delete t.jaegerAddress;
      else t.jaegerAddress ??= 'jaeger-collector.observability:9411';
      return t;
    });
}

/** A node pool: 4..50 nodes, an autoscaling ceiling at or above them, an optional name. */
function nodePool(profile: Profile) {
  const size: fc.Arbitrary<Record<string, unknown>> =
    profile === 'onprem'
      ? fc.oneof(fc.record({ cpus: fc.integer({ min: 4, max: 64 }) }), fc.record({ machineType }), fc.record({ cpus: fc.integer({ min: 4, max: 64 }), machineType }))
      : fc.record({ machineType });
  return fc
    .tuple(size, fc.integer({ min: 4, max: 50 }), fc.option(fc.integer({ min: 0, max: 100 }), { nil: undefined }), fc.option(clusterName, { nil: undefined }))
    .map(([s, nodeCount, extra, name]) => ({
      ...s,
      nodeCount,
      ...(extra !== undefined ? { maxNodeCount: nodeCount + extra } : {}),
      ...(name !== undefined ? { name } : {}),
    }));
}

const common = (profile: Profile) =>
  optionalRecord({
    release: fc.constant('1.4.6-asm.0'),
    mesh,
    telemetry: telemetry(profile),
    cni: fc.constant(false),
  });

/** A valid cluster entry of one profile (optional fields present or not). */
export function cluster(profile: Profile): fc.Arbitrary<ClusterObject> {
  const gke = profile !== 'onprem';
  const required = gke
    ? fc.record({ name: clusterName, project: fc.record({ id: projectId, number: projectNumber }), location, version: gkeVersion, nodePool: nodePool(profile) })
    : fc.record({ name: clusterName, version: onpremVersion, adminUser: email, nodePool: nodePool(profile), ingress: fc.record({ loadBalancerIP: fc.ipV4() }) });
  const perProfile =
    profile === 'gke'
      ? optionalRecord({ network: networkName, subnetwork: networkName, releaseChannel: fc.constantFrom('RAPID', 'REGULAR', 'STABLE'), kcc: fc.constantFrom('current', 'anthoscli'), loadBalancerIP: fc.ipV4(), nodePorts })
      : profile === 'gke-istioctl'
        ? optionalRecord({ adminUser: email, loadBalancerIP: fc.ipV4(), nodePorts }).map((o) => ({ adminUser: 'admin@example.com', ...o }))
        : optionalRecord({
            trustDomain,
            nodePorts,
            project: fc.record({ id: projectId, number: projectNumber }),
            certificates: optionalRecord({
              algorithm: fc.constantFrom('rsa-4096', 'ecdsa-p256'),
              validityDays: fc.integer({ min: 1, max: 3650 }),
              rootValidityDays: fc.integer({ min: 3650, max: 36500 }),
              organization: fc.stringMatching(/^[A-Za-z][A-Za-z0-9 .-]{0,30}$/),
            }).map((c) => {
              // An intermediate cannot outlive its root: both given, keep them nested.
              const { validityDays, rootValidityDays } = c as { validityDays?: number; rootValidityDays?: number };
              return validityDays !== undefined && rootValidityDays !== undefined && validityDays > rootValidityDays ? { ...c, validityDays: rootValidityDays } : c;
            }),
          });
  return fc.tuple(required, perProfile, common(profile)).map(([req, extra, rest]) => {
    const { loadBalancerIP, nodePorts: ports, project, ...fields } = extra as Record<string, unknown>;
    const c: Record<string, unknown> = { ...req, profile, ...fields, ...rest };
    if (project !== undefined) c.project = project;
    const ingress = { ...((c.ingress as object | undefined) ?? {}), ...(loadBalancerIP !== undefined ? { loadBalancerIP } : {}), ...(ports !== undefined ? { nodePorts: ports } : {}) };
    if (Object.keys(ingress).length > 0) c.ingress = ingress;
    return c as ClusterObject;
  });
}

export const anyCluster = fc.oneof(cluster('gke'), cluster('gke-istioctl'), cluster('onprem'));

/** 1-4 clusters with unique names. */
export const fleet = fc.uniqueArray(anyCluster, { minLength: 1, maxLength: 4, selector: (c) => c.name });

/** A deterministic pseudo-random generator (mulberry32) for shuffles driven by a generated seed. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The same value with the keys of every mapping in a shuffled order. */
export function shuffleKeys(value: unknown, random: () => number): unknown {
  if (Array.isArray(value)) return value.map((v) => shuffleKeys(v, random));
  if (value === null || typeof value !== 'object') return value;
  const keys = Object.keys(value);
  for (let i = keys.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [keys[i], keys[j]] = [keys[j], keys[i]];
  }
  return Object.fromEntries(keys.map((k) => [k, shuffleKeys((value as Record<string, unknown>)[k], random)]));
}

/** One way to break a valid cluster: set `field` (dotted) to `value`, or add an unknown key. */
export interface Mutation {
  readonly label: string;
  /** Dotted path of the field set; the refusal must name it (under `clusters[i].`). */
  readonly field: string;
  readonly value: unknown;
}

/** Invalid values per field, for a cluster of `profile`. */
export function mutations(profile: Profile): Mutation[] {
  const set = (field: string, values: unknown[]) => values.map((value) => ({ label: `${field} = ${JSON.stringify(value)}`, field, value }));
  const versions =
    profile === 'onprem'
      ? ['1.2.0-gke.5', '1.3.0-gke.15', '1.1.2-gke.0', '1.4.0-gke.1', '1.15.9-gke.22', 'v1.2.0', '1.2.0']
      : ['1.13.11-gke.13', '1.14.8-gke.17', '1.15.4-gke.14', '1.12.10-gke.22', '1.16.8-gke.3', '1.2.0-gke.6', '1.15.9'];
  return [
    ...set('nodePool.nodeCount', [3, 0, -1, 2.5, 5001, '4', null]),
    ...set('nodePool.machineType', ['e2-small', 'e2-medium', 'n1-standard-2', 'f1-micro', 'e2-standard-6', 'm1-ultramem-40', '', 'custom-5-8192', 'custom-4-1024', 'e2-custom-4-8192-ext']),
    ...(profile === 'onprem' ? [] : set('location', ['us-central1-z', 'europe-west1-a', 'mars-north9', 'US-CENTRAL1'])),
    ...set('version', versions),
    ...set('project.id', ['Bad_Project', 'abc', 'project-', '1project', 'a'.repeat(31)]),
    ...set('project.number', ['0123', 'abc', -5, '']),
    ...set('name', ['Bad', '-x', 'x-', '../evil', '/abs', 'a'.repeat(41), 'x_y', 'x\ny', '${name}', '']),
    ...set('profile', ['eks', 'GKE', 'onprem ', '', 7]),
    ...set('nodepool', [{ nodeCount: 4 }]),
    ...set('locaton', ['us-central1']),
    ...set('nodePool.count', [4]),
    ...set('mesh.mTLS', ['STRICT']),
    ...set('telemetry.tracing', ['zipkin']),
    ...set('mesh.mtls', ['AUTO', 'strict']),
    ...set('cni', [true]),
    ...set('ingress.loadBalancerIP', ['fd00::1', '300.1.1.1', 'localhost']),
  ];
}

/** A copy of a cluster with a dotted field set (intermediate mappings created as needed). */
export function applyMutation(c: ClusterObject, m: Mutation): ClusterObject {
  const copy = structuredClone(c) as Record<string, unknown>;
  const parts = m.field.split('.');
  let cur = copy;
  for (const p of parts.slice(0, -1)) {
    if (typeof cur[p] !== 'object' || cur[p] === null) cur[p] = p === 'project' ? { id: 'asm-demo-project', number: '1' } : {};
    cur = cur[p] as Record<string, unknown>;
  }
  cur[parts[parts.length - 1]] = m.value;
  return copy as ClusterObject;
}
