import { parseConfig } from '../../src/config/load';
import { InputError } from '../../src/config/problems';
import { resolveCluster } from '../../src/config/resolve';
import { configText, GKE_CLUSTER, ISTIO_ON_GKE_CLUSTER, TRAFFIC_DIRECTOR_CLUSTER as TD, withField } from '../helpers/config';

/** The lines of the InputError a text is refused with. */
function refusal(...clusters: object[]): string[] {
  try {
    parseConfig(configText(...clusters), 'asmpkg.yaml');
  } catch (e) {
    expect(e).toBeInstanceOf(InputError);
    return (e as InputError).message.split('\n');
  }
  throw new Error('config was accepted');
}

describe('profile istio-on-gke config', () => {
  test('accepted with defaults: PERMISSIVE, the namespaces as given', () => {
    const spec = resolveCluster(parseConfig(configText(ISTIO_ON_GKE_CLUSTER)).clusters[0]);
    expect(spec.mesh.mtls).toBe('PERMISSIVE');
    expect(spec.injectNamespaces).toEqual(['default', 'shop']);
    expect(spec.kubernetesVersion).toBe('1.15');
    expect(spec.trafficDirector).toBeUndefined();
  });

  test('fewer than ASM\'s 4 nodes and 4 vCPUs are fine: those are ASM\'s requirements', () => {
    const small = withField(withField(ISTIO_ON_GKE_CLUSTER, 'nodePool.nodeCount', 1), 'nodePool.machineType', 'n1-standard-2');
    expect(parseConfig(configText(small)).clusters).toHaveLength(1);
  });

  test.each([
    ['mesh.outboundTrafficPolicy', 'REGISTRY_ONLY', 'asmpkg.yaml: clusters[0].mesh.outboundTrafficPolicy = "REGISTRY_ONLY": cannot be honoured by the Istio on GKE add-on: the outbound traffic policy is mesh config in the add-on\'s istio-system ConfigMap, which Google owns and resets on upgrade'],
    ['mesh.egressGateway', true, 'asmpkg.yaml: clusters[0].mesh.egressGateway = true: cannot be honoured by the Istio on GKE add-on: the add-on installs its own istio-system components; asmpkg may not add to or patch istio-system'],
    ['mesh.mtls', 'AUTO', 'asmpkg.yaml: clusters[0].mesh.mtls = "AUTO": cannot be honoured by the Istio on GKE add-on: its auth setting has only AUTH_NONE (PERMISSIVE) and AUTH_MUTUAL_TLS (STRICT)'],
    ['telemetry', { metrics: 'prometheus' }, 'asmpkg.yaml: clusters[0].telemetry = a mapping: cannot be honoured by the Istio on GKE add-on: the add-on\'s telemetry is configured by Google in istio-system, which may not be rendered or patched'],
    ['adminUser', 'a@example.com', 'asmpkg.yaml: clusters[0].adminUser = "a@example.com": does not apply to profile istio-on-gke: Config Connector creates the cluster; nobody is granted cluster-admin by the package'],
    ['trafficDirector', { services: [{ name: 'a', namespace: 'b', port: 80, targetPort: 80, hosts: ['a'] }] }, 'asmpkg.yaml: clusters[0].trafficDirector = a mapping: does not apply to profile istio-on-gke: it configures profile traffic-director'],
    ['version', '1.16.8-gke.15', 'asmpkg.yaml: clusters[0].version = "1.16.8-gke.15": GKE 1.16 is outside the GKE versions asmpkg renders (1.13-1.15, those of 2020 the manifests are checked against)'],
  ])('%s = %j is refused with field, value and reason', (field, value, line) => {
    expect(refusal(withField(ISTIO_ON_GKE_CLUSTER, field, value))).toEqual([line]);
  });

  test('project and location are required', () => {
    expect(refusal(withField(withField(ISTIO_ON_GKE_CLUSTER, 'project', undefined), 'location', undefined))).toEqual([
      'asmpkg.yaml: clusters[0].project: is missing: required for profile istio-on-gke: the cluster and its Config Connector resources live in it',
      'asmpkg.yaml: clusters[0].location: is missing: required for profile istio-on-gke: the cluster is declared in this zone or region',
    ]);
  });

  test('injectNamespaces must be namespace names', () => {
    expect(refusal(withField(ISTIO_ON_GKE_CLUSTER, 'injectNamespaces', ['Shop']))).toEqual([
      'asmpkg.yaml: clusters[0].injectNamespaces[0] = "Shop": must be a namespace name (lowercase letters, digits, hyphens; letter first; at most 63)',
    ]);
  });
});

test('the other meshes\' fields are refused on ASM profiles', () => {
  expect(refusal(withField(withField(GKE_CLUSTER, 'injectNamespaces', ['default']), 'vpcNative', true))).toEqual([
    'asmpkg.yaml: clusters[0].injectNamespaces = a list: does not apply to profile gke: it is a field of profiles istio-on-gke and traffic-director',
    'asmpkg.yaml: clusters[0].vpcNative = true: does not apply to profile gke: it is a field of profile traffic-director',
  ]);
});

