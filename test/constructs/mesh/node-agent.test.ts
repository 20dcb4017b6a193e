import { NodeAgent } from '../../../src/constructs/mesh/node-agent';
import { container, find, gkeValues, onpremValues, render } from '../../helpers/mesh-values';

const renderNodeAgent = (values = gkeValues()) => render((c) => new NodeAgent(c, 'node-agent', { values }));

describe('NodeAgent', () => {
  test('renders SA, DaemonSet and ClusterRole+binding', () => {
    expect(renderNodeAgent().map((o) => `${o.apiVersion} ${o.kind} ${o.metadata.name}`)).toEqual([
      'v1 ServiceAccount istio-nodeagent-service-account',
      'apps/v1 DaemonSet istio-nodeagent',
      'rbac.authorization.k8s.io/v1 ClusterRole istio-nodeagent-istio-system',
      'rbac.authorization.k8s.io/v1 ClusterRoleBinding istio-nodeagent-istio-system',
    ]);
  });

  test('gets certificates from Mesh CA with the cluster identity', () => {
    const ds = find(renderNodeAgent(), 'DaemonSet');
    const c = container(ds, 'nodeagent');
    expect(c.image).toBe('gcr.io/gke-release/asm/node-agent-k8s:1.4.6-asm.0');
    const env = Object.fromEntries(c.env.filter((e: any) => e.value !== undefined).map((e: any) => [e.name, e.value]));
    expect(env).toEqual({
      CA_ADDR: 'meshca.googleapis.com:443',
      CA_PROVIDER: 'GoogleCA',
      PLUGINS: 'GoogleTokenExchange',
      GKE_CLUSTER_URL: 'https://container.googleapis.com/v1/projects/my-project/locations/us-central1-c/clusters/asm-cluster',
      VALID_TOKEN: 'true',
      TRUST_DOMAIN: 'my-project.svc.id.goog',
    });
  });

  test('serves SDS on the node socket directory /var/run/sds', () => {
    const ds = find(renderNodeAgent(), 'DaemonSet');
    expect(ds.spec.template.spec.volumes).toEqual([{ name: 'sdsudspath', hostPath: { path: '/var/run/sds' } }]);
    expect(container(ds, 'nodeagent').volumeMounts).toEqual([{ name: 'sdsudspath', mountPath: '/var/run/sds' }]);
    expect(ds.spec.updateStrategy.type).toBe('RollingUpdate');
  });

  test('NAMESPACE from the pod, with apiVersion v1 like every fieldRef', () => {
    const c = container(find(renderNodeAgent(), 'DaemonSet'), 'nodeagent');
    expect(c.env.find((e: any) => e.name === 'NAMESPACE')).toEqual({ name: 'NAMESPACE', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } } });
  });

  test('hardened as far as the node socket allows: root (for /var/run/sds), no capabilities, read-only root; requests and limits', () => {
    const c = container(find(renderNodeAgent(), 'DaemonSet'), 'nodeagent');
    expect(c.securityContext).toEqual({
      allowPrivilegeEscalation: false,
      capabilities: { drop: ['ALL'] },
      readOnlyRootFilesystem: true,
      runAsNonRoot: false,
      runAsUser: 0,
    });
    expect(c.resources).toEqual({ requests: { cpu: '10m', memory: '64Mi' }, limits: { cpu: '500m', memory: '256Mi' } });
    // Istio 1.4 gave the node agent no probes
    expect(c.livenessProbe).toBeUndefined();
  });

  test('RBAC: configmaps get only, bound to its ServiceAccount', () => {
    const objs = renderNodeAgent();
    expect(find(objs, 'ClusterRole').rules).toEqual([{ apiGroups: [''], resources: ['configmaps'], verbs: ['get'] }]);
    expect(find(objs, 'ClusterRoleBinding').subjects).toEqual([
      { kind: 'ServiceAccount', name: 'istio-nodeagent-service-account', namespace: 'istio-system' },
    ]);
  });

  test('refuses on-prem and a GKE cluster without its URL', () => {
    expect(() => renderNodeAgent(onpremValues())).toThrow(/GKE only/);
    expect(() => renderNodeAgent(gkeValues({ clusterUrl: undefined }))).toThrow(/clusterUrl/);
  });

  test('snapshot', () => {
    expect(renderNodeAgent()).toMatchSnapshot();
  });
});
