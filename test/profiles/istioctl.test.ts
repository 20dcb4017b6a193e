import { renderCluster } from '../../src/render/render-cluster';
import { ISTIOCTL_CLUSTER, ONPREM_CLUSTER, withField } from '../helpers/config';
import { find, Manifest, renderParsed, specOf } from '../helpers/render';

const all = (files: Map<string, Manifest[]>) => [...files.values()].flat();

describe('profile gke-istioctl', () => {
  const files = renderParsed(ISTIOCTL_CLUSTER);

  test('no Config Connector resources: the cluster exists', () => {
    expect([...files.keys()].filter((p) => p.startsWith('config-connector/'))).toEqual([]);
    expect(all(files).filter((m) => m.apiVersion.includes('cnrm.cloud.google.com'))).toEqual([]);
  });

  test('cluster-admin-binding for the configured user', () => {
    const [binding] = files.get('bootstrap/cluster-admin-binding.yaml')!;
    expect(binding).toEqual({
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      metadata: { name: 'cluster-admin-binding' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'cluster-admin' },
      subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: 'admin@example.com' }],
    });
  });

  test('the overlay for istioctl manifest apply: profile asm, GKE values', () => {
    const [cr] = files.get('control-plane/istio-control-plane.yaml')!;
    expect(cr.spec.profile).toBe('asm');
    expect(cr.metadata.annotations).toEqual({ 'config.kubernetes.io/local-config': 'true' });
    expect(cr.spec.values.global.trustDomain).toBe('asm-demo-project.svc.id.goog');
    expect(cr.spec.values.global.proxy.env.GCP_METADATA).toBe('asm-demo-project|123456789012|asm-existing|asia-northeast1-a');
  });

  test('the node agent runs, Citadel does not', () => {
    expect(find(all(files), 'DaemonSet', 'istio-nodeagent')).toBeDefined();
    expect(all(files).filter((m) => m.metadata.name === 'istio-citadel')).toEqual([]);
  });
});

