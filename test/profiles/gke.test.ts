import { renderCluster } from '../../src/render/render-cluster';
import { GCP_SERVICES } from '../../src/catalog/gcp-services';
import { GKE_CLUSTER, withField } from '../helpers/config';
import { find, renderParsed, specOf } from '../helpers/render';

const CC = 'config-connector';

describe('profile gke (today\'s Config Connector)', () => {
  const files = renderParsed(GKE_CLUSTER);
  const cc = [...(files.get(`${CC}/project-services.yaml`) ?? []), ...(files.get(`${CC}/cluster.yaml`) ?? [])];

  test('enables the 8 APIs of the seed, in order, in the project namespace', () => {
    const services = files.get(`${CC}/project-services.yaml`)!;
    expect(services.map((s) => s.metadata.name)).toEqual([
      'stackdriver.googleapis.com',
      'compute.googleapis.com',
      'container.googleapis.com',
      'iamcredentials.googleapis.com',
      'meshca.googleapis.com',
      'meshtelemetry.googleapis.com',
      'meshconfig.googleapis.com',
      'anthos.googleapis.com',
    ]);
    for (const s of services) {
      expect(s.apiVersion).toBe('serviceusage.cnrm.cloud.google.com/v1beta1');
      expect(s.kind).toBe('Service');
    }
  });

  test('every Config Connector resource lives in the namespace named after the project', () => {
    for (const m of cc) expect([m.kind, m.metadata.namespace]).toEqual([m.kind, 'asm-demo-project']);
  });

  test('the cluster: workload identity, mesh_id, Stackdriver Kubernetes, network, release channel', () => {
    const cluster = find(cc, 'ContainerCluster', 'asm-gke');
    expect(cluster.apiVersion).toBe('container.cnrm.cloud.google.com/v1beta1');
    expect(cluster.metadata.labels).toEqual({ mesh_id: 'proj-123456789012' });
    expect(cluster.spec.workloadIdentityConfig).toEqual({ workloadPool: 'asm-demo-project.svc.id.goog' });
    expect(cluster.spec.loggingService).toBe('logging.googleapis.com/kubernetes');
    expect(cluster.spec.monitoringService).toBe('monitoring.googleapis.com/kubernetes');
    expect(cluster.spec.location).toBe('us-central1-c');
    expect(cluster.spec.networkRef.external).toBe('projects/asm-demo-project/global/networks/default');
    expect(cluster.spec.subnetworkRef.external).toBe('projects/asm-demo-project/regions/us-central1/subnetworks/default');
    expect(cluster.spec.releaseChannel).toEqual({ channel: 'REGULAR' });
    // The configured GKE version is what the cluster runs, not whatever the channel offers today.
    expect(cluster.spec.minMasterVersion).toBe('1.15.9-gke.22');
  });

  test('the node pool: configured size and machine type, GKE metadata server', () => {
    const pool = find(cc, 'ContainerNodePool', 'asm-gke-pool');
    expect(pool.spec.clusterRef).toEqual({ name: 'asm-gke' });
    expect(pool.spec.initialNodeCount).toBe(4);
    expect(pool.spec.version).toBe('1.15.9-gke.22');
    expect(pool.spec.autoscaling).toEqual({ minNodeCount: 4, maxNodeCount: 4 });
    expect(pool.spec.nodeConfig).toEqual({ machineType: 'e2-standard-4', workloadMetadataConfig: { mode: 'GKE_METADATA' } });
    const bigger = renderParsed(withField(withField(GKE_CLUSTER, 'nodePool.machineType', 'n2-standard-8'), 'nodePool.maxNodeCount', 9));
    const p2 = find(bigger.get(`${CC}/cluster.yaml`)!, 'ContainerNodePool', 'asm-gke-pool');
    expect(p2.spec.nodeConfig.machineType).toBe('n2-standard-8');
    expect(p2.spec.autoscaling).toEqual({ minNodeCount: 4, maxNodeCount: 9 });
  });

  test('the IstioControlPlane CR carries every derived value of SPEC section 3, marked local-config, placed by gke.io/cluster', () => {
    const [cr] = files.get('control-plane/istio-control-plane.yaml')!;
    expect(cr.apiVersion).toBe('install.istio.io/v1alpha2');
    expect(cr.kind).toBe('IstioControlPlane');
    // today's anthoscli: the cluster id annotation, and no deprecated metadata.clusterName
    expect(cr.metadata.annotations).toEqual({
      'config.kubernetes.io/local-config': 'true',
      'gke.io/cluster': 'gke://asm-demo-project/us-central1-c/asm-gke',
    });
    expect(cr.metadata).not.toHaveProperty('clusterName');
    expect(cr.spec.profile).toBe('asm');
    expect(cr.spec.hub).toBe('gcr.io/gke-release/asm');
    expect(cr.spec.tag).toBe('1.4.6-asm.0');
    const g = cr.spec.values.global;
    expect(g.meshID).toBe('proj-123456789012');
    expect(g.trustDomain).toBe('asm-demo-project.svc.id.goog');
    expect(g.sds.token.aud).toBe('asm-demo-project.svc.id.goog');
    expect(g.proxy.env.GCP_METADATA).toBe('asm-demo-project|123456789012|asm-gke|us-central1-c');
    expect(cr.spec.values.nodeagent.env.GKE_CLUSTER_URL).toBe(
      'https://container.googleapis.com/v1/projects/asm-demo-project/locations/us-central1-c/clusters/asm-gke',
    );
  });

  test('every Config Connector resource goes to anthoscli\'s bootstrap cluster', () => {
    expect(cc.length).toBeGreaterThan(0);
    for (const m of cc) {
      expect([m.kind, (m.metadata.annotations as Record<string, string> | undefined)?.['gke.io/cluster']]).toEqual([m.kind, 'bootstrap://']);
    }
  });

  test('Config Connector v1beta1 resources validate against the real CRD schemas', async () => {
    const { Service } = await import('@kubernetes-models/gke/serviceusage.cnrm.cloud.google.com/v1beta1/Service');
    const { ContainerCluster } = await import('@kubernetes-models/gke/container.cnrm.cloud.google.com/v1beta1/ContainerCluster');
    const { ContainerNodePool } = await import('@kubernetes-models/gke/container.cnrm.cloud.google.com/v1beta1/ContainerNodePool');
    const models: Record<string, new (d: any) => { validate(): void }> = { Service, ContainerCluster, ContainerNodePool };
    for (const m of cc) {
      expect(() => new models[m.kind](m).validate()).not.toThrow();
    }
    // The check has teeth: a wrong type is a violation.
    const broken = { ...find(cc, 'ContainerNodePool', 'asm-gke-pool') };
    broken.spec = { ...broken.spec, initialNodeCount: 'four' };
    expect(() => new ContainerNodePool(broken as any).validate()).toThrow();
  });

  test('snapshot (paired with the assertions above)', () => {
    const out = renderCluster(specOf(GKE_CLUSTER)).filter((f) => f.path.startsWith(CC) || f.path.startsWith('control-plane'));
    expect(Object.fromEntries(out.map((f) => [f.path, f.content]))).toMatchSnapshot();
  });
});

