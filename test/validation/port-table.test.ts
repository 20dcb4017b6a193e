/**
 * SPEC section 5's port table, asserted Service by Service on the rendered package.
 * The expected data is literal on purpose: it is the contract (the seed's
 * `kubectl get svc -n istio-system`), not derived from the catalog under test.
 * Port names are asserted where Istio 1.4 / istioctl fixed them.
 */
import { renderInCluster, type PackagedObject } from '../helpers/in-cluster';
import { gkeValues, onpremValues } from '../helpers/mesh-values';

interface ExpectedPort {
  readonly port: number;
  readonly protocol: 'TCP';
  /** Asserted when given. */
  readonly name?: string;
}
interface ExpectedService {
  readonly type: 'ClusterIP' | 'LoadBalancer';
  readonly ports: readonly ExpectedPort[];
}

const tcp = (port: number, name?: string): ExpectedPort => (name ? { port, protocol: 'TCP', name } : { port, protocol: 'TCP' });

const INGRESS: ExpectedService = {
  type: 'LoadBalancer',
  ports: [
    tcp(15020, 'status-port'),
    tcp(80, 'http2'),
    tcp(443, 'https'),
    tcp(15029, 'kiali'),
    tcp(15030, 'prometheus'),
    tcp(15031, 'grafana'),
    tcp(15032, 'tracing'),
    tcp(15443, 'tls'),
  ],
};

/** Services of istio-system on GKE (gke and gke-istioctl profiles). */
const GKE_SERVICES: Record<string, ExpectedService> = {
  // The seed lists 9901 (galley's plaintext MCP) too; asmpkg keeps it on localhost in galley's
  // pod, a deliberate difference recorded in docs/upstream-differences.md (issue 13, finding 4).
  'istio-galley': { type: 'ClusterIP', ports: [tcp(443, 'https-validation'), tcp(15014, 'http-monitoring'), tcp(15019)] },
  'istio-ingressgateway': INGRESS,
  'istio-pilot': {
    type: 'ClusterIP',
    ports: [tcp(15010, 'grpc-xds'), tcp(15011, 'https-xds'), tcp(8080, 'http-legacy-discovery'), tcp(15014, 'http-monitoring')],
  },
  'istio-sidecar-injector': { type: 'ClusterIP', ports: [tcp(443, 'https-inject')] },
  promsd: { type: 'ClusterIP', ports: [tcp(9090)] },
};

/** On-prem: Citadel as well, the rest the same. */
const ONPREM_SERVICES: Record<string, ExpectedService> = {
  'istio-citadel': { type: 'ClusterIP', ports: [tcp(8060, 'grpc-citadel'), tcp(15014, 'http-monitoring')] },
  ...GKE_SERVICES,
};

const TARGET_PORTS: Record<string, Record<number, number | string>> = {
  // Istio 1.4: every ingress port forwards to the same port of the gateway pod
  'istio-ingressgateway': { 15020: 15020, 80: 80, 443: 443, 15029: 15029, 15030: 15030, 15031: 15031, 15032: 15032, 15443: 15443 },
  'istio-citadel': { 8060: 8060, 15014: 15014 },
  promsd: { 9090: 9090 },
};

function services(objects: readonly PackagedObject[]): Map<string, any> {
  return new Map(
    objects.filter(({ obj }) => obj.kind === 'Service' && obj.metadata.namespace === 'istio-system').map(({ obj }) => [obj.metadata.name, obj]),
  );
}

