import { EgressGateway } from '../../../src/constructs/mesh/egress-gateway';
import { container, find, gkeValues, onpremValues, render } from '../../helpers/mesh-values';

const renderEgress = (values = gkeValues({ egressGateway: true })) => render((c) => new EgressGateway(c, 'egress', { values }));

describe('EgressGateway', () => {
  test('renders SA, Deployment, ClusterIP Service and HPA: one pod by default, so no PDB', () => {
    const objs = renderEgress();
    expect(objs.map((o) => `${o.kind} ${o.metadata.name}`)).toEqual([
      'ServiceAccount istio-egressgateway-service-account',
      'Deployment istio-egressgateway',
      'Service istio-egressgateway',
      'HorizontalPodAutoscaler istio-egressgateway',
    ]);
    expect(find(objs, 'HorizontalPodAutoscaler').spec).toMatchObject({ minReplicas: 1, maxReplicas: 5 });
    expect(find(objs, 'Deployment').spec.replicas).toBeUndefined();
  });

  test('Service: ClusterIP 80/443/15443', () => {
    const svc = find(renderEgress(), 'Service');
    expect(svc.spec.type).toBe('ClusterIP');
    expect(svc.spec.ports.map((p: any) => [p.name, p.port, p.protocol])).toEqual([
      ['http2', 80, 'TCP'],
      ['https', 443, 'TCP'],
      ['tls', 15443, 'TCP'],
    ]);
    expect(svc.spec.selector).toEqual({ app: 'istio-egressgateway', istio: 'egressgateway' });
  });

  test('one proxy container, router mode, its own service account', () => {
    const dep = find(renderEgress(), 'Deployment');
    expect(dep.spec.template.spec.containers.map((c: any) => c.name)).toEqual(['istio-proxy']);
    expect(dep.spec.template.spec.serviceAccountName).toBe('istio-egressgateway-service-account');
    const proxy = container(dep, 'istio-proxy');
    expect(proxy.args).toEqual(expect.arrayContaining(['proxy', 'router', '--serviceCluster', 'istio-egressgateway']));
    expect(proxy.ports.map((p: any) => p.containerPort)).toEqual([80, 443, 15443, 15090]);
  });

  test('jaeger tracing: the proxy sends spans to the configured collector', () => {
    const proxy = container(
      find(renderEgress(gkeValues({ telemetry: { metrics: 'stackdriver', accessLog: 'off', tracing: 'jaeger', jaegerAddress: 'jaeger.obs:9411' } })), 'Deployment'),
      'istio-proxy',
    );
    expect(proxy.args.join(' ')).toContain('--zipkinAddress jaeger.obs:9411');
  });

  test('on-prem mounts Citadel secrets instead of SDS', () => {
    const dep = find(renderEgress(onpremValues({ egressGateway: true })), 'Deployment');
    expect(dep.spec.template.spec.volumes).toContainEqual({
      name: 'istio-certs',
      secret: { secretName: 'istio.istio-egressgateway-service-account', optional: true },
    });
    expect(dep.spec.template.spec.volumes.map((v: any) => v.name)).not.toContain('sdsudspath');
  });

  test('snapshot', () => {
    expect(renderEgress()).toMatchSnapshot();
  });
});