describe('profile gke, kcc: anthoscli (what the seed\'s anthoscli read)', () => {
  const cluster = { ...GKE_CLUSTER, kcc: 'anthoscli' };
  const files = renderParsed(cluster);

  test('8 CloudService v1alpha1 named by short name', () => {
    const services = files.get(`${CC}/project-services.yaml`)!;
    expect(services.map((s) => [s.apiVersion, s.kind, s.metadata.name, s.spec.service])).toEqual(
      GCP_SERVICES.map((g) => ['cnrm.cloud.google.com/v1alpha1', 'CloudService', g.shortName, g.service]),
    );
    expect(services.map((s) => s.metadata.name)).toEqual(['stackdriver', 'compute', 'gke', 'iamcredentials', 'meshca', 'meshtelemetry', 'meshconfig', 'anthos']);
  });

  test('IdentityNamespace and v1alpha2 cluster and node pool', () => {
    const cc = files.get(`${CC}/cluster.yaml`)!;
    expect(cc.map((m) => [m.apiVersion, m.kind])).toEqual([
      ['identity.cnrm.cloud.google.com/v1alpha2', 'IdentityNamespace'],
      ['container.cnrm.cloud.google.com/v1alpha2', 'ContainerCluster'],
      ['container.cnrm.cloud.google.com/v1alpha2', 'ContainerNodePool'],
    ]);
    const c = find(cc, 'ContainerCluster', 'asm-gke');
    // the March-2020 form: metadata.clusterName, no gke.io/cluster annotation
    expect(c.metadata.clusterName).toBe('asm-demo-project/us-central1-c/asm-gke');
    expect((c.metadata.annotations as Record<string, string> | undefined)?.['gke.io/cluster']).toBeUndefined();
    const [cr] = files.get('control-plane/istio-control-plane.yaml')!;
    expect(cr.metadata.clusterName).toBe('asm-demo-project/us-central1-c/asm-gke');
    expect(cr.metadata.annotations).toEqual({ 'config.kubernetes.io/local-config': 'true' });
    expect(c.spec.labels).toEqual({ mesh_id: 'proj-123456789012' });
    expect(c.spec.workloadIdentity).toEqual({ identityNamespace: 'default' });
    expect(find(cc, 'ContainerNodePool', 'asm-gke-pool').spec.nodeConfig.workloadMetadataConfig).toEqual({ nodeMetadata: 'GKE_METADATA_SERVER' });
  });

  test('snapshot', () => {
    const out = renderCluster(specOf(cluster)).filter((f) => f.path.startsWith(CC));
    expect(Object.fromEntries(out.map((f) => [f.path, f.content]))).toMatchSnapshot();
  });
});

test('rendering twice gives byte-identical files', () => {
  expect(renderCluster(specOf(GKE_CLUSTER))).toEqual(renderCluster(specOf(GKE_CLUSTER)));
});
