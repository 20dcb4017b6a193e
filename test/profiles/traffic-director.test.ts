import { parse } from 'yaml';
import { renderCluster } from '../../src/render/render-cluster';
import { configConnectorProblems } from '../helpers/cc-schema';
import { TRAFFIC_DIRECTOR_CLUSTER as TD, withField } from '../helpers/config';
import { kubernetes113 } from '../helpers/k8s-schema';
import { find, Manifest, renderParsed, specOf } from '../helpers/render';

const CC = 'config-connector';
const ZONES = ['us-central1-a', 'us-central1-b', 'us-central1-c', 'us-central1-f'];

function ccOf(files: Map<string, Manifest[]>): Manifest[] {
  return [...files.entries()].filter(([p]) => p.startsWith(`${CC}/`)).flatMap(([, m]) => m);
}

describe('profile traffic-director', () => {
  const files = renderParsed(TD);
  const cc = ccOf(files);
  const access = files.get(`${CC}/traffic-director-access.yaml`)!;
  const routing = files.get(`${CC}/traffic-director-routing.yaml`)!;

  test('files: Config Connector, the injector, the Services, the labels; no secrets in the package render', () => {
    expect([...files.keys()].sort()).toEqual([
      `${CC}/cluster.yaml`,
      `${CC}/project-services.yaml`,
      `${CC}/traffic-director-access.yaml`,
      `${CC}/traffic-director-routing.yaml`,
      'in-cluster/00-namespace.yaml',
      'in-cluster/10-td-sidecar-injector.yaml',
      'in-cluster/30-services.yaml',
      'namespaces/injection-labels.yaml',
    ]);
  });

  test('enables trafficdirector, compute and container, placed by anthoscli in bootstrap', () => {
    const services = files.get(`${CC}/project-services.yaml`)!;
    expect(services.map((s) => s.metadata.name)).toEqual(['trafficdirector.googleapis.com', 'compute.googleapis.com', 'container.googleapis.com']);
    for (const m of cc) expect([m.kind, (m.metadata.annotations as Record<string, string>)['gke.io/cluster']]).toEqual([m.kind, 'bootstrap://']);
  });

  test('a VPC-native regional cluster pinned to its zones; nodes with the cloud-platform scope, no Workload Identity', () => {
    const cluster = find(cc, 'ContainerCluster', 'td-gke');
    expect(cluster.spec.ipAllocationPolicy).toEqual({ clusterIpv4CidrBlock: '/14', servicesIpv4CidrBlock: '/20' });
    expect(cluster.spec.nodeLocations).toEqual(ZONES);
    expect(cluster.spec.workloadIdentityConfig).toBeUndefined();
    expect(cluster.spec.addonsConfig).toBeUndefined();
    const pool = find(cc, 'ContainerNodePool', 'td-gke-pool');
    expect(pool.spec.nodeConfig).toEqual({ machineType: 'e2-standard-4', oauthScopes: ['https://www.googleapis.com/auth/cloud-platform'] });
  });

  test('the health-check firewall admits Google\'s checkers to the services\' target ports', () => {
    const fw = find(access, 'ComputeFirewall', 'td-gke-td-health-checks');
    expect(fw.spec).toMatchObject({
      direction: 'INGRESS',
      sourceRanges: ['35.191.0.0/16', '130.211.0.0/22'],
      allow: [{ protocol: 'tcp', ports: ['8080', '50051'] }],
      networkRef: { external: 'projects/asm-demo-project/global/networks/default' },
    });
  });

  test('a global health check per service, of the service\'s protocol, on the serving port', () => {
    expect(find(access, 'ComputeHealthCheck', 'td-gke-default-helloworld').spec).toEqual({ location: 'global', httpHealthCheck: { portSpecification: 'USE_SERVING_PORT' } });
    expect(find(access, 'ComputeHealthCheck', 'td-gke-shop-greeter').spec).toEqual({ location: 'global', grpcHealthCheck: { portSpecification: 'USE_SERVING_PORT' } });
  });

  test('the IAM member: the Compute Engine default service account gets the network viewer role on the project', () => {
    expect(find(access, 'IAMPolicyMember', 'td-gke-td-envoy-network-viewer').spec).toEqual({
      member: 'serviceAccount:123456789012-compute@developer.gserviceaccount.com',
      role: 'roles/compute.networkViewer',
      resourceRef: { kind: 'Project', external: 'projects/asm-demo-project' },
    });
  });

  test('backend services: INTERNAL_SELF_MANAGED, one RATE backend per zone on the named NEG', () => {
    const hello = find(routing, 'ComputeBackendService', 'td-gke-default-helloworld');
    expect(hello.spec.loadBalancingScheme).toBe('INTERNAL_SELF_MANAGED');
    expect(hello.spec.location).toBe('global');
    expect(hello.spec.protocol).toBe('HTTP');
    expect(hello.spec.healthChecks).toEqual([{ healthCheckRef: { name: 'td-gke-default-helloworld' } }]);
    expect(hello.spec.backend).toEqual(
      ZONES.map((z) => ({
        group: { networkEndpointGroupRef: { external: `projects/asm-demo-project/zones/${z}/networkEndpointGroups/td-gke-default-helloworld` } },
        balancingMode: 'RATE',
        maxRatePerEndpoint: 5,
      })),
    );
    const greeter = find(routing, 'ComputeBackendService', 'td-gke-shop-greeter');
    expect(greeter.spec.protocol).toBe('GRPC');
    expect(greeter.spec.backend.map((b: { maxRatePerEndpoint: number }) => b.maxRatePerEndpoint)).toEqual([20, 20, 20, 20]);
  });

  test('a zonal cluster has one backend, in its zone, and no nodeLocations', () => {
    const zonal = renderParsed(withField(TD, 'location', 'europe-west1-b'));
    const bs = find(zonal.get(`${CC}/traffic-director-routing.yaml`)!, 'ComputeBackendService', 'td-gke-default-helloworld');
    expect(bs.spec.backend.map((b: any) => b.group.networkEndpointGroupRef.external)).toEqual(['projects/asm-demo-project/zones/europe-west1-b/networkEndpointGroups/td-gke-default-helloworld']);
    expect(find(zonal.get(`${CC}/cluster.yaml`)!, 'ContainerCluster', 'td-gke').spec.nodeLocations).toBeUndefined();
  });

  test('URL map host rules, target HTTP proxy and the 0.0.0.0:80 forwarding rule', () => {
    expect(find(routing, 'ComputeURLMap', 'td-gke-td-url-map').spec).toEqual({
      location: 'global',
      defaultService: { backendServiceRef: { name: 'td-gke-default-helloworld' } },
      hostRule: [
        { hosts: ['helloworld.example.com'], pathMatcher: 'matcher-1' },
        { hosts: ['greeter.example.com', 'greeter'], pathMatcher: 'matcher-2' },
      ],
      pathMatcher: [
        { name: 'matcher-1', defaultService: { backendServiceRef: { name: 'td-gke-default-helloworld' } } },
        { name: 'matcher-2', defaultService: { backendServiceRef: { name: 'td-gke-shop-greeter' } } },
      ],
    });
    expect(find(routing, 'ComputeTargetHTTPProxy', 'td-gke-td-proxy').spec).toEqual({ location: 'global', urlMapRef: { name: 'td-gke-td-url-map' } });
    expect(find(routing, 'ComputeForwardingRule', 'td-gke-td-forwarding-rule').spec).toEqual({
      location: 'global',
      loadBalancingScheme: 'INTERNAL_SELF_MANAGED',
      ipAddress: { ip: '0.0.0.0' },
      ipProtocol: 'TCP',
      portRange: '80',
      networkRef: { external: 'projects/asm-demo-project/global/networks/default' },
      target: { targetHTTPProxyRef: { name: 'td-gke-td-proxy' } },
    });
    const other = renderParsed(withField(TD, 'trafficDirector.forwardingPort', 8080));
    expect(find(other.get(`${CC}/traffic-director-routing.yaml`)!, 'ComputeForwardingRule', 'td-gke-td-forwarding-rule').spec.portRange).toBe('8080');
  });

  test('Workload Identity: the cluster\'s pool, GKE metadata on the nodes, the workloads\' GSA gets the role', () => {
    const wi = renderParsed(withField(withField(TD, 'trafficDirector.workloadIdentity', true), 'trafficDirector.serviceAccount', 'td-envoy@asm-demo-project.iam.gserviceaccount.com'));
    const c = ccOf(wi);
    expect(find(c, 'ContainerCluster', 'td-gke').spec.workloadIdentityConfig).toEqual({ workloadPool: 'asm-demo-project.svc.id.goog' });
    const pool = find(c, 'ContainerNodePool', 'td-gke-pool');
    expect(pool.spec.nodeConfig.workloadMetadataConfig).toEqual({ mode: 'GKE_METADATA' });
    expect(pool.spec.nodeConfig.serviceAccount).toBeUndefined();
    expect(find(c, 'IAMPolicyMember', 'td-gke-td-envoy-network-viewer').spec.member).toBe('serviceAccount:td-envoy@asm-demo-project.iam.gserviceaccount.com');
    const guide = renderCluster(specOf(withField(withField(TD, 'trafficDirector.workloadIdentity', true), 'trafficDirector.serviceAccount', 'td-envoy@asm-demo-project.iam.gserviceaccount.com'))).find((f) => f.path === 'INSTALL.md')!.content;
    expect(guide).toContain('Workload Identity is on: the Envoys authenticate as the Google service account `td-envoy@asm-demo-project.iam.gserviceaccount.com`');
    // Without Workload Identity, a given service account is the nodes'.
    const nodes = ccOf(renderParsed(withField(TD, 'trafficDirector.serviceAccount', 'nodes@asm-demo-project.iam.gserviceaccount.com')));
    expect(find(nodes, 'ContainerNodePool', 'td-gke-pool').spec.nodeConfig.serviceAccount).toBe('nodes@asm-demo-project.iam.gserviceaccount.com');
  });

  test('every Config Connector resource validates against its CRD schema, unknown fields refused', async () => {
    expect(cc).toHaveLength(14);
    for (const m of cc) expect(await configConnectorProblems(m)).toEqual([]);
  });

  test('every in-cluster resource is valid for Kubernetes 1.13', () => {
    const inCluster = [...files.entries()].filter(([p]) => !p.startsWith(`${CC}/`)).flatMap(([, m]) => m);
    expect(inCluster.length).toBeGreaterThan(10);
    for (const m of inCluster) expect(kubernetes113().validate(m)).toEqual([]);
  });

  test('the Services: standalone NEG annotation with the named NEG, protocol-named port, selector', () => {
    const svcs = files.get('in-cluster/30-services.yaml')!;
    const hello = find(svcs, 'Service', 'helloworld');
    expect(hello.metadata.namespace).toBe('default');
    expect(JSON.parse((hello.metadata.annotations as Record<string, string>)['cloud.google.com/neg'])).toEqual({ exposed_ports: { '80': { name: 'td-gke-default-helloworld' } } });
    expect(hello.spec.ports).toEqual([{ name: 'http-80', port: 80, targetPort: 8080, protocol: 'TCP' }]);
    expect(hello.spec.selector).toEqual({ app: 'helloworld' });
    expect(find(svcs, 'Service', 'greeter').spec.ports[0].name).toBe('grpc-50051');
  });

  describe('the sidecar injector in istio-control', () => {
    const inj = files.get('in-cluster/10-td-sidecar-injector.yaml')!;

    test('namespace istio-control, not injected itself', () => {
      expect(files.get('in-cluster/00-namespace.yaml')).toEqual([{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'istio-control', labels: { 'istio-injection': 'disabled' } } }]);
      for (const m of inj.filter((x) => x.kind !== 'ClusterRole' && x.kind !== 'ClusterRoleBinding' && x.kind !== 'MutatingWebhookConfiguration')) {
        expect([m.kind, m.metadata.namespace]).toEqual([m.kind, 'istio-control']);
      }
    });

    test('ConfigMap injector-mesh: Traffic Director address, project number and network', () => {
      const mesh = parse(find(inj, 'ConfigMap', 'injector-mesh').data.mesh);
      expect(mesh).toEqual({
        defaultConfig: {
          discoveryAddress: 'trafficdirector.googleapis.com:443',
          proxyMetadata: { TRAFFICDIRECTOR_GCP_PROJECT_NUMBER: '123456789012', TRAFFICDIRECTOR_NETWORK_NAME: 'default' },
        },
      });
    });

    test('the injection template runs the 1.7.0 Envoy against Traffic Director', () => {
      const config = parse(find(inj, 'ConfigMap', 'istio-sidecar-injector').data.config);
      expect(config.policy).toBe('enabled');
      const template = parse(config.template);
      const proxy = template.containers[0];
      expect(proxy.image).toBe('istio/proxyv2:1.7.0');
      expect(proxy.args).toEqual(expect.arrayContaining(['--discoveryAddress', 'trafficdirector.googleapis.com:443']));
      expect(proxy.env).toEqual(
        expect.arrayContaining([
          { name: 'TRAFFICDIRECTOR_GCP_PROJECT_NUMBER', value: '{{ .Values.trafficDirector.projectNumber }}' },
          { name: 'TRAFFICDIRECTOR_NETWORK_NAME', value: '{{ .Values.trafficDirector.network }}' },
        ]),
      );
      // ... which the injector's values fill in, one line each so kpt setters reach them.
      const values = find(inj, 'ConfigMap', 'istio-sidecar-injector').data.values;
      expect(values).not.toContain('\n');
      expect(JSON.parse(values)).toEqual({ trafficDirector: { projectNumber: '123456789012', network: 'default' } });
      expect(find(inj, 'ConfigMap', 'injector-mesh').data.mesh).not.toContain('\n');
      expect(template.initContainers[0].name).toBe('istio-init');
    });

    test('Deployment: image, port 9443, certificates from Secret istio-sidecar-injector', () => {
      const d = find(inj, 'Deployment', 'istio-sidecar-injector');
      const c = d.spec.template.spec.containers[0];
      expect(c.image).toBe('istio/sidecar_injector:1.5.8');
      expect(c.args).toEqual(
        expect.arrayContaining(['--port=9443', '--caCertFile=/etc/istio/certs/ca-cert.pem', '--tlsCertFile=/etc/istio/certs/cert.pem', '--tlsKeyFile=/etc/istio/certs/key.pem', '--webhookConfigName=istio-sidecar-injector-istio-control']),
      );
      expect(d.spec.template.spec.volumes).toEqual(expect.arrayContaining([{ name: 'certs', secret: { secretName: 'istio-sidecar-injector' } }]));
      expect(d.spec.replicas).toBe(2);
    });

    test('Service 443 -> 9443, PDB, webhook on istio-injection: enabled with failurePolicy Fail', () => {
      expect(find(inj, 'Service', 'istio-sidecar-injector').spec.ports).toEqual([{ name: 'https-inject', port: 443, targetPort: 9443, protocol: 'TCP' }]);
      expect(find(inj, 'PodDisruptionBudget', 'istio-sidecar-injector').spec.minAvailable).toBe(1);
      const mwc = find(inj, 'MutatingWebhookConfiguration', 'istio-sidecar-injector-istio-control');
      expect(mwc.webhooks).toHaveLength(1);
      expect(mwc.webhooks[0]).toMatchObject({
        clientConfig: { service: { name: 'istio-sidecar-injector', namespace: 'istio-control', path: '/inject' } },
        failurePolicy: 'Fail',
        namespaceSelector: { matchLabels: { 'istio-injection': 'enabled' } },
      });
    });

    test('RBAC: read ConfigMaps and webhooks, patch only its own webhook', () => {
      const role = find(inj, 'ClusterRole', 'istio-sidecar-injector-istio-control');
      expect(role.rules).toContainEqual({ apiGroups: ['admissionregistration.k8s.io'], resources: ['mutatingwebhookconfigurations'], resourceNames: ['istio-sidecar-injector-istio-control'], verbs: ['patch'] });
      expect(role.rules.filter((r: { verbs: string[] }) => r.verbs.includes('patch'))).toHaveLength(1);
      expect(find(inj, 'ClusterRoleBinding', 'istio-sidecar-injector-istio-control').subjects).toEqual([{ kind: 'ServiceAccount', name: 'istio-sidecar-injector', namespace: 'istio-control' }]);
    });
  });

  test('INSTALL.md: the order, the check with a client pod, the delete order', () => {
    const guide = renderCluster(specOf(TD)).find((f) => f.path === 'INSTALL.md')!.content;
    const order = [
      'project-services.yaml',
      'config-connector/cluster.yaml',
      'secrets/td-sidecar-injector-certs.yaml',
      'kubectl apply -f in-cluster/10-td-sidecar-injector.yaml',
      'kubectl label namespace default istio-injection=enabled',
      'kubectl apply -f in-cluster/30-services.yaml',
      'neg-status',
      'apply -f config-connector/traffic-director-routing.yaml',
    ].map((s) => guide.indexOf(s));
    expect(order.every((i) => i >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(guide).toContain("curl -s -H 'Host: helloworld.example.com' 10.0.0.1");
    const del = guide.slice(guide.indexOf('## Delete'));
    expect(del.indexOf('delete -f config-connector/traffic-director-routing.yaml')).toBeLessThan(del.indexOf('delete -f in-cluster/30-services.yaml'));
    expect(del).toContain('gcloud compute network-endpoint-groups delete td-gke-default-helloworld --zone us-central1-f');
    expect(guide).toContain('the node service account `123456789012-compute@developer.gserviceaccount.com` (the Compute Engine default) gets `roles/compute.networkViewer`');
  });

  test('snapshot (paired with the assertions above)', () => {
    const out = renderCluster(specOf(TD));
    expect(Object.fromEntries(out.map((f) => [f.path, f.content]))).toMatchSnapshot();
  });
});
