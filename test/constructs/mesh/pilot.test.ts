import { Pilot } from '../../../src/constructs/mesh/pilot';
import { container, find, gkeValues, onpremValues, render } from '../../helpers/mesh-values';

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
    expect(d.spec.template.spec.volumes.map((v: any) => v.name)).toEqual(['config-volume', 'istio-certs']);
  });

  test('RBAC, PDB and HPA with 1.13-1.15 API versions', () => {
    const binding = find(gke, 'ClusterRoleBinding', 'istio-pilot-istio-system');
    expect(binding.subjects).toEqual([{ kind: 'ServiceAccount', name: 'istio-pilot-service-account', namespace: 'istio-system' }]);
    expect(find(gke, 'ServiceAccount').metadata.name).toBe('istio-pilot-service-account');
    expect(find(gke, 'PodDisruptionBudget').apiVersion).toBe('policy/v1beta1');
    const hpa = find(gke, 'HorizontalPodAutoscaler');
    expect(hpa.apiVersion).toBe('autoscaling/v2beta1');
    expect(hpa.spec).toMatchObject({ minReplicas: 1, maxReplicas: 5, scaleTargetRef: { kind: 'Deployment', name: 'istio-pilot' } });
  });
});