describe.each([
  ['gke', gkeValues(), GKE_SERVICES],
  ['onprem', onpremValues(), ONPREM_SERVICES],
] as const)('%s: istio-system Services', (_label, values, expected) => {
  let svcs: Map<string, any>;
  beforeAll(() => {
    svcs = services(renderInCluster(values));
  });

  test('exactly the Services of the table', () => {
    expect([...svcs.keys()].sort()).toEqual(Object.keys(expected).sort());
  });

  test.each(Object.entries(expected))('%s: type and ports', (name, want) => {
    const svc = svcs.get(name);
    expect(svc).toBeDefined();
    expect(svc.spec.type ?? 'ClusterIP').toBe(want.type);
    const got = (svc.spec.ports as any[]).map((p) => ({ port: p.port, protocol: p.protocol ?? 'TCP', ...(p.name !== undefined ? { name: p.name } : {}) }));
    expect(got.map((p) => p.port)).toEqual(want.ports.map((p) => p.port));
    expect(got.map((p) => p.protocol)).toEqual(want.ports.map((p) => p.protocol));
    want.ports.forEach((p, i) => {
      if (p.name) expect(`${p.port}:${got[i].name}`).toBe(`${p.port}:${p.name}`);
    });
    // Istio routes by port-name prefix: every port is named, uniquely
    expect(got.every((p) => typeof p.name === 'string' && p.name.length > 0)).toBe(true);
    expect(new Set(got.map((p) => p.name)).size).toBe(got.length);
    for (const [port, target] of Object.entries(TARGET_PORTS[name] ?? {})) {
      expect(`${port}->${svc.spec.ports.find((p: any) => p.port === Number(port)).targetPort}`).toBe(`${port}->${target}`);
    }
  });

  test('NodePorts are left to Kubernetes unless pinned', () => {
    for (const svc of svcs.values()) for (const p of svc.spec.ports) expect(p.nodePort).toBeUndefined();
  });
});

describe('ingress gateway Service settings', () => {
  const ingress = (values: ReturnType<typeof gkeValues>) => services(renderInCluster(values)).get('istio-ingressgateway');

  test('on-prem: the F5 VIP as loadBalancerIP', () => {
    expect(ingress(onpremValues()).spec.loadBalancerIP).toBe('192.168.30.60');
  });

  test('GKE without a VIP: no loadBalancerIP', () => {
    expect(ingress(gkeValues()).spec.loadBalancerIP).toBeUndefined();
  });

  test('pinned NodePorts by port name, only those', () => {
    const svc = ingress(onpremValues({ ingress: { loadBalancerIP: '192.168.30.60', nodePorts: { 'status-port': 31422, http2: 31441 } } }));
    const nodePorts = Object.fromEntries((svc.spec.ports as any[]).map((p) => [p.name, p.nodePort]));
    expect(nodePorts).toEqual({
      'status-port': 31422,
      http2: 31441,
      https: undefined,
      kiali: undefined,
      prometheus: undefined,
      grafana: undefined,
      tracing: undefined,
      tls: undefined,
    });
  });

  test('the optional egress gateway adds istio-egressgateway (ClusterIP 80, 443, 15443)', () => {
    const svc = services(renderInCluster(gkeValues({ egressGateway: true }))).get('istio-egressgateway');
    expect(svc.spec.type).toBe('ClusterIP');
    expect((svc.spec.ports as any[]).map((p) => `${p.port}/${p.protocol}`)).toEqual(['80/TCP', '443/TCP', '15443/TCP']);
  });
});

/**
 * The workloads of section 5 and their containers per pod, as the seed's
 * `kubectl get pods -n istio-system` READY column shows them (galley, pilot and the
 * ingress gateway 2/2; node agent, Citadel and injector 1/1; promsd 2/2 on GKE).
 * On-prem promsd is Prometheus alone (no Stackdriver on-prem, SPEC section 7).
 */
describe.each([
  [
    'gke',
    gkeValues(),
    {
      'Deployment istio-galley': 2,
      'Deployment istio-ingressgateway': 2,
      'DaemonSet istio-nodeagent': 1,
      'Deployment istio-pilot': 2,
      'Deployment istio-sidecar-injector': 1,
      'Deployment promsd': 2,
    },
  ],
  [
    'onprem',
    onpremValues(),
    {
      'Deployment istio-citadel': 1,
      'Deployment istio-galley': 2,
      'Deployment istio-ingressgateway': 2,
      'Deployment istio-pilot': 2,
      'Deployment istio-sidecar-injector': 1,
      'Deployment promsd': 1,
    },
  ],
] as const)('%s: istio-system workloads', (_label, values, expected) => {
  test('exactly the components of the platform, with their containers per pod', () => {
    const got = Object.fromEntries(
      renderInCluster(values)
        .filter(({ obj }) => (obj.kind === 'Deployment' || obj.kind === 'DaemonSet') && obj.metadata.namespace === 'istio-system')
        .map(({ obj }) => [`${obj.kind} ${obj.metadata.name}`, obj.spec.template.spec.containers.length]),
    );
    expect(got).toEqual(expected);
  });
});
