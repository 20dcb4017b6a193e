import { parse } from 'yaml';
import { parseGcpMetadata, Promsd, promsdConfig } from '../../../src/constructs/mesh/promsd';
import { container, find, gkeValues, onpremValues, render, EXPECTED_NON_ROOT } from '../../helpers/mesh-values';

const renderPromsd = (values = gkeValues()) => render((c) => new Promsd(c, 'promsd', { values }));

describe('Promsd', () => {
  test('renders SA, ConfigMap, Deployment, Service and ClusterRole+binding', () => {
    expect(renderPromsd().map((o) => `${o.kind} ${o.metadata.name}`)).toEqual([
      'ServiceAccount promsd',
      'ConfigMap promsd',
      'Deployment promsd',
      'Service promsd',
      'ClusterRole promsd-istio-system',
      'ClusterRoleBinding promsd-istio-system',
    ]);
  });

  test('GKE with Stackdriver metrics: Prometheus + stackdriver-prometheus-sidecar', () => {
    const dep = find(renderPromsd(), 'Deployment');
    expect(dep.spec.template.spec.containers.map((c: any) => [c.name, c.image])).toEqual([
      ['prometheus', 'docker.io/prom/prometheus:v2.12.0'],
      ['stackdriver-prometheus-sidecar', 'gcr.io/stackdriver-prometheus/stackdriver-prometheus-sidecar:0.7.0'],
    ]);
    const sidecar = container(dep, 'stackdriver-prometheus-sidecar');
    expect(sidecar.args).toEqual([
      '--stackdriver.project-id=my-project',
      '--stackdriver.kubernetes.location=us-central1-c',
      '--stackdriver.kubernetes.cluster-name=asm-cluster',
      '--prometheus.wal-directory=/data/wal',
      '--prometheus.api-address=http://127.0.0.1:9090/',
    ]);
    // the sidecar tails Prometheus' WAL in the shared data volume
    expect(container(dep, 'prometheus').args).toContain('--storage.tsdb.path=/data');
  });

  test('on-prem and Prometheus metrics: no Stackdriver anywhere', () => {
    for (const values of [onpremValues(), onpremValues({ telemetry: { metrics: 'stackdriver', accessLog: 'stdout', tracing: 'off' } }), gkeValues({ telemetry: { metrics: 'prometheus', accessLog: 'off', tracing: 'off' } })]) {
      const objs = renderPromsd(values);
      expect(find(objs, 'Deployment').spec.template.spec.containers.map((c: any) => c.name)).toEqual(['prometheus']);
      expect(JSON.stringify(objs)).not.toMatch(/stackdriver/i);
    }
  });

  test('scrapes pilot monitoring and proxies on 15090 /stats/prometheus', () => {
    const config = parse(find(renderPromsd(), 'ConfigMap').data['prometheus.yml']);
    expect(config.scrape_configs.map((j: any) => j.job_name)).toEqual(['pilot', 'envoy-stats']);
    expect(config.scrape_configs[0].relabel_configs[0].regex).toBe('istio-pilot;http-monitoring');
    const envoy = config.scrape_configs[1];
    expect(envoy.metrics_path).toBe('/stats/prometheus');
    expect(envoy.relabel_configs[1].replacement).toBe('$1:15090');
  });

  test('Service promsd 9090/TCP selects the pods; config volume is the ConfigMap', () => {
    const objs = renderPromsd();
    const svc = find(objs, 'Service');
    expect(svc.spec.ports.map((p: any) => `${p.port}/${p.protocol}->${p.targetPort}`)).toEqual(['9090/TCP->9090']);
    const dep = find(objs, 'Deployment');
    for (const [k, v] of Object.entries(svc.spec.selector)) expect(dep.spec.template.metadata.labels[k]).toBe(v);
    expect(dep.spec.template.spec.volumes).toContainEqual({ name: 'config-volume', configMap: { name: 'promsd' } });
  });

  test('RBAC for the discovery roles it uses (endpoints, pod): no nodes', () => {
    expect(find(renderPromsd(), 'ClusterRole').rules).toEqual([
      { apiGroups: [''], resources: ['services', 'endpoints', 'pods'], verbs: ['get', 'list', 'watch'] },
    ]);
    const roles = parse(promsdConfig()).scrape_configs.flatMap((j: any) => j.kubernetes_sd_configs.map((sd: any) => sd.role));
    expect([...new Set(roles)].sort()).toEqual(['endpoints', 'pod']);
  });

  test('one replica, no PDB; hardened non-root with a read-only root (TSDB in the emptyDir); requests and limits', () => {
    const objs = renderPromsd();
    expect(objs.map((o) => o.kind)).not.toContain('PodDisruptionBudget');
    const dep = find(objs, 'Deployment');
    expect(dep.spec.replicas).toBe(1);
    expect(dep.spec.template.spec.volumes).toContainEqual({ name: 'data', emptyDir: {} });
    for (const c of dep.spec.template.spec.containers) {
      expect(c.securityContext).toEqual(EXPECTED_NON_ROOT);
      expect(c.resources.requests).toBeDefined();
      expect(c.resources.limits).toBeDefined();
    }
    expect(container(dep, 'prometheus').volumeMounts).toContainEqual({ name: 'data', mountPath: '/data' });
  });

  test('GCP_METADATA must have four parts', () => {
    expect(parseGcpMetadata('p|1|c|l')).toEqual({ projectId: 'p', projectNumber: '1', cluster: 'c', location: 'l' });
    expect(() => parseGcpMetadata('p|1|c')).toThrow(/PROJECT_ID\|PROJECT_NUMBER/);
    expect(() => renderPromsd(gkeValues({ gcpMetadata: undefined }))).toThrow(/gcpMetadata/);
  });

  test('snapshot (gke)', () => {
    expect(renderPromsd()).toMatchSnapshot();
  });

  test('snapshot (onprem)', () => {
    expect(renderPromsd(onpremValues())).toMatchSnapshot();
  });
});
