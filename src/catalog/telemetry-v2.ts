/**
 * Telemetry v2 of Istio 1.4 (in-proxy, no Mixer) as data: the EnvoyFilters the 1.4.6
 * installer renders (`istio-discovery/templates/telemetryv2_1.4.yaml`, SPEC §12) and the
 * names every one of them uses. Envoy 1.4 runs these extensions compiled in ("null VM"),
 * which is the only form ASM 1.4 supports (no WebAssembly sandbox).
 *
 * `asmpkg lint` refuses custom EnvoyFilters (ASM 1.4 does not support them); these are
 * the mesh's own filters, not custom ones, and {@link isTelemetryV2Filter} is how lint
 * tells them apart.
 */
import { ISTIO_NAMESPACE } from './components';

/** Proxy versions the filters apply to (`match.proxy.proxyVersion`): Envoy of Istio 1.4 only. */
export const TELEMETRY_V2_PROXY_VERSION = '1\\.4.*';

/** The HTTP filter that hosts an extension (null VM or WebAssembly). */
export const WASM_HTTP_FILTER = 'envoy.filters.http.wasm';
/** The extension runtime: extensions compiled into Envoy. */
export const NULL_VM_RUNTIME = 'envoy.wasm.runtime.null';
/** Filters the patches are placed relative to. */
export const HTTP_CONNECTION_MANAGER = 'envoy.http_connection_manager';
export const ROUTER_FILTER = 'envoy.router';

/** EnvoyFilter `configPatches[].match.context` values used. */
export type PatchContext = 'ANY' | 'SIDECAR_INBOUND' | 'SIDECAR_OUTBOUND' | 'GATEWAY';

/** One HTTP filter patch of a telemetry EnvoyFilter. */
export interface TelemetryPatchSpec {
  readonly context: PatchContext;
  /** Plugin root id (`root_id`); absent for metadata exchange. */
  readonly rootId?: string;
  /** `vm_config.vm_id`; absent for metadata exchange (one VM for all). */
  readonly vmId?: string;
  /** Inserted before the router (stats, Stackdriver) or anywhere in the connection manager (metadata exchange). */
  readonly beforeRouter: boolean;
  /** Gateways need the host header not to stand in for a destination service (Stackdriver). */
  readonly gateway?: boolean;
}

export type TelemetryFilterId = 'metadataExchange' | 'stats' | 'stackdriver';

export interface TelemetryFilterSpec {
  readonly id: TelemetryFilterId;
  /** EnvoyFilter name, as the 1.4.6 installer names it. */
  readonly name: string;
  /** The null-VM extension (`vm_config.code.inline_string`). */
  readonly extension: string;
  readonly patches: readonly TelemetryPatchSpec[];
}

/** Inbound and outbound sidecars and gateways, each with its own root (the installer's layout). */
function perDirection(prefix: string): TelemetryPatchSpec[] {
  return [
    { context: 'SIDECAR_OUTBOUND', rootId: `${prefix}_outbound`, vmId: `${prefix}_outbound`, beforeRouter: true },
    { context: 'SIDECAR_INBOUND', rootId: `${prefix}_inbound`, vmId: `${prefix}_inbound`, beforeRouter: true },
    { context: 'GATEWAY', rootId: `${prefix}_outbound`, vmId: `${prefix}_outbound`, beforeRouter: true, gateway: true },
  ];
}

/**
 * The three filters. Metadata exchange lets each side learn the peer's workload
 * labels (needed by both reporters); the stats filter makes `istio_requests_total`
 * and friends on 15090 (`/stats/prometheus`); the Stackdriver filter reports metrics
 * (and server access logs, when enabled) to Stackdriver from the proxy.
 */
