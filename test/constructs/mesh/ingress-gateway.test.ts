import { IngressGateway } from '../../../src/constructs/mesh/ingress-gateway';
import { container, find, gkeValues, onpremValues, render, EXPECTED_NON_ROOT } from '../../helpers/mesh-values';

const renderIngress = (values = gkeValues()) => render((c) => new IngressGateway(c, 'ingress', { values }));

describe('IngressGateway', () => {
  test('renders SA, Deployment, Service, SDS Role+binding, PDB and HPA', () => {
    expect(renderIngress().map((o) => `${o.apiVersion} ${o.kind} ${o.metadata.name}`)).toEqual([
      'v1 ServiceAccount istio-ingressgateway-service-account',
      'apps/v1 Deployment istio-ingressgateway',
      'v1 Service istio-ingressgateway',
      'rbac.authorization.k8s.io/v1 Role istio-ingressgateway-sds',
      'rbac.authorization.k8s.io/v1 RoleBinding istio-ingressgateway-sds',
      'policy/v1beta1 PodDisruptionBudget ingressgateway',
      'autoscaling/v2beta1 HorizontalPodAutoscaler istio-ingressgateway',
    ]);
  });

  test('Service: LoadBalancer with exactly the SPEC ports, Istio names, same-number targetPorts', () => {
    const svc = find(renderIngress(), 'Service');
    expect(svc.metadata.namespace).toBe('istio-system');
    expect(svc.spec.type).toBe('LoadBalancer');
    expect(svc.spec.selector).toEqual({ app: 'istio-ingressgateway', istio: 'ingressgateway' });
    expect(svc.spec.ports).toEqual(
      [
        ['status-port', 15020],
        ['http2', 80],
        ['https', 443],
        ['kiali', 15029],
        ['prometheus', 15030],
        ['grafana', 15031],
        ['tracing', 15032],
        ['tls', 15443],
      ].map(([name, port]) => ({ name, port, targetPort: port, protocol: 'TCP' })),
    );
    expect(svc.spec.loadBalancerIP).toBeUndefined();
  });

  test('loadBalancerIP and pinned NodePorts from values', () => {
    const svc = find(renderIngress(onpremValues({ ingress: { loadBalancerIP: '192.168.30.60', nodePorts: { https: 32106 } } })), 'Service');
    expect(svc.spec.loadBalancerIP).toBe('192.168.30.60');
    expect(svc.spec.ports.filter((p: any) => p.nodePort !== undefined)).toEqual([{ name: 'https', port: 443, targetPort: 443, protocol: 'TCP', nodePort: 32106 }]);
  });

  test('a NodePort pinned on an unknown port name is refused', () => {
    expect(() => renderIngress(gkeValues({ ingress: { nodePorts: { http: 31380 } } }))).toThrow(/no port named 'http'/);
  });

  test('proxy: pilot-agent proxy router with the mesh settings', () => {
    const proxy = container(find(renderIngress(), 'Deployment'), 'istio-proxy');
    expect(proxy.image).toBe('gcr.io/gke-release/asm/proxyv2:1.4.6-asm.0');
    expect(proxy.args.slice(0, 2)).toEqual(['proxy', 'router']);
    const args = proxy.args.join(' ');
    expect(args).toContain('--serviceCluster istio-ingressgateway');
    expect(args).toContain('--discoveryAddress istio-pilot.istio-system:15011');
    expect(args).toContain('--controlPlaneAuthPolicy MUTUAL_TLS');
    expect(args).toContain('--statusPort 15020');
    expect(args).toContain('--trust-domain=my-project.svc.id.goog');
    expect(proxy.ports.map((p: any) => p.containerPort)).toEqual([15020, 80, 443, 15029, 15030, 15031, 15032, 15443, 15090]);
    expect(proxy.readinessProbe.httpGet).toEqual({ path: '/healthz/ready', port: 15020, scheme: 'HTTP' });
  });

  test('GKE: SDS from the node agent, GCP_METADATA, no istio-certs secret', () => {
    const dep = find(renderIngress(), 'Deployment');
    const proxy = container(dep, 'istio-proxy');
    const env = Object.fromEntries(proxy.env.filter((e: any) => e.value !== undefined).map((e: any) => [e.name, e.value]));
    expect(env.GCP_METADATA).toBe('my-project|123456789012|asm-cluster|us-central1-c');
    expect(env.SDS_ENABLED).toBe('true');
    expect(env.ISTIO_META_MESH_ID).toBe('proj-123456789012');
    const volumes = dep.spec.template.spec.volumes;
    expect(volumes.find((v: any) => v.name === 'sdsudspath').hostPath).toEqual({ path: '/var/run/sds' });
    expect(volumes.find((v: any) => v.name === 'istio-token').projected.sources[0].serviceAccountToken).toEqual({
      path: 'istio-token',
      expirationSeconds: 43200,
      audience: 'my-project.svc.id.goog',
    });
    expect(volumes.find((v: any) => v.name === 'istio-certs')).toBeUndefined();
  });

  test('on-prem: Citadel-issued istio-certs secret mounted, no SDS, no GCP env', () => {
    const dep = find(renderIngress(onpremValues()), 'Deployment');
    const proxy = container(dep, 'istio-proxy');
    const names = proxy.env.map((e: any) => e.name);
    expect(names).not.toContain('GCP_METADATA');
    expect(proxy.env.find((e: any) => e.name === 'SDS_ENABLED').value).toBe('false');
    expect(proxy.volumeMounts).toContainEqual({ name: 'istio-certs', mountPath: '/etc/certs', readOnly: true });
    const volumes = dep.spec.template.spec.volumes;
    expect(volumes.find((v: any) => v.name === 'istio-certs').secret).toEqual({
      secretName: 'istio.istio-ingressgateway-service-account',
      optional: true,
    });
    expect(volumes.map((v: any) => v.name)).not.toContain('sdsudspath');
  });

  test('gateway SDS container and the Role to read TLS secrets', () => {
    const objs = renderIngress();
    const sds = container(find(objs, 'Deployment'), 'ingress-sds');
    expect(sds.image).toBe('gcr.io/gke-release/asm/node-agent-k8s:1.4.6-asm.0');
    expect(sds.env.find((e: any) => e.name === 'ENABLE_INGRESS_GATEWAY_SDS').value).toBe('true');
    expect(find(objs, 'Role').rules).toEqual([{ apiGroups: [''], resources: ['secrets'], verbs: ['get', 'watch', 'list'] }]);
    expect(find(objs, 'RoleBinding').subjects).toEqual([
      { kind: 'ServiceAccount', name: 'istio-ingressgateway-service-account', namespace: 'istio-system' },
    ]);
  });

  test('HPA 2-5 at 80% CPU; no fixed replicas; PDB keeping 1 selects the pods; spread over nodes', () => {
    const objs = renderIngress();
    const hpa = find(objs, 'HorizontalPodAutoscaler');
    expect(hpa.spec).toMatchObject({ minReplicas: 2, maxReplicas: 5, scaleTargetRef: { kind: 'Deployment', name: 'istio-ingressgateway' } });
    expect(hpa.spec.metrics).toEqual([{ type: 'Resource', resource: { name: 'cpu', targetAverageUtilization: 80 } }]);
    const dep = find(objs, 'Deployment');
    expect(dep.spec.replicas).toBeUndefined();
    const pdb = find(objs, 'PodDisruptionBudget');
    expect(pdb.metadata.name).toBe('ingressgateway');
    expect(pdb.spec.minAvailable).toBe(1);
    const podLabels = dep.spec.template.metadata.labels;
    for (const [k, v] of Object.entries(pdb.spec.selector.matchLabels)) expect(podLabels[k]).toBe(v);
    expect(dep.spec.template.spec.affinity.podAntiAffinity).toEqual({
      preferredDuringSchedulingIgnoredDuringExecution: [
        { weight: 100, podAffinityTerm: { labelSelector: { matchLabels: { app: 'istio-ingressgateway', istio: 'ingressgateway' } }, topologyKey: 'kubernetes.io/hostname' } },
      ],
    });
  });

  test('hardened: the proxy runs as root only to bind 80/443 (NET_BIND_SERVICE), ingress-sds as 1337; both read-only', () => {
    const dep = find(renderIngress(), 'Deployment');
    const proxy = container(dep, 'istio-proxy');
    expect(proxy.securityContext).toEqual({
      allowPrivilegeEscalation: false,
      capabilities: { add: ['NET_BIND_SERVICE'], drop: ['ALL'] },
      readOnlyRootFilesystem: true,
      runAsNonRoot: false,
      runAsUser: 0,
    });
    expect(proxy.volumeMounts).toContainEqual({ name: 'istio-envoy', mountPath: '/etc/istio/proxy' });
    expect(dep.spec.template.spec.volumes).toContainEqual({ name: 'istio-envoy', emptyDir: { medium: 'Memory' } });
    expect(container(dep, 'ingress-sds').securityContext).toEqual(EXPECTED_NON_ROOT);
    for (const c of dep.spec.template.spec.containers) {
      expect(c.securityContext.runAsGroup).toBeUndefined();
      expect(c.resources.requests).toBeDefined();
      expect(c.resources.limits).toBeDefined();
    }
  });

  test('ISTIO_META_OWNER names the Deployment with the apiVersion the cluster serves', () => {
    const env = container(find(renderIngress(gkeValues({ kubernetesVersion: '1.13' })), 'Deployment'), 'istio-proxy').env;
    expect(env.find((e: any) => e.name === 'ISTIO_META_OWNER').value).toBe('kubernetes://apis/apps/v1/namespaces/istio-system/deployments/istio-ingressgateway');
  });

  test('API versions follow the cluster version', () => {
    const objs = renderIngress(gkeValues({ kubernetesVersion: '1.25' }));
    expect(find(objs, 'PodDisruptionBudget').apiVersion).toBe('policy/v1');
    expect(find(objs, 'HorizontalPodAutoscaler').apiVersion).toBe('autoscaling/v2');
  });

  test('snapshot (gke)', () => {
    expect(renderIngress()).toMatchSnapshot();
  });

  test('snapshot (onprem)', () => {
    expect(renderIngress(onpremValues())).toMatchSnapshot();
  });
});
