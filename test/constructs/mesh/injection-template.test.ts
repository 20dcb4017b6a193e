import { parse } from 'yaml';
import { injectionTemplate } from '../../../src/constructs/mesh/injection-template';
import { injectorValues } from '../../../src/constructs/mesh/mesh-config';
import { renderInjectionTemplate, type PodInput } from '../../helpers/go-template';
import { gkeValues, onpremValues } from '../../helpers/mesh-values';

/** The seed's pod (slide 39): app hello-app-v1 in namespace gcpug-istio-day, port 8080. */
const seedPod: PodInput = {
  labels: { app: 'hello-app-v1', version: 'v1' },
  namespace: 'gcpug-istio-day',
  deploymentName: 'deploy-test-app-v1',
  ownerApiVersion: 'apps/v1',
  ownerKind: 'Deployment',
  serviceAccountName: 'default',
  containerPorts: [8080],
};

function injected(values = gkeValues(), pod: PodInput = seedPod): any {
  // the injector reads .Values from the ConfigMap's `values` key, one line of JSON
  return parse(renderInjectionTemplate(injectionTemplate(values), pod, { Values: JSON.parse(JSON.stringify(injectorValues(values))) }));
}

/** Args as the kubelet runs them: `$(POD_NAMESPACE)` expanded. */
function runArgs(doc: any, namespace = 'gcpug-istio-day'): string[] {
  const proxy = doc.containers.find((c: any) => c.name === 'istio-proxy');
  return proxy.args.map((a: string) => a.replace(/\$\(POD_NAMESPACE\)/g, namespace));
}

