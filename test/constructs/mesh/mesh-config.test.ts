import { parse } from 'yaml';
import { MeshConfig, meshConfig, SidecarInjectorConfig } from '../../../src/constructs/mesh/mesh-config';
import { injectionTemplate } from '../../../src/constructs/mesh/injection-template';
import { find, gkeValues, onpremValues, render } from '../../helpers/mesh-values';

describe('mesh config (istio ConfigMap)', () => {
  test('GKE: SDS from the node agent, trust domain, defaultConfig matching the sidecar', () => {
    const cm = find(render((c) => new MeshConfig(c, 'm', { values: gkeValues() })), 'ConfigMap', 'istio');
    expect(cm.metadata.namespace).toBe('istio-system');
    const mesh = parse(cm.data.mesh);
    expect(mesh.sdsUdsPath).toBe('unix:/var/run/sds/uds_path');
    expect(mesh.trustDomain).toBe('my-project.svc.id.goog');
    expect(mesh.outboundTrafficPolicy).toEqual({ mode: 'ALLOW_ANY' });
    expect(mesh.accessLogFile).toBe('');
    expect(mesh.defaultConfig).toMatchObject({
      discoveryAddress: 'istio-pilot.istio-system:15011',
      controlPlaneAuthPolicy: 'MUTUAL_TLS',
      proxyAdminPort: 15000,
      concurrency: 2,
      drainDuration: '45s',
      parentShutdownDuration: '1m0s',
      connectTimeout: '10s',
      tracing: { zipkin: { address: 'zipkin.istio-system:9411' } },
    });
    // pilot's own Envoy carries MCP to galley with mTLS (control-plane-envoy)
    expect(mesh.configSources).toEqual([{ address: 'localhost:15019' }]);
    expect(parse(cm.data.meshNetworks)).toEqual({ networks: {} });
  });

  test('configSources: on both platforms pilot reads galley through its own Envoy on localhost:15019 (Istio 1.4 with control-plane security)', () => {
    for (const v of [gkeValues(), onpremValues()]) expect(meshConfig(v).configSources).toEqual([{ address: 'localhost:15019' }]);
  });

  test('on-prem: no SDS; stdout access log; REGISTRY_ONLY', () => {
    const mesh = meshConfig(onpremValues({ outboundTrafficPolicy: 'REGISTRY_ONLY' }));
    expect(mesh.sdsUdsPath).toBe('');
    expect(mesh.accessLogFile).toBe('/dev/stdout');
    expect(mesh.outboundTrafficPolicy).toEqual({ mode: 'REGISTRY_ONLY' });
    expect(mesh.trustDomain).toBe('cluster.local');
  });

  test('tracing: Jaeger -> zipkin API address; Stackdriver tracer', () => {
    const jaeger = meshConfig(gkeValues({ telemetry: { metrics: 'stackdriver', accessLog: 'stackdriver', tracing: 'jaeger', jaegerAddress: 'jaeger.tracing:9411' } }));
    expect(jaeger.enableTracing).toBe(true);
    expect((jaeger.defaultConfig as any).tracing).toEqual({ zipkin: { address: 'jaeger.tracing:9411' } });
    const sd = meshConfig(gkeValues({ telemetry: { metrics: 'stackdriver', accessLog: 'stackdriver', tracing: 'stackdriver' } }));
    expect((sd.defaultConfig as any).tracing).toEqual({ stackdriver: {} });
  });

  test('Jaeger: the ConfigMap declares the zipkin tracer a Jaeger collector; other choices do not', () => {
    const cm = (telemetry: any): any => find(render((c) => new MeshConfig(c, 'm', { values: gkeValues({ telemetry }) })), 'ConfigMap', 'istio');
    expect(cm({ metrics: 'stackdriver', accessLog: 'off', tracing: 'jaeger', jaegerAddress: 'jaeger.tracing:9411' }).metadata.annotations).toEqual({ 'asmpkg.dev/zipkin-backend': 'jaeger' });
    expect(cm({ metrics: 'stackdriver', accessLog: 'off', tracing: 'off' }).metadata.annotations).toBeUndefined();
    expect(cm({ metrics: 'stackdriver', accessLog: 'off', tracing: 'stackdriver' }).metadata.annotations).toBeUndefined();
  });

  test('Jaeger without a collector address is a programming error (the config refuses it)', () => {
    expect(() => meshConfig(gkeValues({ telemetry: { metrics: 'stackdriver', accessLog: 'off', tracing: 'jaeger' } }))).toThrow('without telemetry.jaegerAddress');
  });
});

describe('sidecar injector ConfigMap', () => {
  test('policy enabled and the template', () => {
    const v = gkeValues();
    const cm = find(render((c) => new SidecarInjectorConfig(c, 'i', { values: v })), 'ConfigMap', 'istio-sidecar-injector');
    const config = parse(cm.data.config);
    expect(config.policy).toBe('enabled');
    expect(config.template).toBe(injectionTemplate(v));
    expect(JSON.parse(cm.data.values).global.sds.enabled).toBe(true);
  });
});
