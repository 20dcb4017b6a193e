import { parseConfig } from '../../src/config/load';
import { InputError } from '../../src/config/problems';
import { resolveCluster } from '../../src/config/resolve';
import { configText, GKE_CLUSTER, ISTIO_ON_GKE_CLUSTER, withField } from '../helpers/config';

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