describe('profile onprem', () => {
  const files = renderParsed(ONPREM_CLUSTER);
  const rendered = renderCluster(specOf(ONPREM_CLUSTER));

  test('overlay with profile asm-onprem and the cluster.local trust domain', () => {
    const [cr] = files.get('control-plane/istio-control-plane.yaml')!;
    expect(cr.spec.profile).toBe('asm-onprem');
    expect(cr.spec.values.global.trustDomain).toBe('cluster.local');
    expect(cr.spec.values.gateways['istio-ingressgateway'].loadBalancerIP).toBe('192.168.30.60');
    expect(cr.spec.values.nodeagent).toBeUndefined();
  });

  test('a configured trust domain is used', () => {
    const [cr] = renderParsed({ ...ONPREM_CLUSTER, trustDomain: 'corp.example' }).get('control-plane/istio-control-plane.yaml')!;
    expect(cr.spec.values.global.trustDomain).toBe('corp.example');
  });

  test('Citadel with its Service on 8060/15014 reading cacerts; no node agent, no Mesh CA', () => {
    const svc = find(all(files), 'Service', 'istio-citadel');
    expect(svc.spec.ports.map((p: { port: number; protocol: string }) => `${p.port}/${p.protocol}`)).toEqual(['8060/TCP', '15014/TCP']);
    const citadel = find(all(files), 'Deployment', 'istio-citadel');
    expect(JSON.stringify(citadel.spec.template.spec.volumes)).toMatch(/"secretName":"cacerts"/);
    expect(all(files).filter((m) => m.kind === 'DaemonSet')).toEqual([]);
    expect(rendered.map((f) => f.content).join('\n')).not.toMatch(/meshca\.googleapis\.com/);
  });

  test('no Stackdriver anywhere in the package (observability on-prem is Prometheus only)', () => {
    for (const f of rendered) expect([f.path, /stackdriver/i.test(f.content)]).toEqual([f.path, false]);
  });

  test('the ingress gateway Service carries the VIP', () => {
    expect(find(all(files), 'Service', 'istio-ingressgateway').spec.loadBalancerIP).toBe('192.168.30.60');
  });

  test('no key material in the package itself (the CLI writes secrets/ apart)', () => {
    expect(rendered.some((f) => f.path.startsWith('secrets/') || /PRIVATE KEY/.test(f.content))).toBe(false);
  });

  test('INSTALL.md lists the seed\'s on-prem steps in order', () => {
    const guide = rendered.find((f) => f.path === 'INSTALL.md')!.content;
    const order = ['bootstrap/cluster-admin-binding.yaml', 'istio-1.4.6-asm.0-linux.tar.gz', 'in-cluster/00-namespace.yaml', 'secrets/cacerts.yaml', 'istioctl manifest apply'];
    const at = order.map((s) => guide.indexOf(s));
    expect(at.every((i) => i >= 0)).toBe(true);
    expect([...at].sort((a, b) => a - b)).toEqual(at);
    expect(guide).toMatch(/```mermaid/);
  });
});

describe('snapshots per profile (records; the assertions above are the proof)', () => {
  test.each([
    ['gke-istioctl', ISTIOCTL_CLUSTER],
    ['onprem', ONPREM_CLUSTER],
    ['onprem with STRICT mTLS and a namespace policy', withField(ONPREM_CLUSTER, 'mesh', { mtls: 'STRICT', namespacePolicies: [{ namespace: 'shop', mtls: 'STRICT' }] })],
  ])('%s', (_name, cluster) => {
    const files = renderCluster(specOf(cluster)).filter((f) => /^(bootstrap|control-plane)\/|^in-cluster\/90-|^INSTALL\.md$/.test(f.path));
    expect(Object.fromEntries(files.map((f) => [f.path, f.content]))).toMatchSnapshot();
  });
});

describe('mesh options reach every install path', () => {
  const strict = withField(withField(ONPREM_CLUSTER, 'mesh', { mtls: 'STRICT', namespacePolicies: [{ namespace: 'shop', mtls: 'STRICT' }] }), 'ingress.nodePorts', { http2: 31380 });

  test('STRICT mTLS: MeshPolicy, client DestinationRules (API server exempt), and the overlay switch', () => {
    const files = renderParsed(strict);
    const policies = files.get('policies/policies.yaml')!;
    expect(find(policies, 'MeshPolicy', 'default').spec.peers).toEqual([{ mtls: {} }]);
    const dr = policies.filter((m) => m.kind === 'DestinationRule');
    expect(dr.map((m) => [m.metadata.namespace, m.metadata.name, m.spec.host, m.spec.trafficPolicy.tls.mode])).toEqual([
      ['istio-system', 'default', '*.local', 'ISTIO_MUTUAL'],
      ['istio-system', 'api-server', 'kubernetes.default.svc.cluster.local', 'DISABLE'],
    ]);
    const [cr] = files.get('control-plane/istio-control-plane.yaml')!;
    expect(cr.spec.values.global.mtls).toEqual({ enabled: true });
  });

  test('a STRICT namespace in a PERMISSIVE mesh gets its own client rule; pinned NodePorts reach the overlay', () => {
    const files = renderParsed(withField(strict, 'mesh.mtls', 'PERMISSIVE'));
    const dr = files.get('policies/policies.yaml')!.filter((m) => m.kind === 'DestinationRule');
    expect(dr.map((m) => [m.metadata.namespace, m.spec.host])).toEqual([['shop', '*.shop.svc.cluster.local']]);
    const [cr] = files.get('control-plane/istio-control-plane.yaml')!;
    const ports = cr.spec.values.gateways['istio-ingressgateway'].ports as { name: string; nodePort?: number }[];
    expect(ports.find((p) => p.name === 'http2')?.nodePort).toBe(31380);
    expect(ports.filter((p) => p.nodePort !== undefined)).toHaveLength(1);
    expect(ports).toHaveLength(8);
    expect(cr.spec.values.global.mtls).toBeUndefined();
  });
});
