import { EnvoyFilter } from '@kubernetes-models/istio/networking.istio.io/v1alpha3/EnvoyFilter';
import { isTelemetryV2Filter, TELEMETRY_V2_FILTERS } from '../../../src/catalog/telemetry-v2';
import { ControlPlane } from '../../../src/constructs/mesh/control-plane';
import { TelemetryV2, telemetryV2Plan } from '../../../src/constructs/mesh/telemetry-v2';
import type { MeshValues, TelemetryValues } from '../../../src/constructs/mesh/values';
import { find, gkeValues, onpremValues, render, type K8sObject } from '../../helpers/mesh-values';

const filters = (values: MeshValues) => render((c) => new TelemetryV2(c, 'telemetry', { values }));
const gke = (telemetry: TelemetryValues) => filters(gkeValues({ telemetry }));
const names = (objs: K8sObject[]) => objs.map((o) => o.metadata.name);
/** The parsed `configuration` of each patch, by match context. */
const configurations = (f: K8sObject) =>
  Object.fromEntries(f.spec.configPatches.map((p: any) => [p.match.context, JSON.parse(p.patch.value.config.config.configuration)]));

describe('TelemetryV2 (the installer\'s telemetryv2_1.4.yaml)', () => {
  test('GKE defaults (Stackdriver metrics and access logs): metadata exchange, stats and Stackdriver filters', () => {
    const objs = gke({ metrics: 'stackdriver', accessLog: 'stackdriver', tracing: 'off' });
    expect(names(objs)).toEqual(['metadata-exchange-1.4', 'stats-filter-1.4', 'stackdriver-filter-1.4']);
    for (const o of objs) {
      expect(o.apiVersion).toBe('networking.istio.io/v1alpha3');
      expect(o.metadata.namespace).toBe('istio-system');
      for (const p of o.spec.configPatches) {
        expect(p.match.proxy.proxyVersion).toBe('1\\.4.*');
        expect(p.patch.value.config.config.vm_config.runtime).toBe('envoy.wasm.runtime.null');
      }
    }
    const sd = configurations(find(objs, 'EnvoyFilter', 'stackdriver-filter-1.4'));
    expect(sd.SIDECAR_INBOUND).toEqual({ enable_mesh_edges_reporting: true, disable_server_access_logging: false, meshEdgesReportingDuration: '600s' });
    expect(sd.SIDECAR_OUTBOUND).toEqual(sd.SIDECAR_INBOUND);
    expect(sd.GATEWAY).toEqual({ ...sd.SIDECAR_INBOUND, disable_host_header_fallback: true });
  });

  test('each filter loads its null-VM extension; stats and Stackdriver go before the router in inbound, outbound and gateway proxies', () => {
    const objs = gke({ metrics: 'stackdriver', accessLog: 'stackdriver', tracing: 'off' });
    const mx = find(objs, 'EnvoyFilter', 'metadata-exchange-1.4');
    expect(mx.spec.configPatches).toHaveLength(1);
    expect(mx.spec.configPatches[0].match.context).toBe('ANY');
    expect(mx.spec.configPatches[0].match.listener.filterChain.filter).toEqual({ name: 'envoy.http_connection_manager' });
    expect(mx.spec.configPatches[0].patch.value).toEqual({
      name: 'envoy.filters.http.wasm',
      config: { config: { configuration: 'envoy.wasm.metadata_exchange', vm_config: { runtime: 'envoy.wasm.runtime.null', code: { inline_string: 'envoy.wasm.metadata_exchange' } } } },
    });
    for (const [name, extension, prefix] of [
      ['stats-filter-1.4', 'envoy.wasm.stats', 'stats'],
      ['stackdriver-filter-1.4', 'envoy.wasm.null.stackdriver', 'stackdriver'],
    ]) {
      const patches = find(objs, 'EnvoyFilter', name).spec.configPatches;
      expect(patches.map((p: any) => [p.match.context, p.patch.value.config.config.root_id, p.patch.value.config.config.vm_config.vm_id])).toEqual([
        ['SIDECAR_OUTBOUND', `${prefix}_outbound`, `${prefix}_outbound`],
        ['SIDECAR_INBOUND', `${prefix}_inbound`, `${prefix}_inbound`],
        ['GATEWAY', `${prefix}_outbound`, `${prefix}_outbound`],
      ]);
      for (const p of patches) {
        expect(p.applyTo).toBe('HTTP_FILTER');
        expect(p.patch.operation).toBe('INSERT_BEFORE');
        expect(p.match.listener.filterChain.filter).toEqual({ name: 'envoy.http_connection_manager', subFilter: { name: 'envoy.router' } });
        expect(p.patch.value.config.config.vm_config.code.inline_string).toBe(extension);
      }
    }
    // istio_requests_total: the stats filter's metric prefix, valid JSON in every direction
    for (const c of Object.values(configurations(find(objs, 'EnvoyFilter', 'stats-filter-1.4')))) expect(c).toEqual({ debug: 'false', stat_prefix: 'istio' });
  });

  test('telemetry options map onto the filters', () => {
    // Prometheus metrics, no Stackdriver logs: no Stackdriver filter
    expect(names(gke({ metrics: 'prometheus', accessLog: 'off', tracing: 'off' }))).toEqual(['metadata-exchange-1.4', 'stats-filter-1.4']);
    expect(names(gke({ metrics: 'prometheus', accessLog: 'stdout', tracing: 'stackdriver' }))).toEqual(['metadata-exchange-1.4', 'stats-filter-1.4']);
    // Stackdriver access logs with Prometheus metrics: the Stackdriver filter logs, no topology
    const logsOnly = configurations(find(gke({ metrics: 'prometheus', accessLog: 'stackdriver', tracing: 'off' }), 'EnvoyFilter', 'stackdriver-filter-1.4'));
    expect(logsOnly.SIDECAR_INBOUND).toMatchObject({ disable_server_access_logging: false, enable_mesh_edges_reporting: false });
    // Stackdriver metrics, access logs to stdout (or off): the filter does not log
    for (const accessLog of ['stdout', 'off'] as const) {
      const sd = configurations(find(gke({ metrics: 'stackdriver', accessLog, tracing: 'off' }), 'EnvoyFilter', 'stackdriver-filter-1.4'));
      expect(sd.SIDECAR_OUTBOUND).toMatchObject({ disable_server_access_logging: true, enable_mesh_edges_reporting: true });
    }
  });

  test('on-prem: the Prometheus stats filter only (no Stackdriver there)', () => {
    expect(names(filters(onpremValues()))).toEqual(['metadata-exchange-1.4', 'stats-filter-1.4']);
    expect(telemetryV2Plan(onpremValues({ telemetry: { metrics: 'stackdriver', accessLog: 'stackdriver', tracing: 'off' } })).stackdriver).toBeUndefined();
  });

  test('every filter validates as networking.istio.io/v1alpha3 EnvoyFilter (@kubernetes-models/istio)', () => {
    const all = [...gke({ metrics: 'stackdriver', accessLog: 'stackdriver', tracing: 'off' }), ...filters(onpremValues())];
    for (const o of all) expect(() => new EnvoyFilter(JSON.parse(JSON.stringify(o))).validate()).not.toThrow();
    // the check has teeth
    const broken = JSON.parse(JSON.stringify(all[0]));
    broken.spec.configPatches[0].applyTo = 'NOT_A_TARGET';
    expect(() => new EnvoyFilter(broken).validate()).toThrow();
  });

  test('isTelemetryV2Filter knows the mesh\'s own filters and nothing dressed up as them', () => {
    const objs = gke({ metrics: 'stackdriver', accessLog: 'stackdriver', tracing: 'off' });
    expect(objs.every((o) => isTelemetryV2Filter(o))).toBe(true);
    expect(Object.values(TELEMETRY_V2_FILTERS).map((f) => f.name)).toEqual(names(objs));
    const stats = find(objs, 'EnvoyFilter', 'stats-filter-1.4');
    const variant = (edit: (o: any) => void) => {
      const o = JSON.parse(JSON.stringify(stats));
      edit(o);
      return isTelemetryV2Filter(o);
    };
    expect(variant(() => undefined)).toBe(true);
    expect(variant((o) => (o.metadata.name = 'add-header'))).toBe(false);
    expect(variant((o) => (o.metadata.namespace = 'shop'))).toBe(false);
    expect(variant((o) => delete o.metadata.labels)).toBe(false);
    expect(variant((o) => (o.spec.configPatches[1].patch.value.config.config.vm_config.code.inline_string = 'envoy.wasm.metadata_exchange'))).toBe(false);
    expect(variant((o) => (o.spec.configPatches[0].patch.value.config.config.vm_config.runtime = 'envoy.wasm.runtime.v8'))).toBe(false);
    expect(variant((o) => o.spec.configPatches.push({ applyTo: 'CLUSTER', patch: { operation: 'MERGE', value: {} } }))).toBe(false);
    expect(variant((o) => (o.spec.workloadSelector = { labels: { app: 'shop' } }))).toBe(false);
    expect(variant((o) => (o.spec.configPatches[2].match.proxy.proxyVersion = '.*'))).toBe(false);
  });

  test('the IstioControlPlane CR asks istioctl/anthoscli for the same filters (installer telemetry values)', () => {
    const telemetryOf = (values: MeshValues) => find(render((c) => new ControlPlane(c, 'cp', { values, profile: 'asm' })), 'IstioControlPlane', 'asm').spec.values.telemetry;
    expect(telemetryOf(gkeValues())).toEqual({
      enabled: true,
      v1: { enabled: false },
      v2: { enabled: true, prometheus: { enabled: true }, stackdriver: { enabled: true, logging: true, monitoring: true, topology: true } },
    });
    expect(telemetryOf(gkeValues({ telemetry: { metrics: 'prometheus', accessLog: 'stdout', tracing: 'off' } })).v2.stackdriver).toEqual({
      enabled: false,
      logging: false,
      monitoring: false,
      topology: false,
    });
    expect(telemetryOf(onpremValues())).toEqual({ enabled: true, v1: { enabled: false }, v2: { enabled: true, prometheus: { enabled: true } } });
  });
});
