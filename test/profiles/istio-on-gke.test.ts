import { renderCluster } from '../../src/render/render-cluster';
import { configConnectorProblems } from '../helpers/cc-schema';
import { ISTIO_ON_GKE_CLUSTER, withField } from '../helpers/config';
import { kubernetes113 } from '../helpers/k8s-schema';
import { find, renderParsed, specOf } from '../helpers/render';

const CC = 'config-connector';

describe('profile istio-on-gke', () => {
  const files = renderParsed(ISTIO_ON_GKE_CLUSTER);
  const cc = [...files.get(`${CC}/project-services.yaml`)!, ...files.get(`${CC}/cluster.yaml`)!];

  test('renders only Config Connector resources and the namespace labels: nothing of istio-system', () => {
    expect([...files.keys()].sort()).toEqual([`${CC}/cluster.yaml`, `${CC}/project-services.yaml`, 'namespaces/injection-labels.yaml']);
    const all = [...files.values()].flat();
    expect(all.filter((m) => m.metadata.namespace === 'istio-system' || m.metadata.name === 'istio-system')).toEqual([]);
  });

  test('enables the APIs of a GKE cluster and none of the mesh or Anthos APIs', () => {
    const services = files.get(`${CC}/project-services.yaml`)!;
    expect(services.map((s) => s.metadata.name)).toEqual(['stackdriver.googleapis.com', 'compute.googleapis.com', 'container.googleapis.com']);
    for (const s of services) expect(s.metadata.annotations).toEqual({ 'cnrm.cloud.google.com/deletion-policy': 'abandon', 'gke.io/cluster': 'bootstrap://' });
  });

  test('the cluster has the add-on on; PERMISSIVE by default is auth AUTH_NONE', () => {
    const cluster = find(cc, 'ContainerCluster', 'istio-addon');
    expect(cluster.spec.addonsConfig).toEqual({ istioConfig: { disabled: false, auth: 'AUTH_NONE' } });
    expect(cluster.metadata.annotations).toEqual({ 'cnrm.cloud.google.com/remove-default-node-pool': 'true', 'gke.io/cluster': 'bootstrap://' });
    // Not ASM: no mesh_id label, no workload identity pool.
    expect(cluster.metadata.labels).toBeUndefined();
    expect(cluster.spec.workloadIdentityConfig).toBeUndefined();
    expect(cluster.spec.minMasterVersion).toBe('1.15.9-gke.22');
  });

  test('mesh.mtls STRICT is auth AUTH_MUTUAL_TLS', () => {
    const strict = renderParsed(withField(ISTIO_ON_GKE_CLUSTER, 'mesh', { mtls: 'STRICT' }));
    expect(find(strict.get(`${CC}/cluster.yaml`)!, 'ContainerCluster', 'istio-addon').spec.addonsConfig.istioConfig).toEqual({ disabled: false, auth: 'AUTH_MUTUAL_TLS' });
  });

  test('the node pool: configured size, node credentials (no GKE metadata server)', () => {
    const pool = find(cc, 'ContainerNodePool', 'istio-addon-pool');
    expect(pool.spec.clusterRef).toEqual({ name: 'istio-addon' });
    expect(pool.spec.nodeConfig).toEqual({ machineType: 'e2-standard-4' });
    expect(pool.spec.autoscaling).toEqual({ minNodeCount: 4, maxNodeCount: 4 });
  });

  test('namespace labels: only name, label and never-delete annotations, valid for Kubernetes 1.13', () => {
    const ns = files.get('namespaces/injection-labels.yaml')!;
    expect(ns.map((n) => n.metadata.name)).toEqual(['default', 'shop']);
    for (const n of ns) {
      expect(n).toEqual({
        apiVersion: 'v1',
        kind: 'Namespace',
        metadata: {
          name: n.metadata.name,
          labels: { 'istio-injection': 'enabled' },
          annotations: { 'kustomize.toolkit.fluxcd.io/prune': 'disabled', 'argocd.argoproj.io/sync-options': 'Delete=false' },
        },
      });
      expect(kubernetes113().validate(n)).toEqual([]);
    }
    expect(renderParsed(withField(ISTIO_ON_GKE_CLUSTER, 'injectNamespaces', undefined)).has('namespaces/injection-labels.yaml')).toBe(false);
  });

  test('every Config Connector resource validates against its CRD schema, unknown fields refused', async () => {
    for (const m of cc) expect(await configConnectorProblems(m)).toEqual([]);
    const broken = structuredClone(find(cc, 'ContainerCluster', 'istio-addon'));
    broken.spec.addonsConfig.istioConfig.mode = 'x';
    expect(await configConnectorProblems(broken)).toEqual(['ContainerCluster/istio-addon: /spec/addonsConfig/istioConfig/mode: unknown field']);
  });

  test('INSTALL.md: order, the gcloud beta equivalent, what the add-on does not let users change', () => {
    const guide = renderCluster(specOf(withField(ISTIO_ON_GKE_CLUSTER, 'mesh', { mtls: 'STRICT' }))).find((f) => f.path === 'INSTALL.md')!.content;
    expect(guide).toContain('gcloud beta container clusters create istio-addon --project asm-demo-project --zone us-central1-c');
    expect(guide).toContain('--addons=Istio --istio-config=auth=MTLS_STRICT');
    const order = ['project-services.yaml', 'config-connector/cluster.yaml', 'get-credentials', 'kubectl label namespace default istio-injection=enabled --overwrite'].map((s) => guide.indexOf(s));
    expect(order.every((i) => i >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(guide).toContain('## What the add-on does not let you change');
    expect(guide).toMatch(/read-only to you/);
    expect(guide).toMatch(/Never `kubectl delete -f` that file/);
  });

  test('kcc: anthoscli renders the 2020 v1alpha2 cluster with the add-on and no IdentityNamespace', () => {
    const old = renderParsed({ ...ISTIO_ON_GKE_CLUSTER, kcc: 'anthoscli' }).get(`${CC}/cluster.yaml`)!;
    expect(old.map((m) => [m.apiVersion, m.kind])).toEqual([
      ['container.cnrm.cloud.google.com/v1alpha2', 'ContainerCluster'],
      ['container.cnrm.cloud.google.com/v1alpha2', 'ContainerNodePool'],
    ]);
    expect(old[0].spec.addonsConfig).toEqual({ istioConfig: { disabled: false, auth: 'AUTH_NONE' } });
    expect(old[0].metadata.clusterName).toBe('asm-demo-project/us-central1-c/istio-addon');
  });

  test('snapshot (paired with the assertions above)', () => {
    const out = renderCluster(specOf(ISTIO_ON_GKE_CLUSTER));
    expect(Object.fromEntries(out.map((f) => [f.path, f.content]))).toMatchSnapshot();
  });
});