describe('profile traffic-director config', () => {
  test('accepted with defaults: HTTP, 5 per endpoint, port 80, the region\'s zones, the Compute Engine default account', () => {
    const spec = resolveCluster(parseConfig(configText(TD)).clusters[0]);
    const td = spec.trafficDirector!;
    expect(td.forwardingPort).toBe(80);
    expect(td.zones).toEqual(['us-central1-a', 'us-central1-b', 'us-central1-c', 'us-central1-f']);
    expect(td.services[0]).toEqual({ name: 'helloworld', namespace: 'default', port: 80, targetPort: 8080, hosts: ['helloworld.example.com'], protocol: 'HTTP', maxRatePerEndpoint: 5, selector: { app: 'helloworld' } });
    expect(td.serviceAccount).toBe('123456789012-compute@developer.gserviceaccount.com');
    expect(td.workloadIdentity).toBe(false);
  });

  const withService = (i: number, field: string, value: unknown) => {
    const c = structuredClone(TD) as any;
    c.trafficDirector.services[i][field] = value;
    return c;
  };

  test.each([
    [withService(0, 'port', 0), 'asmpkg.yaml: clusters[0].trafficDirector.services[0].port = 0: must be a TCP port from 1 to 65535'],
    [withService(0, 'targetPort', 70000), 'asmpkg.yaml: clusters[0].trafficDirector.services[0].targetPort = 70000: must be a TCP port from 1 to 65535'],
    [withField(TD, 'trafficDirector.forwardingPort', 65536), 'asmpkg.yaml: clusters[0].trafficDirector.forwardingPort = 65536: must be a TCP port from 1 to 65535'],
    [withService(1, 'hosts', ['helloworld.example.com']), 'asmpkg.yaml: clusters[0].trafficDirector.services[1].hosts[0] = "helloworld.example.com": duplicates a host of trafficDirector.services[0]: a URL map routes each host to one backend service'],
    [withService(0, 'protocol', 'TCP'), 'asmpkg.yaml: clusters[0].trafficDirector.services[0].protocol = "TCP": is not a protocol Traffic Director routes: Traffic Director (2020) routes only HTTP, HTTP2 and GRPC backend services, through a URL map and a target HTTP proxy; only HTTP(S) targets existed (use HTTP, HTTP2, GRPC)'],
    [withField(TD, 'vpcNative', false), 'asmpkg.yaml: clusters[0].vpcNative = false: must be true for profile traffic-director: Traffic Director reaches pods through network endpoint groups, which need a VPC-native (alias IP) cluster'],
    [withField(TD, 'trafficDirector.workloadIdentity', true), "asmpkg.yaml: clusters[0].trafficDirector.workloadIdentity = true: needs trafficDirector.serviceAccount: with Workload Identity the Envoys authenticate as the workloads' Google service account, which must get roles/compute.networkViewer (the IAM member) to read their configuration"],
    [withField(TD, 'mesh', { mtls: 'STRICT' }), 'asmpkg.yaml: clusters[0].mesh = a mapping: does not apply to profile traffic-director: Traffic Director configures the Envoys through Compute Engine load-balancing resources; it has no Istio mesh, policy or telemetry options'],
    [withField(TD, 'kcc', 'anthoscli'), "asmpkg.yaml: clusters[0].kcc = \"anthoscli\": does not apply to profile traffic-director: the load-balancing resources exist only in today's Config Connector (v1beta1)"],
    [withField(TD, 'trafficDirector', undefined), 'asmpkg.yaml: clusters[0].trafficDirector: is missing: required for profile traffic-director: it lists the services Traffic Director routes to'],
  ])('refused with field, value and reason (%#)', (cluster, line) => {
    expect(refusal(cluster)).toEqual([line]);
  });

  test('the same Service twice is refused', () => {
    const c = structuredClone(TD) as any;
    c.trafficDirector.services.push({ ...c.trafficDirector.services[0], hosts: ['other.example.com'] });
    expect(refusal(c)).toEqual(['asmpkg.yaml: clusters[0].trafficDirector.services[2].name = "helloworld": duplicates trafficDirector.services[0] (default/helloworld): a Service is rendered once']);
  });

  test('every problem is reported at once', () => {
    const c = withService(0, 'protocol', 'UDP');
    c.trafficDirector.services[1].hosts = ['helloworld.example.com'];
    c.vpcNative = false;
    expect(refusal(c).map((l) => l.split(' = ')[0])).toEqual([
      'asmpkg.yaml: clusters[0].vpcNative',
      'asmpkg.yaml: clusters[0].trafficDirector.services[0].protocol',
      'asmpkg.yaml: clusters[0].trafficDirector.services[1].hosts[0]',
    ]);
  });
});
