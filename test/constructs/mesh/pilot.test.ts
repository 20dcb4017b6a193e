import { Pilot } from '../../../src/constructs/mesh/pilot';
import { container, find, gkeValues, onpremValues, render, EXPECTED_NON_ROOT } from '../../helpers/mesh-values';

describe('Pilot', () => {
  const gke = render((c) => new Pilot(c, 'pilot', { values: gkeValues() }));

  test('Service istio-pilot with exactly the seed ports', () => {
    const svc = find(gke, 'Service', 'istio-pilot');
    expect(svc.spec.type).toBe('ClusterIP');
    expect(svc.spec.selector).toEqual({ istio: 'pilot' });
    expect(svc.spec.ports.map((p: any) => [p.port, p.protocol])).toEqual([
      [15010, 'TCP'],
      [15011, 'TCP'],
      [8080, 'TCP'],
      [15014, 'TCP'],
    ]);
  });

  test('discovery container args, probe and image', () => {
    const d = find(gke, 'Deployment', 'istio-pilot');
    const discovery = container(d, 'discovery');
    expect(discovery.image).toBe('gcr.io/gke-release/asm/pilot:1.4.6-asm.0');
    expect(discovery.args).toEqual([
      'discovery',
      '--monitoringAddr=:15014',
      '--log_output_level=default:info',
      '--domain',
      'cluster.local',
      '--secureGrpcAddr',
      '',
      '--trust-domain=my-project.svc.id.goog',
      '--keepaliveMaxServerConnectionAge',
      '30m',
    ]);
    expect(discovery.readinessProbe.httpGet).toEqual({ path: '/ready', port: 8080 });
    expect(d.spec.replicas).toBeUndefined();
    expect(d.spec.template.spec.serviceAccountName).toBe('istio-pilot-service-account');
  });

  test('pod Envoy terminates mTLS on 15011; GCP_METADATA and SDS on GKE', () => {
    const proxy = container(find(gke, 'Deployment'), 'istio-proxy');
    expect(proxy.image).toBe('gcr.io/gke-release/asm/proxyv2:1.4.6-asm.0');
    expect(proxy.ports).toEqual([{ containerPort: 15011 }]);
    expect(proxy.args).toEqual(expect.arrayContaining(['--controlPlaneAuthPolicy', 'MUTUAL_TLS', '--serviceCluster', 'istio-pilot']));
    expect(proxy.env).toContainEqual({ name: 'GCP_METADATA', value: 'my-project|123456789012|asm-cluster|us-central1-c' });
    expect(proxy.volumeMounts.map((m: any) => m.name)).toContain('sds-uds-path');
  });

  test('on-prem: no GCP_METADATA, no SDS volumes', () => {
    const d = find(render((c) => new Pilot(c, 'pilot', { values: onpremValues() })), 'Deployment');
    const proxy = container(d, 'istio-proxy');
    expect(proxy.env.map((e: any) => e.name)).not.toContain('GCP_METADATA');
    expect(d.spec.template.spec.volumes.map((v: any) => v.name)).toEqual(['config-volume', 'pilot-envoy-config', 'istio-envoy', 'istio-certs']);
  });

  test('RBAC: Istio 1.4 pilot rules without certificate issuing; secrets read-only in istio-system', () => {
    const binding = find(gke, 'ClusterRoleBinding', 'istio-pilot-istio-system');
    expect(binding.subjects).toEqual([{ kind: 'ServiceAccount', name: 'istio-pilot-service-account', namespace: 'istio-system' }]);
    expect(find(gke, 'ServiceAccount').metadata.name).toBe('istio-pilot-service-account');
    expect(find(gke, 'ClusterRole').rules).toEqual([
      { apiGroups: ['config.istio.io'], resources: ['*'], verbs: ['*'] },
      { apiGroups: ['rbac.istio.io'], resources: ['*'], verbs: ['get', 'watch', 'list'] },
      { apiGroups: ['security.istio.io'], resources: ['*'], verbs: ['get', 'watch', 'list'] },
      { apiGroups: ['networking.istio.io'], resources: ['*'], verbs: ['*'] },
      { apiGroups: ['authentication.istio.io'], resources: ['*'], verbs: ['*'] },
      { apiGroups: ['apiextensions.k8s.io'], resources: ['customresourcedefinitions'], verbs: ['*'] },
      { apiGroups: ['extensions'], resources: ['ingresses', 'ingresses/status'], verbs: ['*'] },
      { apiGroups: [''], resources: ['configmaps'], verbs: ['create', 'get', 'list', 'watch', 'update'] },
      { apiGroups: [''], resources: ['endpoints', 'pods', 'services', 'namespaces', 'nodes'], verbs: ['get', 'list', 'watch'] },
    ]);
    const role = find(gke, 'Role', 'istio-pilot-secrets');
    expect(role.metadata.namespace).toBe('istio-system');
    expect(role.rules).toEqual([{ apiGroups: [''], resources: ['secrets'], verbs: ['get', 'list', 'watch'] }]);
    expect(find(gke, 'RoleBinding', 'istio-pilot-secrets').subjects).toEqual([
      { kind: 'ServiceAccount', name: 'istio-pilot-service-account', namespace: 'istio-system' },
    ]);
    const all = JSON.stringify(gke.filter((o) => o.kind === 'ClusterRole' || o.kind === 'Role'));
    expect(all).not.toContain('certificatesigningrequests');
  });

  test('HPA 2..5 (no fixed replicas), PDB keeping 1, spread over nodes; 1.13-1.15 API versions', () => {
    expect(find(gke, 'PodDisruptionBudget').apiVersion).toBe('policy/v1beta1');
    expect(find(gke, 'PodDisruptionBudget').spec.minAvailable).toBe(1);
    const hpa = find(gke, 'HorizontalPodAutoscaler');
    expect(hpa.apiVersion).toBe('autoscaling/v2beta1');
    expect(hpa.spec).toMatchObject({ minReplicas: 2, maxReplicas: 5, scaleTargetRef: { kind: 'Deployment', name: 'istio-pilot' } });
    const d = find(gke, 'Deployment');
    expect(d.spec.replicas).toBeUndefined();
    expect(d.spec.template.spec.affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].podAffinityTerm).toEqual({
      labelSelector: { matchLabels: { istio: 'pilot' } },
      topologyKey: 'kubernetes.io/hostname',
    });
  });

  test('hardened: non-root, read-only root filesystem, readiness on 8080 /ready, requests and limits', () => {
    const d = find(gke, 'Deployment');
    for (const name of ['discovery', 'istio-proxy']) {
      const c = container(d, name);
      expect(c.securityContext).toEqual(EXPECTED_NON_ROOT);
      expect(c.resources.requests).toBeDefined();
      expect(c.resources.limits).toBeDefined();
    }
    const discovery = container(d, 'discovery');
    expect(discovery.readinessProbe.httpGet).toEqual({ path: '/ready', port: 8080 });
    expect(discovery.resources).toEqual({ requests: { cpu: '500m', memory: '2048Mi' }, limits: { cpu: '2000m', memory: '4096Mi' } });
    // pilot-agent writes Envoy's bootstrap to an emptyDir, not the image's /etc/istio/proxy (its template)
    const proxy = container(d, 'istio-proxy');
    expect(proxy.args).toEqual(expect.arrayContaining(['--templateFile', '/var/lib/envoy/envoy.yaml.tmpl', '--configPath', '/var/lib/istio/proxy']));
    expect(d.spec.template.spec.volumes).toContainEqual({ name: 'istio-envoy', emptyDir: { medium: 'Memory' } });
  });
});
