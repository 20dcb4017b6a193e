/**
 * The injector template against a corpus of annotated pods (issue 13, "keep it from
 * drifting"): every annotation the Istio 1.4.6 template honours, combinations, and
 * none. Each pod is injected as the webhook would (Go template semantics, YAML 1.1),
 * on GKE (SDS) and on-prem (secret mounts), and must be one the API server of
 * Kubernetes 1.13 accepts (its OpenAPI schema, requests not above limits, probe ports
 * 1-65535, mounts naming volumes) and do what its annotations ask.
 */
import fc from 'fast-check';
import type { MeshValues } from '../../../src/constructs/mesh/values';
import { SIDECAR_ANNOTATIONS as A } from '../../../src/catalog/sidecar-annotations';
import type { PodInput } from '../../helpers/go-template';
import { injectedPod, podProblems, type Json } from '../../helpers/injection';
import { kubernetes113 } from '../../helpers/k8s-schema';
import { gkeValues, onpremValues } from '../../helpers/mesh-values';

const BASE: PodInput = {
  labels: { app: 'orders', version: 'v2' },
  namespace: 'shop',
  deploymentName: 'orders',
  ownerApiVersion: 'apps/v1',
  ownerKind: 'Deployment',
  serviceAccountName: 'orders',
  containers: [{ name: 'app', ports: [{ name: 'http', containerPort: 8080 }] }],
};

const proxyOf = (pod: Json) => pod.spec.containers.find((c: Json) => c.name === 'istio-proxy');
const initOf = (pod: Json) => (pod.spec.initContainers ?? []).find((c: Json) => c.name === 'istio-init');
const envOf = (pod: Json): Record<string, string> => Object.fromEntries(proxyOf(pod).env.filter((e: Json) => 'value' in e).map((e: Json) => [e.name, e.value]));
/** The value after a flag (`--statusPort 15020`, `-o 5432`), undefined when the flag is absent. */
const flag = (args: string[], name: string) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
const proxyArgs = (pod: Json): string[] => proxyOf(pod).args;
const initArgs = (pod: Json): string[] => initOf(pod).args;
const volume = (pod: Json, name: string) => (pod.spec.volumes ?? []).find((v: Json) => v.name === name);
const mount = (pod: Json, name: string) => (proxyOf(pod).volumeMounts ?? []).find((m: Json) => m.name === name);

interface Case {
  readonly name: string;
  readonly annotations?: Record<string, string>;
  readonly pod?: Partial<PodInput>;
  /** Assertions on the injected pod (both platforms). */
  readonly check: (pod: Json, platform: 'gke' | 'onprem') => void;
}

const USER_VOLUME = JSON.stringify({ 'certs-extra': { secret: { secretName: 'extra-ca', defaultMode: 420 } }, 'lua-scripts': { configMap: { name: 'lua' } } });
const USER_MOUNT = JSON.stringify({ 'certs-extra': { mountPath: '/etc/extra-ca', readOnly: true }, 'lua-scripts': { mountPath: '/etc/lua' } });