describe('injection template', () => {
  test('renders the sidecar of the seed (slide 39) exactly, GKE', () => {
    const args = runArgs(injected());
    expect(args.join(' ')).toBe(
      [
        'proxy sidecar',
        '--domain gcpug-istio-day.svc.cluster.local',
        '--configPath /etc/istio/proxy',
        '--binaryPath /usr/local/bin/envoy',
        '--serviceCluster hello-app-v1.gcpug-istio-day',
        '--drainDuration 45s',
        '--parentShutdownDuration 1m0s',
        '--discoveryAddress istio-pilot.istio-system:15011',
        '--zipkinAddress zipkin.istio-system:9411',
        '--proxyLogLevel=warning',
        '--proxyComponentLogLevel=misc:error',
        '--connectTimeout 10s',
        '--proxyAdminPort 15000',
        '--concurrency 2',
        '--controlPlaneAuthPolicy MUTUAL_TLS',
        '--dnsRefreshRate 300s',
        '--statusPort 15020',
        '--applicationPorts 8080',
        '--stsPort=15463',
        '--trust-domain=my-project.svc.id.goog',
      ].join(' '),
    );
  });

  test('SPEC section 5 flags are all present with their values', () => {
    const args = runArgs(injected()).join(' ');
    for (const flag of [
      '--discoveryAddress istio-pilot.istio-system:15011',
      '--controlPlaneAuthPolicy MUTUAL_TLS',
      '--proxyAdminPort 15000',
      '--statusPort 15020',
      '--concurrency 2',
      '--drainDuration 45s',
      '--parentShutdownDuration 1m0s',
      '--connectTimeout 10s',
      '--dnsRefreshRate 300s',
      '--stsPort=15463',
      '--trust-domain=my-project.svc.id.goog',
      '--serviceCluster hello-app-v1.gcpug-istio-day',
      '--zipkinAddress zipkin.istio-system:9411',
    ]) {
      expect(args).toContain(flag);
    }
  });

  test('serviceCluster falls back to the workload name without an app label', () => {
    const args = runArgs(injected(gkeValues(), { ...seedPod, labels: {} }), 'ns');
    expect(args[args.indexOf('--serviceCluster') + 1]).toBe('deploy-test-app-v1.ns');
    const bare = runArgs(injected(gkeValues(), { namespace: 'ns' }), 'ns');
    expect(bare[bare.indexOf('--serviceCluster') + 1]).toBe('istio-proxy.ns');
  });

  test('ports: Envoy Prometheus 15090 and status 15020', () => {
    const proxy = injected().containers[0];
    expect(proxy.name).toBe('istio-proxy');
    expect(proxy.image).toBe('gcr.io/gke-release/asm/proxyv2:1.4.6-asm.0');
    expect(proxy.ports).toEqual([
      { containerPort: 15090, protocol: 'TCP', name: 'http-envoy-prom' },
      { containerPort: 15020, protocol: 'TCP', name: 'http-status' },
    ]);
    expect(proxy.readinessProbe).toEqual({
      httpGet: { path: '/healthz/ready', port: 15020 },
      initialDelaySeconds: 1,
      periodSeconds: 2,
      failureThreshold: 30,
    });
  });

  test('GKE: GCP_METADATA, SDS socket and projected token, no istio-certs', () => {
    const doc = injected();
    const proxy = doc.containers[0];
    const env = Object.fromEntries(proxy.env.filter((e: any) => 'value' in e).map((e: any) => [e.name, e.value]));
    expect(env.GCP_METADATA).toBe('my-project|123456789012|asm-cluster|us-central1-c');
    expect(env.SDS_ENABLED).toBe('true');
    expect(env.ISTIO_META_MESH_ID).toBe('proj-123456789012');
    expect(env.ISTIO_META_WORKLOAD_NAME).toBe('deploy-test-app-v1');
    expect(env.ISTIO_META_OWNER).toBe('kubernetes://apis/apps/v1/namespaces/gcpug-istio-day/deployments/deploy-test-app-v1');
    expect(JSON.parse(env.ISTIO_METAJSON_LABELS)).toEqual({ app: 'hello-app-v1', version: 'v1' });
    expect(proxy.volumeMounts.map((m: any) => m.name)).toEqual(['istio-envoy', 'sds-uds-path', 'istio-token']);
    expect(doc.volumes.find((v: any) => v.name === 'sds-uds-path')).toEqual({ name: 'sds-uds-path', hostPath: { path: '/var/run/sds' } });
    expect(doc.volumes.find((v: any) => v.name === 'istio-token').projected.sources[0].serviceAccountToken).toEqual({
      path: 'istio-token',
      expirationSeconds: 43200,
      audience: 'my-project.svc.id.goog',
    });
  });

  test('on-prem: istio-certs secret of the pod service account, no GCP_METADATA, no SDS', () => {
    const doc = injected(onpremValues(), { ...seedPod, serviceAccountName: 'bookinfo' });
    const proxy = doc.containers[0];
    expect(proxy.env.map((e: any) => e.name)).not.toContain('GCP_METADATA');
    expect(proxy.env.find((e: any) => e.name === 'SDS_ENABLED').value).toBe('false');
    expect(proxy.volumeMounts).toEqual([
      { mountPath: '/etc/istio/proxy', name: 'istio-envoy' },
      { mountPath: '/etc/certs/', name: 'istio-certs', readOnly: true },
    ]);
    expect(doc.volumes.find((v: any) => v.name === 'istio-certs').secret).toEqual({ optional: true, secretName: 'istio.bookinfo' });
    expect(runArgs(doc)).toContain('--trust-domain=cluster.local');
  });

  test('iptables init container istio-init', () => {
    const init = injected().initContainers;
    expect(init).toHaveLength(1);
    expect(init[0].name).toBe('istio-init');
    expect(init[0].command).toEqual(['istio-iptables']);
    expect(init[0].args).toEqual(['-p', '15001', '-z', '15006', '-u', '1337', '-m', 'REDIRECT', '-i', '*', '-x', '', '-b', '*', '-d', '15020']);
    expect(init[0].securityContext.capabilities.add).toEqual(['NET_ADMIN', 'NET_RAW']);
  });

  test('pod annotations override what Istio 1.4 lets them override', () => {
    const doc = injected(gkeValues(), {
      ...seedPod,
      annotations: {
        'traffic.sidecar.istio.io/excludeOutboundIPRanges': '10.0.0.0/8',
        'traffic.sidecar.istio.io/excludeInboundPorts': '9000',
        'sidecar.istio.io/proxyCPU': '50m',
      },
    });
    const args: string[] = doc.initContainers[0].args;
    expect(args[args.indexOf('-x') + 1]).toBe('10.0.0.0/8');
    expect(args[args.indexOf('-d') + 1]).toBe('9000,15020');
    expect(doc.containers[0].resources.requests.cpu).toBe('50m');
    expect(doc.podRedirectAnnot['traffic.sidecar.istio.io/excludeInboundPorts']).toBe('9000,15020');
  });

  test('tracing: Jaeger address replaces the default, Stackdriver drops zipkin', () => {
    const jaeger = runArgs(injected(gkeValues({ telemetry: { metrics: 'stackdriver', accessLog: 'off', tracing: 'jaeger', jaegerAddress: 'jaeger-collector.tracing:9411' } })));
    expect(jaeger[jaeger.indexOf('--zipkinAddress') + 1]).toBe('jaeger-collector.tracing:9411');
    const sd = injected(gkeValues({ telemetry: { metrics: 'stackdriver', accessLog: 'off', tracing: 'stackdriver' } }));
    expect(runArgs(sd)).not.toContain('--zipkinAddress');
    expect(sd.containers[0].env.find((e: any) => e.name === 'STACKDRIVER_TRACING_ENABLED').value).toBe('true');
  });
});
