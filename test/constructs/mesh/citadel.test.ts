import { Citadel } from '../../../src/constructs/mesh/citadel';
import { container, find, gkeValues, onpremValues, render, EXPECTED_NON_ROOT } from '../../helpers/mesh-values';

const renderCitadel = (values = onpremValues()) => render((c) => new Citadel(c, 'citadel', { values }));

describe('Citadel', () => {
  test('renders SA, Deployment (one replica), Service, ClusterRole+binding; no PDB that would block drains', () => {
    const objs = renderCitadel();
    expect(objs.map((o) => `${o.apiVersion} ${o.kind} ${o.metadata.name}`)).toEqual([
      'v1 ServiceAccount istio-citadel-service-account',
      'apps/v1 Deployment istio-citadel',
      'v1 Service istio-citadel',
      'rbac.authorization.k8s.io/v1 ClusterRole istio-citadel-istio-system',
      'rbac.authorization.k8s.io/v1 ClusterRoleBinding istio-citadel-istio-system',
    ]);
    expect(find(objs, 'Deployment').spec.replicas).toBe(1);
  });

  test('hardened: non-root, read-only root filesystem; liveness and readiness on /version; requests and limits', () => {
    const c = container(find(renderCitadel(), 'Deployment'), 'citadel');
    expect(c.securityContext).toEqual(EXPECTED_NON_ROOT);
    const probe = { httpGet: { path: '/version', port: 15014 }, initialDelaySeconds: 5, periodSeconds: 5 };
    expect(c.livenessProbe).toEqual(probe);
    expect(c.readinessProbe).toEqual(probe);
    expect(c.resources).toEqual({ requests: { cpu: '10m', memory: '64Mi' }, limits: { cpu: '500m', memory: '512Mi' } });
  });

  test('signs with the plugged-in CA from secret cacerts', () => {
    const dep = find(renderCitadel(), 'Deployment');
    const c = container(dep, 'citadel');
    expect(c.image).toBe('gcr.io/gke-release/asm/citadel:1.4.6-asm.0');
    expect(c.args).toEqual([
      '--append-dns-names=true',
      '--grpc-port=8060',
      '--citadel-storage-namespace=istio-system',
      '--custom-dns-names=istio-pilot-service-account.istio-system:istio-pilot.istio-system',
      '--monitoring-port=15014',
      '--self-signed-ca=false',
      '--signing-cert=/etc/cacerts/ca-cert.pem',
      '--signing-key=/etc/cacerts/ca-key.pem',
      '--root-cert=/etc/cacerts/root-cert.pem',
      '--cert-chain=/etc/cacerts/cert-chain.pem',
      '--trust-domain=cluster.local',
      '--workload-cert-ttl=2160h',
    ]);
    expect(c.volumeMounts).toEqual([{ name: 'cacerts', mountPath: '/etc/cacerts', readOnly: true }]);
    expect(dep.spec.template.spec.volumes).toEqual([{ name: 'cacerts', secret: { secretName: 'cacerts' } }]);
    expect(dep.spec.template.spec.serviceAccountName).toBe('istio-citadel-service-account');
  });

  test('Service istio-citadel: 8060 grpc-citadel and 15014 http-monitoring', () => {
    const svc = find(renderCitadel(), 'Service');
    expect(svc.spec.type).toBe('ClusterIP');
    expect(svc.spec.ports).toEqual([
      { name: 'grpc-citadel', port: 8060, targetPort: 8060, protocol: 'TCP' },
      { name: 'http-monitoring', port: 15014, targetPort: 15014, protocol: 'TCP' },
    ]);
    const podLabels = find(renderCitadel(), 'Deployment').spec.template.metadata.labels;
    for (const [k, v] of Object.entries(svc.spec.selector)) expect(podLabels[k]).toBe(v);
  });

  test('RBAC: manages istio.* secrets, reviews tokens', () => {
    const rules = find(renderCitadel(), 'ClusterRole').rules;
    expect(rules).toContainEqual({ apiGroups: [''], resources: ['secrets'], verbs: ['create', 'get', 'watch', 'list', 'update', 'delete'] });
    expect(rules).toContainEqual({ apiGroups: ['authentication.k8s.io'], resources: ['tokenreviews'], verbs: ['create'] });
  });

  test('refuses GKE (Mesh CA there)', () => {
    expect(() => renderCitadel(gkeValues())).toThrow(/on-prem only/);
  });

  test('snapshot', () => {
    expect(renderCitadel()).toMatchSnapshot();
  });
});