const CORPUS: readonly Case[] = [
  {
    name: 'no annotations',
    check: (pod) => {
      const proxy = proxyOf(pod);
      expect(proxy.resources).toEqual({ requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '2000m', memory: '1024Mi' } });
      expect(proxy.readinessProbe).toEqual({ httpGet: { path: '/healthz/ready', port: 15020 }, initialDelaySeconds: 1, periodSeconds: 2, failureThreshold: 30 });
      expect(flag(proxyArgs(pod), '--statusPort')).toBe('15020');
      expect(flag(proxyArgs(pod), '--applicationPorts')).toBe('8080');
      expect(flag(proxyArgs(pod), '--discoveryAddress')).toBe('istio-pilot.istio-system:15011');
      expect(flag(proxyArgs(pod), '--controlPlaneAuthPolicy')).toBe('MUTUAL_TLS');
      expect(proxyArgs(pod)).toContain('--proxyLogLevel=warning');
      expect(initArgs(pod)).toEqual(['-p', '15001', '-z', '15006', '-u', '1337', '-m', 'REDIRECT', '-i', '*', '-x', '', '-b', '*', '-d', '15020']);
      expect(proxy.securityContext).toMatchObject({ runAsUser: 1337, runAsNonRoot: true, capabilities: { drop: ['ALL'] } });
      expect(proxy.securityContext.capabilities.add).toBeUndefined();
      const env = envOf(pod);
      expect(env.ISTIO_META_INTERCEPTION_MODE).toBe('REDIRECT');
      expect(JSON.parse(env.ISTIO_META_POD_PORTS)).toEqual([{ name: 'http', containerPort: 8080, protocol: 'TCP' }]);
      // only the webhook's own status annotation: the template saw none
      expect(env.ISTIO_BOOTSTRAP_OVERRIDE).toBeUndefined();
      expect(proxy.image).toBe('gcr.io/gke-release/asm/proxyv2:1.4.6-asm.0');
      expect(pod.spec.volumes.map((v: Json) => v.name)).not.toContain('custom-bootstrap-volume');
    },
  },
  {
    name: 'proxyCPU above the fixed CPU limit: requested, no limits',
    annotations: { [A.proxyCPU]: '3' },
    check: (pod) => expect(proxyOf(pod).resources).toEqual({ requests: { cpu: '3' } }),
  },
  {
    name: 'proxyMemory above the fixed memory limit: requested, no limits',
    annotations: { [A.proxyMemory]: '2Gi' },
    check: (pod) => expect(proxyOf(pod).resources).toEqual({ requests: { memory: '2Gi' } }),
  },
  {
    name: 'proxyCPU and proxyMemory',
    annotations: { [A.proxyCPU]: '500m', [A.proxyMemory]: '256Mi' },
    check: (pod) => expect(proxyOf(pod).resources).toEqual({ requests: { cpu: '500m', memory: '256Mi' } }),
  },
  {
    name: 'status port 0: no readiness probe, no --statusPort',
    annotations: { [A.statusPort]: '0' },
    check: (pod) => {
      const proxy = proxyOf(pod);
      expect(proxy.readinessProbe).toBeUndefined();
      expect(proxyArgs(pod)).not.toContain('--statusPort');
      expect(proxyArgs(pod)).not.toContain('--applicationPorts');
      expect(proxy.ports.map((p: Json) => p.containerPort)).toEqual([15090]);
      expect(flag(initArgs(pod), '-d')).toBe('');
    },
  },
  {
    name: 'another status port, with readiness timings and application ports',
    annotations: {
      [A.statusPort]: '15021',
      [A.readinessInitialDelaySeconds]: '5',
      [A.readinessPeriodSeconds]: '10',
      [A.readinessFailureThreshold]: '3',
      [A.readinessApplicationPorts]: '8080,8443',
    },
    check: (pod) => {
      const proxy = proxyOf(pod);
      expect(proxy.readinessProbe).toEqual({ httpGet: { path: '/healthz/ready', port: 15021 }, initialDelaySeconds: 5, periodSeconds: 10, failureThreshold: 3 });
      expect(flag(proxyArgs(pod), '--statusPort')).toBe('15021');
      expect(flag(proxyArgs(pod), '--applicationPorts')).toBe('8080,8443');
      expect(proxy.ports).toContainEqual({ containerPort: 15021, protocol: 'TCP', name: 'http-status' });
      expect(flag(initArgs(pod), '-d')).toBe('15021');
    },
  },
  {
    name: 'traffic capture ranges and ports',
    annotations: {
      [A.includeOutboundIPRanges]: '10.0.0.0/8,172.16.0.0/12',
      [A.excludeOutboundIPRanges]: '10.96.0.1/32',
      [A.includeInboundPorts]: '8080',
      [A.excludeInboundPorts]: '9000,9001',
    },
    check: (pod) => {
      const args = initArgs(pod);
      expect(flag(args, '-i')).toBe('10.0.0.0/8,172.16.0.0/12');
      expect(flag(args, '-x')).toBe('10.96.0.1/32');
      expect(flag(args, '-b')).toBe('8080');
      expect(flag(args, '-d')).toBe('9000,9001,15020');
      expect(envOf(pod).ISTIO_META_INCLUDE_INBOUND_PORTS).toBe('8080');
    },
  },
  {
    name: 'excludeOutboundPorts: database traffic bypasses Envoy',
    annotations: { [A.excludeOutboundPorts]: '5432,6379' },
    check: (pod) => expect(flag(initArgs(pod), '-o')).toBe('5432,6379'),
  },
  {
    name: 'kubevirtInterfaces',
    annotations: { [A.kubevirtInterfaces]: 'net1,net2' },
    check: (pod) => expect(flag(initArgs(pod), '-k')).toBe('net1,net2'),
  },
  {
    name: 'interceptionMode TPROXY: iptables TPROXY, proxy with NET_ADMIN as root',
    annotations: { [A.interceptionMode]: 'TPROXY' },
    check: (pod) => {
      expect(flag(initArgs(pod), '-m')).toBe('TPROXY');
      expect(proxyOf(pod).securityContext).toEqual({
        allowPrivilegeEscalation: false,
        capabilities: { add: ['NET_ADMIN'], drop: ['ALL'] },
        privileged: false,
        readOnlyRootFilesystem: true,
        runAsGroup: 1337,
        runAsNonRoot: false,
        runAsUser: 0,
      });
      expect(envOf(pod).ISTIO_META_INTERCEPTION_MODE).toBe('TPROXY');
    },
  },
  {
    name: 'interceptionMode NONE: no init container',
    annotations: { [A.interceptionMode]: 'NONE' },
    check: (pod) => {
      expect(pod.spec.initContainers).toBeUndefined();
      expect(envOf(pod).ISTIO_META_INTERCEPTION_MODE).toBe('NONE');
      expect(proxyOf(pod).securityContext.runAsUser).toBe(1337);
    },
  },
  {
    name: 'userVolume and userVolumeMount',
    annotations: { [A.userVolume]: USER_VOLUME, [A.userVolumeMount]: USER_MOUNT },
    check: (pod) => {
      expect(volume(pod, 'certs-extra')).toEqual({ name: 'certs-extra', secret: { secretName: 'extra-ca', defaultMode: 420 } });
      expect(volume(pod, 'lua-scripts')).toEqual({ name: 'lua-scripts', configMap: { name: 'lua' } });
      expect(mount(pod, 'certs-extra')).toEqual({ name: 'certs-extra', mountPath: '/etc/extra-ca', readOnly: true });
      expect(mount(pod, 'lua-scripts')).toEqual({ name: 'lua-scripts', mountPath: '/etc/lua' });
    },
  },
  {
    name: 'bootstrapOverride: the ConfigMap mounted, Envoy told to merge it',
    annotations: { [A.bootstrapOverride]: 'orders-bootstrap' },
    check: (pod) => {
      expect(volume(pod, 'custom-bootstrap-volume')).toEqual({ name: 'custom-bootstrap-volume', configMap: { name: 'orders-bootstrap' } });
      expect(mount(pod, 'custom-bootstrap-volume')).toEqual({ name: 'custom-bootstrap-volume', mountPath: '/etc/istio/custom-bootstrap', readOnly: true });
      expect(envOf(pod).ISTIO_BOOTSTRAP_OVERRIDE).toBe('/etc/istio/custom-bootstrap/custom_bootstrap.json');
    },
  },
  {
    name: 'proxyImage as a full reference',
    annotations: { [A.proxyImage]: 'gcr.io/my-project/proxyv2:1.4.6-debug' },
    check: (pod) => expect(proxyOf(pod).image).toBe('gcr.io/my-project/proxyv2:1.4.6-debug'),
  },
  {
    name: 'proxyImage as an image name on the mesh hub and tag',
    annotations: { [A.proxyImage]: 'proxyv2-debug' },
    check: (pod) => {
      expect(proxyOf(pod).image).toBe('gcr.io/gke-release/asm/proxyv2-debug:1.4.6-asm.0');
      expect(initOf(pod).image).toBe('gcr.io/gke-release/asm/proxyv2:1.4.6-asm.0');
    },
  },
  {
    name: 'discoveryAddress and controlPlaneAuthPolicy',
    annotations: { [A.discoveryAddress]: 'istio-pilot.istio-system:15010', [A.controlPlaneAuthPolicy]: 'NONE' },
    check: (pod) => {
      expect(flag(proxyArgs(pod), '--discoveryAddress')).toBe('istio-pilot.istio-system:15010');
      expect(flag(proxyArgs(pod), '--controlPlaneAuthPolicy')).toBe('NONE');
    },
  },
  {
    name: 'log levels',
    annotations: { [A.logLevel]: 'debug', [A.componentLogLevel]: 'misc:error,upstream:debug' },
    check: (pod) => {
      expect(proxyArgs(pod)).toContain('--proxyLogLevel=debug');
      expect(proxyArgs(pod)).toContain('--proxyComponentLogLevel=misc:error,upstream:debug');
    },
  },
  {
    name: 'statsInclusion*: through ISTIO_METAJSON_ANNOTATIONS, quotes and all',
    annotations: {
      [A.statsInclusionPrefixes]: 'cluster.outbound,listener',
      [A.statsInclusionSuffixes]: 'upstream_rq_timeout',
      [A.statsInclusionRegexps]: 'http\\.[0-9.]+_"quoted".*&<x>',
    },
    check: (pod) => {
      const annotations = JSON.parse(envOf(pod).ISTIO_METAJSON_ANNOTATIONS);
      expect(annotations[A.statsInclusionPrefixes]).toBe('cluster.outbound,listener');
      expect(annotations[A.statsInclusionSuffixes]).toBe('upstream_rq_timeout');
      expect(annotations[A.statsInclusionRegexps]).toBe('http\\.[0-9.]+_"quoted".*&<x>');
    },
  },
  {
    name: 'pod ports of several containers, named, UDP among them',
    pod: {
      containers: [
        { name: 'app', ports: [{ name: 'http', containerPort: 8080 }, { name: 'dns', containerPort: 5353, protocol: 'UDP' }] },
        { name: 'metrics', ports: [{ containerPort: 9102 }] },
      ],
    },
    check: (pod) => {
      expect(JSON.parse(envOf(pod).ISTIO_META_POD_PORTS)).toEqual([
        { name: 'http', containerPort: 8080, protocol: 'TCP' },
        { name: 'dns', containerPort: 5353, protocol: 'UDP' },
        { containerPort: 9102, protocol: 'TCP' },
      ]);
      expect(flag(proxyArgs(pod), '--applicationPorts')).toBe('8080,9102');
    },
  },
  {
    name: 'a bare pod: no labels, no owner, no ports, default service account',
    pod: { labels: undefined, deploymentName: undefined, ownerApiVersion: undefined, ownerKind: undefined, serviceAccountName: undefined, containers: [{ name: 'app' }] },
    check: (pod, platform) => {
      expect(flag(proxyArgs(pod), '--serviceCluster')).toBe('istio-proxy.$(POD_NAMESPACE)');
      expect(JSON.parse(envOf(pod).ISTIO_META_POD_PORTS)).toEqual([]);
      expect(envOf(pod).ISTIO_META_OWNER).toBeUndefined();
      if (platform === 'onprem') expect(volume(pod, 'istio-certs').secret.secretName).toBe('istio.default');
    },
  },
  {
    name: 'everything at once: status off, requests, TPROXY, user volumes, bootstrap, outbound ports',
    annotations: {
      [A.statusPort]: '0',
      [A.proxyCPU]: '4',
      [A.proxyMemory]: '4Gi',
      [A.interceptionMode]: 'TPROXY',
      [A.userVolume]: USER_VOLUME,
      [A.userVolumeMount]: USER_MOUNT,
      [A.bootstrapOverride]: 'orders-bootstrap',
      [A.excludeOutboundPorts]: '5432',
      [A.excludeInboundPorts]: '9000',
      [A.statsInclusionPrefixes]: 'cluster.outbound',
    },
    check: (pod) => {
      const proxy = proxyOf(pod);
      expect(proxy.readinessProbe).toBeUndefined();
      expect(proxy.resources).toEqual({ requests: { cpu: '4', memory: '4Gi' } });
      expect(proxy.securityContext.capabilities.add).toEqual(['NET_ADMIN']);
      expect(flag(initArgs(pod), '-m')).toBe('TPROXY');
      expect(flag(initArgs(pod), '-o')).toBe('5432');
      expect(flag(initArgs(pod), '-d')).toBe('9000');
      expect(mount(pod, 'lua-scripts')).toBeDefined();
      expect(volume(pod, 'custom-bootstrap-volume')).toBeDefined();
      expect(JSON.parse(envOf(pod).ISTIO_METAJSON_ANNOTATIONS)[A.statsInclusionPrefixes]).toBe('cluster.outbound');
    },
  },
  {
    name: 'status off without capture: NONE and port 0',
    annotations: { [A.statusPort]: '0', [A.interceptionMode]: 'NONE', [A.proxyMemory]: '64Mi' },
    check: (pod) => {
      expect(pod.spec.initContainers).toBeUndefined();
      expect(proxyOf(pod).readinessProbe).toBeUndefined();
      expect(proxyOf(pod).resources).toEqual({ requests: { memory: '64Mi' } });
    },
  },
];