export const TELEMETRY_V2_FILTERS: Readonly<Record<TelemetryFilterId, TelemetryFilterSpec>> = {
  metadataExchange: {
    id: 'metadataExchange',
    name: 'metadata-exchange-1.4',
    extension: 'envoy.wasm.metadata_exchange',
    patches: [{ context: 'ANY', beforeRouter: false }],
  },
  stats: { id: 'stats', name: 'stats-filter-1.4', extension: 'envoy.wasm.stats', patches: perDirection('stats') },
  stackdriver: { id: 'stackdriver', name: 'stackdriver-filter-1.4', extension: 'envoy.wasm.null.stackdriver', patches: perDirection('stackdriver') },
};

/** Prefix of the Prometheus metric names the stats filter makes (`istio_requests_total`). */
export const STATS_PREFIX = 'istio';
/** How often the Stackdriver filter reports the mesh's edges (topology), as the installer sets it. */
export const MESH_EDGES_REPORTING_DURATION = '600s';

/**
 * Labels on every telemetry filter asmpkg renders: Istio 1.4's `release: istio` and, as
 * its components carry `istio: <component>`, `istio: telemetry-v2`, so people and
 * `asmpkg lint` can tell the mesh's own filters from custom ones.
 */
export const TELEMETRY_V2_LABELS: Readonly<Record<string, string>> = { istio: 'telemetry-v2', release: 'istio' };

/** The namespace the filters live in: the mesh's root namespace, so they apply to every proxy. */
export const TELEMETRY_V2_NAMESPACE = ISTIO_NAMESPACE;

type Json = Record<string, unknown>;
const isMap = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Whether an object is one of the mesh's own telemetry v2 filters: an EnvoyFilter in the
 * root namespace with a telemetry filter's name and the marker labels, whose every patch
 * inserts that filter's null-VM extension into the HTTP connection manager of Istio 1.4
 * proxies. A custom filter under the same name does not pass.
 */
export function isTelemetryV2Filter(obj: Readonly<Record<string, unknown>>): boolean {
  if (obj.kind !== 'EnvoyFilter' || typeof obj.apiVersion !== 'string' || !obj.apiVersion.startsWith('networking.istio.io/')) return false;
  const meta = isMap(obj.metadata) ? obj.metadata : {};
  const spec = Object.values(TELEMETRY_V2_FILTERS).find((f) => f.name === meta.name);
  if (!spec || meta.namespace !== TELEMETRY_V2_NAMESPACE) return false;
  const labels = isMap(meta.labels) ? meta.labels : {};
  if (!Object.entries(TELEMETRY_V2_LABELS).every(([k, v]) => labels[k] === v)) return false;
  const body = isMap(obj.spec) ? obj.spec : {};
  if (Object.keys(body).some((k) => k !== 'configPatches')) return false;
  const patches = Array.isArray(body.configPatches) ? body.configPatches : [];
  return patches.length > 0 && patches.every((p) => isOwnPatch(p, spec));
}

function isOwnPatch(p: unknown, spec: TelemetryFilterSpec): boolean {
  if (!isMap(p) || p.applyTo !== 'HTTP_FILTER' || !isMap(p.match) || !isMap(p.patch)) return false;
  const proxy = isMap(p.match.proxy) ? p.match.proxy : {};
  const listener = isMap(p.match.listener) ? p.match.listener : {};
  const chain = isMap(listener.filterChain) ? listener.filterChain : {};
  const filter = isMap(chain.filter) ? chain.filter : {};
  if (proxy.proxyVersion !== TELEMETRY_V2_PROXY_VERSION || filter.name !== HTTP_CONNECTION_MANAGER) return false;
  if (p.patch.operation !== 'INSERT_BEFORE' || !isMap(p.patch.value) || p.patch.value.name !== WASM_HTTP_FILTER) return false;
  const outer = isMap(p.patch.value.config) ? p.patch.value.config : {};
  const inner = isMap(outer.config) ? outer.config : {};
  const vm = isMap(inner.vm_config) ? inner.vm_config : {};
  const code = isMap(vm.code) ? vm.code : {};
  return vm.runtime === NULL_VM_RUNTIME && code.inline_string === spec.extension;
}