const PLATFORMS: [string, 'gke' | 'onprem', MeshValues][] = [
  ['gke', 'gke', gkeValues()],
  ['onprem', 'onprem', onpremValues()],
];

describe.each(PLATFORMS)('sidecar injection corpus, %s', (_label, platform, values) => {
  test.each(CORPUS.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const input: PodInput = { ...BASE, ...c.pod, annotations: c.annotations };
    const pod = injectedPod(values, input);
    expect(kubernetes113().validate(pod as never)).toEqual([]);
    expect(podProblems(pod)).toEqual([]);
    // the certificates the platform provides, whatever the annotations
    if (platform === 'gke') expect(mount(pod, 'sds-uds-path')).toBeDefined();
    else expect(mount(pod, 'istio-certs')).toBeDefined();
    c.check(pod, platform);
  });
});

describe('the corpus', () => {
  test('covers every annotation the Istio 1.4.6 template honours (SPEC section 12)', () => {
    const used = new Set(CORPUS.flatMap((c) => Object.keys(c.annotations ?? {})));
    expect(Object.values(A).filter((name) => !used.has(name))).toEqual([]);
  });

  test('the checks have teeth: the pods of the old template would be refused', () => {
    // a request above a fixed limit, a probe on port 0
    const bad = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'p' },
      spec: {
        containers: [
          {
            name: 'istio-proxy',
            image: 'x',
            resources: { requests: { cpu: '3' }, limits: { cpu: '2000m' } },
            readinessProbe: { httpGet: { path: '/healthz/ready', port: 0 } },
            volumeMounts: [{ name: 'missing', mountPath: '/x' }],
          },
        ],
      },
    };
    expect(podProblems(bad)).toEqual([
      'container istio-proxy: cpu request 3 is above its limit 2000m',
      'container istio-proxy: readinessProbe port 0 is not 1-65535',
      'container istio-proxy: volumeMount missing names no volume',
    ]);
  });
});

/**
 * Combinations beyond the corpus: any subset of the annotations, with values the
 * injector accepts (its 1.4 validators: ports, CIDR lists, uint32 timings) or free text
 * where it takes any (log levels, stats patterns, addresses: quotes, newlines and all).
 * Reproducible: FC_SEED (default 20200309), FC_RUNS (default 40).
 */
describe('sidecar injection, any combination of annotations (fast-check)', () => {
  const SEED = Number(process.env.FC_SEED ?? 20200309);
  const RUNS = Number(process.env.FC_RUNS ?? 40);
  const port = fc.integer({ min: 1, max: 65535 }).map(String);
  const ports = fc.uniqueArray(port, { minLength: 1, maxLength: 3 }).map((p) => p.join(','));
  const cidrs = fc.constantFrom('10.0.0.0/8', '10.0.0.0/8,192.168.0.0/16', '172.16.0.0/12', '10.96.0.1/32');
  const text = fc.string({ unit: 'grapheme', maxLength: 30 });
  const volumes = fc.uniqueArray(fc.stringMatching(/^[a-z][a-z0-9-]{0,10}[a-z0-9]$/), { minLength: 1, maxLength: 3 }).map((names) => ({
    [A.userVolume]: JSON.stringify(Object.fromEntries(names.map((n) => [n, { configMap: { name: n } }]))),
    [A.userVolumeMount]: JSON.stringify(Object.fromEntries(names.map((n, i) => [n, { mountPath: `/user/${i}`, readOnly: i % 2 === 0 }]))),
  }));
  const single: Record<string, fc.Arbitrary<string>> = {
    [A.proxyCPU]: fc.constantFrom('10m', '500m', '1', '2.5', '3', '16'),
    [A.proxyMemory]: fc.constantFrom('64Mi', '512Mi', '1Gi', '2Gi', '1500M'),
    [A.proxyImage]: fc.constantFrom('gcr.io/my-project/proxyv2:1.4.6-debug', 'proxyv2-debug'),
    [A.discoveryAddress]: fc.constantFrom('istio-pilot.istio-system:15010', 'istio-pilot.istio-system:15011'),
    [A.controlPlaneAuthPolicy]: fc.constantFrom('MUTUAL_TLS', 'NONE'),
    [A.logLevel]: text,
    [A.componentLogLevel]: text,
    [A.interceptionMode]: fc.constantFrom('REDIRECT', 'TPROXY', 'NONE'),
    [A.bootstrapOverride]: fc.stringMatching(/^[a-z][a-z0-9-]{0,20}$/),
    [A.statsInclusionPrefixes]: text,
    [A.statsInclusionSuffixes]: text,
    [A.statsInclusionRegexps]: text,
    [A.statusPort]: fc.oneof(fc.constant('0'), port),
    [A.readinessInitialDelaySeconds]: fc.integer({ min: 0, max: 600 }).map(String),
    [A.readinessPeriodSeconds]: fc.integer({ min: 1, max: 600 }).map(String),
    [A.readinessFailureThreshold]: fc.integer({ min: 1, max: 100 }).map(String),
    [A.readinessApplicationPorts]: fc.oneof(fc.constant(''), ports),
    [A.includeOutboundIPRanges]: fc.oneof(fc.constant('*'), fc.constant(''), cidrs),
    [A.excludeOutboundIPRanges]: fc.oneof(fc.constant(''), cidrs),
    [A.includeInboundPorts]: fc.oneof(fc.constant('*'), fc.constant(''), ports),
    [A.excludeInboundPorts]: fc.oneof(fc.constant(''), ports),
    [A.excludeOutboundPorts]: fc.oneof(fc.constant(''), ports),
    [A.kubevirtInterfaces]: fc.constantFrom('net1', 'net1,net2'),
  };
  const annotations = fc
    .tuple(fc.record(single, { requiredKeys: [] }), fc.option(volumes, { nil: undefined }), fc.dictionary(fc.stringMatching(/^[a-z]{1,8}\.example\.com\/[a-z]{1,8}$/), text, { maxKeys: 2 }))
    .map(([picked, vols, other]) => ({ ...other, ...picked, ...(vols ?? {}) }) as Record<string, string>);
  const containers = fc.uniqueArray(fc.integer({ min: 1, max: 65535 }), { maxLength: 4 }).map((p) => [
    { name: 'app', ports: p.map((containerPort, i) => ({ containerPort, ...(i % 2 ? { protocol: 'UDP' as const } : {}) })) },
  ]);

  test.each(PLATFORMS)('%s: every injected pod is valid and does what its annotations ask', (_label, _platform, values) => {
    fc.assert(
      fc.property(annotations, containers, (a, cs) => {
        const pod = injectedPod(values, { ...BASE, containers: cs, annotations: a });
        expect(kubernetes113().validate(pod as never)).toEqual([]);
        expect(podProblems(pod)).toEqual([]);
        const proxy = proxyOf(pod);
        const statusOn = (a[A.statusPort] ?? '15020') !== '0';
        expect(proxy.readinessProbe !== undefined).toBe(statusOn);
        expect(proxyArgs(pod).includes('--statusPort')).toBe(statusOn);
        expect(pod.spec.initContainers !== undefined).toBe(a[A.interceptionMode] !== 'NONE');
        const requested = A.proxyCPU in a || A.proxyMemory in a;
        expect(proxy.resources.limits === undefined).toBe(requested);
        const metaJson = envOf(pod).ISTIO_METAJSON_ANNOTATIONS;
        if (Object.keys(a).length === 0) expect(metaJson).toBeUndefined();
        else expect(JSON.parse(metaJson)).toEqual(a);
        if (a[A.interceptionMode] !== 'NONE') expect(flag(initArgs(pod), '-o')).toBe(a[A.excludeOutboundPorts]);
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });
});
