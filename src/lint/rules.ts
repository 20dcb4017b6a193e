import { parse as parseYaml } from 'yaml';
import { ISTIO_CRDS } from '../catalog/crds';
import { JAEGER_BACKEND, ZIPKIN_BACKEND_ANNOTATION } from '../catalog/proxy';
import { INTERCEPTION_MODES, SIDECAR_ANNOTATIONS } from '../catalog/sidecar-annotations';
import { isTelemetryV2Filter } from '../catalog/telemetry-v2';
import type { LintHit, LintResource, LintRule } from './model';

/**
 * Checks of user manifests, one per support matrix feature they detect. Rules only find
 * usages; whether a usage is a finding on the chosen profile, and why, comes from the
 * matrix (`engine.ts`). Istio 1.4 reads both camelCase and the proto's snake_case field
 * names, so every rule looks for both.
 */

type Json = Record<string, unknown>;
type Path = (string | number)[];

const isMap = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const snake = (name: string) => name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/** A field by its YAML name or its proto name: the key actually used, and the value. */
function field(obj: unknown, name: string): { key: string; value: unknown } | undefined {
  if (!isMap(obj)) return undefined;
  for (const key of [name, snake(name)]) if (key in obj && obj[key] !== undefined && obj[key] !== null) return { key, value: obj[key] };
  return undefined;
}

/** Walks camelCase names (each also tried in snake_case); returns the value and the path of keys used. */
function dig(obj: unknown, names: readonly string[], at: Path = []): { value: unknown; path: Path } | undefined {
  let cur = obj;
  const path = [...at];
  for (const name of names) {
    const f = field(cur, name);
    if (!f) return undefined;
    path.push(f.key);
    cur = f.value;
  }
  return { value: cur, path };
}

const isIstio = (r: LintResource, group: string) => r.group === group;
const spec = (r: LintResource) => (isMap(r.body.spec) ? r.body.spec : {});

// --- networking.istio.io ---

const envoyFilter: LintRule = {
  feature: 'traffic.envoy-filter',
  severity: 'error',
  fix: 'remove the EnvoyFilter; express the behaviour with VirtualService/DestinationRule routing rules',
  // The mesh's own telemetry v2 filters (what ASM 1.4 installs) are not custom filters.
  check: (r) =>
    isIstio(r, 'networking.istio.io') && r.kind === 'EnvoyFilter' && !isTelemetryV2Filter(r.body) ? [{ path: ['kind'], message: 'custom Envoy filter' }] : [],
};

/** The version of a resource's apiVersion (`v1beta1` of `networking.istio.io/v1beta1`). */
const versionOf = (r: LintResource) => (r.apiVersion.includes('/') ? r.apiVersion.slice(r.apiVersion.indexOf('/') + 1) : r.apiVersion);

/** The Istio 1.4 CRD (catalog) of a resource's group and kind, if ASM 1.4 installs one. */
const istioCrd = (r: LintResource) => ISTIO_CRDS.find((c) => c.group === r.group && c.kind === r.kind);

/** A networking.istio.io kind ASM installs, at a version its CRD does not serve (v1beta1, v1). */
const networkingVersion: LintRule = {
  feature: 'traffic.networking-api-versions',
  severity: 'error',
  fix: 'use apiVersion networking.istio.io/v1alpha3 (the fields of the kinds ASM 1.4 has are the same)',
  check: (r) => {
    const crd = isIstio(r, 'networking.istio.io') ? istioCrd(r) : undefined;
    return crd && !crd.versions.includes(versionOf(r)) ? [{ path: ['apiVersion'], message: `${r.kind} at ${r.apiVersion} (served: ${crd.versions.map((v) => `${r.group}/${v}`).join(', ')})` }] : [];
  },
};

/** A networking.istio.io kind ASM 1.4 installs no CRD for. */
const unservedNetworkingKind: LintRule = {
  feature: 'traffic.workload-entry',
  severity: 'error',
  fix: 'describe VM and other non-Kubernetes workloads with a ServiceEntry (endpoints) instead',
  check: (r) => (isIstio(r, 'networking.istio.io') && !istioCrd(r) ? [{ path: ['kind'], message: `${r.kind} (networking.istio.io)` }] : []),
};

const peerAuthentication: LintRule = {
  feature: 'security.peer-authentication',
  severity: 'error',
  fix: 'rewrite as the mesh-wide MeshPolicy or a namespace Policy named default (authentication.istio.io/v1alpha1, peers: [{mtls: {}}])',
  check: (r) => (isIstio(r, 'security.istio.io') && r.kind === 'PeerAuthentication' ? [{ path: ['kind'], message: 'PeerAuthentication (security.istio.io)' }] : []),
};

const requestAuthentication: LintRule = {
  feature: 'security.request-authentication',
  severity: 'error',
  fix: 'rewrite as a namespace Policy named default with origins, originIsOptional: true and principalBinding: USE_ORIGIN, and enforce with an AuthorizationPolicy',
  check: (r) => (isIstio(r, 'security.istio.io') && r.kind === 'RequestAuthentication' ? [{ path: ['kind'], message: 'RequestAuthentication (security.istio.io)' }] : []),
};

/** API groups of the Kubernetes workload kinds (core, apps, batch; extensions before 1.16). */
const WORKLOAD_GROUPS = ['', 'apps', 'extensions', 'batch'];

/** Where a workload kind keeps the metadata of its pods: the pod itself, or its template. */
const POD_METADATA: readonly { kinds: readonly string[]; path: readonly string[] }[] = [
  { kinds: ['Pod'], path: ['metadata'] },
  { kinds: ['PodTemplate'], path: ['template', 'metadata'] },
  { kinds: ['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'ReplicationController', 'Job'], path: ['spec', 'template', 'metadata'] },
  { kinds: ['CronJob'], path: ['spec', 'jobTemplate', 'spec', 'template', 'metadata'] },
];

/** The pod annotations of a workload (a Pod, or a controller's pod template), with their path. */
function podAnnotations(r: LintResource): { annotations: Json; path: Path } | undefined {
  const where = WORKLOAD_GROUPS.includes(r.group) ? POD_METADATA.find((w) => w.kinds.includes(r.kind)) : undefined;
  if (!where) return undefined;
  const path: Path = [...where.path];
  let cur: unknown = r.body;
  for (const key of path) cur = isMap(cur) ? cur[key] : undefined;
  const annotations = isMap(cur) ? cur.annotations : undefined;
  return isMap(annotations) ? { annotations, path: [...path, 'annotations'] } : undefined;
}

/** A pod asking the injector for an interception mode ASM does not support. */
const interceptionMode: LintRule = {
  feature: 'traffic.interception-modes',
  severity: 'error',
  fix: `remove the ${SIDECAR_ANNOTATIONS.interceptionMode} annotation (or set it to ${INTERCEPTION_MODES.redirect})`,
  check: (r) => {
    const found = podAnnotations(r);
    const mode = found?.annotations[SIDECAR_ANNOTATIONS.interceptionMode];
    if (!found || typeof mode !== 'string' || mode === INTERCEPTION_MODES.redirect) return [];
    return [{ path: [...found.path, SIDECAR_ANNOTATIONS.interceptionMode], message: `interception mode ${mode}` }];
  },
};

/** Every `trafficPolicy` of a DestinationRule with its path: top level, per port, per subset. */
function trafficPolicies(r: LintResource): { policy: unknown; path: Path }[] {
  const out: { policy: unknown; path: Path }[] = [];
  const addWithPorts = (policy: unknown, path: Path) => {
    out.push({ policy, path });
    const ports = field(policy, 'portLevelSettings');
    list(ports?.value).forEach((p, i) => out.push({ policy: p, path: [...path, ports!.key, i] }));
  };
  const top = field(spec(r), 'trafficPolicy');
  if (top) addWithPorts(top.value, ['spec', top.key]);
  list(spec(r).subsets).forEach((subset, i) => {
    const tp = field(subset, 'trafficPolicy');
    if (tp) addWithPorts(tp.value, ['spec', 'subsets', i, tp.key]);
  });
  return out;
}

function loadBalancerRule(feature: string, setting: string, what: string): LintRule {
  return {
    feature,
    severity: 'error',
    fix: 'use loadBalancer.simple: ROUND_ROBIN, LEAST_CONN, RANDOM or PASSTHROUGH',
    check: (r) => {
      if (!isIstio(r, 'networking.istio.io') || r.kind !== 'DestinationRule') return [];
      return trafficPolicies(r).flatMap(({ policy, path }) => {
        const found = dig(policy, ['loadBalancer', setting], path);
        return found ? [{ path: found.path, message: `${what} load balancing` }] : [];
      });
    },
  };
}

/**
 * Istio port protocols (and Service port name prefixes) ASM only carries as TCP.
 *
 * The matrix marks `traffic.tcp` (TCP byte streams) `default` on every profile, and
 * says of each of these protocols that ASM 1.4 has no L7 support for it. So a rule
 * reports a port that declares the L7 protocol (`name: kafka`, `name: redis-main`,
 * `protocol: MONGO`, `appProtocol: redis`), and never a port declared as TCP:
 * `tcp-kafka`, `tcp-redis` and `tcp-mongo` name the protocol `tcp` (Istio 1.4 reads
 * the name up to the first `-`), which is what the fix asks for.
 */
const TCP_ONLY_PROTOCOLS: readonly { protocol: string; feature: string; title: string; also?: string }[] = [
  { protocol: 'mongo', feature: 'traffic.mongo-l7', title: 'MongoDB' },
  { protocol: 'redis', feature: 'traffic.redis-l7', title: 'Redis' },
  // The matrix warns that Kafka's broker redirects break even over TCP, so the fix says what TCP needs.
  { protocol: 'kafka', feature: 'traffic.kafka-l7', title: 'Kafka', also: '; clients follow the brokers\' advertised addresses, so each broker must be reachable by them (a headless Service)' },
];

/** Ports that declare a protocol, with the path of the declaring field. */
function declaredPorts(r: LintResource): { declared: string; path: Path; how: string }[] {
  const out: { declared: string; path: Path; how: string }[] = [];
  const istioPort = (port: unknown, path: Path) => {
    if (isMap(port) && typeof port.protocol === 'string') out.push({ declared: port.protocol.toLowerCase(), path: [...path, 'protocol'], how: `port protocol ${port.protocol}` });
  };
  if (r.group === '' && r.kind === 'Service') {
    // Istio 1.4 selects the protocol from the port name, `<protocol>[-<suffix>]`.
    list(spec(r).ports).forEach((port, i) => {
      if (!isMap(port)) return;
      if (typeof port.name === 'string') out.push({ declared: port.name.toLowerCase().split('-')[0], path: ['spec', 'ports', i, 'name'], how: `port name ${port.name}` });
      if (typeof port.appProtocol === 'string') out.push({ declared: port.appProtocol.toLowerCase(), path: ['spec', 'ports', i, 'appProtocol'], how: `appProtocol ${port.appProtocol}` });
    });
  } else if (isIstio(r, 'networking.istio.io')) {
    if (r.kind === 'ServiceEntry') list(spec(r).ports).forEach((p, i) => istioPort(p, ['spec', 'ports', i]));
    if (r.kind === 'Gateway') list(spec(r).servers).forEach((s, i) => isMap(s) && istioPort(s.port, ['spec', 'servers', i, 'port']));
    if (r.kind === 'Sidecar') {
      for (const dir of ['ingress', 'egress']) list(spec(r)[dir]).forEach((l, i) => isMap(l) && istioPort(l.port, ['spec', dir, i, 'port']));
    }
  }
  return out;
}

const tcpOnlyRules: LintRule[] = TCP_ONLY_PROTOCOLS.map(({ protocol, feature, title, also }) => ({
  feature,
  severity: 'warning',
  fix: `name the port tcp-${protocol} (or protocol TCP) and treat ${title} as a TCP byte stream${also ?? ''}`,
  check: (r) => declaredPorts(r).filter((p) => p.declared === protocol).map((p) => ({ path: p.path, message: `${title} L7 (${p.how})` })),
}));

const websocket: LintRule = {
  feature: 'traffic.websocket-l7',
  severity: 'warning',
  fix: 'remove websocketUpgrade; WebSocket traffic may still pass as HTTP upgrade or TCP',
  check: (r) => {
    if (!isIstio(r, 'networking.istio.io') || r.kind !== 'VirtualService') return [];
    return list(spec(r).http).flatMap((route, i) => {
      const ws = field(route, 'websocketUpgrade');
      return ws?.value === true ? [{ path: ['spec', 'http', i, ws.key], message: 'WebSocket L7 routing (websocketUpgrade: true)' }] : [];
    });
  },
};

/** Service `appProtocol` values that ask for WebSocket (Kubernetes' own names included). */
const WEBSOCKET_APP_PROTOCOLS = ['websocket', 'ws', 'wss', 'kubernetes.io/ws', 'kubernetes.io/wss'];

/**
 * A Service port with `appProtocol: websocket`. Istio 1.4 ignores `appProtocol` (it
 * reads port names), but the port asks for WebSocket L7 handling, which ASM 1.4 does
 * not have: reported as the WebSocket warning, as L7 port names are.
 */
const websocketAppProtocol: LintRule = {
  feature: 'traffic.websocket-l7',
  severity: 'warning',
  fix: 'drop appProtocol (Istio 1.4 ignores it) and name the port http-… or tcp-…; WebSocket may still pass as HTTP upgrade or TCP',
  check: (r) =>
    declaredPorts(r)
      .filter((p) => p.path[p.path.length - 1] === 'appProtocol' && WEBSOCKET_APP_PROTOCOLS.includes(p.declared))
      .map((p) => ({ path: p.path, message: `WebSocket L7 (${p.how})` })),
};

/** An IPv6 address or CIDR (a colon, and not a `unix://` socket path). */
const isIpv6 = (v: unknown) => typeof v === 'string' && v.includes(':') && !v.startsWith('unix://');

const ipv6: LintRule = {
  feature: 'traffic.ipv6',
  severity: 'error',
  fix: 'use IPv4 addresses',
  check: (r) => {
    if (!isIstio(r, 'networking.istio.io') || r.kind !== 'ServiceEntry') return [];
    const hits: LintHit[] = [];
    list(spec(r).addresses).forEach((a, i) => isIpv6(a) && hits.push({ path: ['spec', 'addresses', i], message: `IPv6 address ${String(a)}` }));
    list(spec(r).endpoints).forEach((e, i) => {
      if (isMap(e) && isIpv6(e.address)) hits.push({ path: ['spec', 'endpoints', i, 'address'], message: `IPv6 endpoint ${String(e.address)}` });
    });
    return hits;
  },
};

// --- authentication.istio.io / rbac.istio.io ---

const isAuthnPolicy = (r: LintResource) => isIstio(r, 'authentication.istio.io') && (r.kind === 'Policy' || r.kind === 'MeshPolicy');

const servicePolicy: LintRule = {
  feature: 'security.service-policy',
  severity: 'error',
  fix: 'drop targets: write a namespace-wide Policy named default (or the mesh-wide MeshPolicy)',
  check: (r) => (isAuthnPolicy(r) && list(spec(r).targets).length > 0 ? [{ path: ['spec', 'targets'], message: `${r.kind} with targets (service-level policy)` }] : []),
};

const jwtEnforced: LintRule = {
  feature: 'security.jwt-enforced',
  severity: 'error',
  fix: 'set originIsOptional: true and principalBinding: USE_ORIGIN, and enforce the JWT with an AuthorizationPolicy',
  check: (r) => {
    if (!isAuthnPolicy(r) || list(spec(r).origins).length === 0) return [];
    const optional = field(spec(r), 'originIsOptional');
    const binding = field(spec(r), 'principalBinding');
    if (optional?.value === true && binding?.value === 'USE_ORIGIN') return [];
    const got = `originIsOptional: ${optional ? String(optional.value) : 'unset'}, principalBinding: ${binding ? String(binding.value) : 'unset (USE_PEER)'}`;
    return [{ path: ['spec', 'origins'], message: `JWT origins with ${got}` }];
  },
};

const rbacV1alpha1: LintRule = {
  feature: 'security.rbac-v1alpha1',
  severity: 'error',
  fix: 'rewrite as AuthorizationPolicy (security.istio.io/v1beta1)',
  check: (r) => (isIstio(r, 'rbac.istio.io') ? [{ path: ['kind'], message: `${r.kind} (rbac.istio.io)` }] : []),
};

// --- config.istio.io (Mixer) ---

const mixerAdapters: LintRule = {
  feature: 'observability.mixer-adapters',
  severity: 'error',
  fix: 'remove the Mixer adapter/handler; ASM 1.4 sends telemetry to Stackdriver or Prometheus',
  check: (r) => (isIstio(r, 'config.istio.io') && ['adapter', 'handler'].includes(r.kind.toLowerCase()) ? [{ path: ['kind'], message: `Mixer ${r.kind}` }] : []),
};

// --- install.istio.io (the IstioControlPlane / IstioOperator overlay users edit) ---

const isInstallOverlay = (r: LintResource) => isIstio(r, 'install.istio.io') && (r.kind === 'IstioControlPlane' || r.kind === 'IstioOperator');

/** A rule on a path of the overlay's `spec` that is "on" when the predicate holds. */
function overlayRule(feature: string, fix: string, paths: readonly (readonly string[])[], on: (v: unknown) => boolean, what: string): LintRule {
  return {
    feature,
    severity: 'error',
    fix,
    check: (r) => {
      if (!isInstallOverlay(r)) return [];
      return paths.flatMap((names) => {
        const found = dig(spec(r), names, ['spec']);
        return found && on(found.value) ? [{ path: found.path, message: what }] : [];
      });
    },
  };
}

const isTrue = (v: unknown) => v === true;

const overlayRules: LintRule[] = [
  overlayRule('traffic.istio-cni', 'remove the CNI component; ASM uses the iptables init container', [['cni', 'enabled'], ['components', 'cni', 'enabled'], ['values', 'istio_cni', 'enabled']], isTrue, 'Istio CNI enabled'),
  overlayRule('security.auto-mtls', 'set the MeshPolicy to PERMISSIVE or STRICT instead', [['values', 'global', 'mtls', 'auto']], isTrue, 'auto mTLS enabled (values.global.mtls.auto)'),
  overlayRule('observability.kiali', 'remove the Kiali addon', [['values', 'kiali', 'enabled'], ['addonComponents', 'kiali', 'enabled']], isTrue, 'Kiali addon enabled'),
  overlayRule('observability.zipkin', 'trace to Stackdriver (GKE) or Jaeger', [['values', 'tracing', 'provider']], (v) => v === 'zipkin', 'Zipkin tracing addon'),
  overlayRule('observability.metrics-stackdriver', 'on-prem, send metrics to Prometheus', [['values', 'telemetry', 'v2', 'stackdriver', 'enabled']], isTrue, 'Stackdriver telemetry enabled'),
  overlayRule('observability.tracing-stackdriver', 'on-prem, trace to Jaeger', [['values', 'global', 'proxy', 'tracer']], (v) => v === 'stackdriver', 'Stackdriver tracer'),
];

// --- the mesh config: ConfigMap istio in istio-system, key `mesh` (MeshConfig as YAML text) ---

/** The MeshConfig parsed from the `istio` ConfigMap's `data.mesh`, if this is that ConfigMap and it parses. */
function meshConfigOf(r: LintResource): Json | undefined {
  if (r.group !== '' || r.kind !== 'ConfigMap' || r.name !== 'istio' || r.namespace !== 'istio-system') return undefined;
  const data = r.body.data;
  if (!isMap(data) || typeof data.mesh !== 'string') return undefined;
  try {
    const mesh: unknown = parseYaml(data.mesh, { maxAliasCount: 100 });
    return isMap(mesh) ? mesh : undefined;
  } catch {
    return undefined; // not ours to judge: istio itself refuses a mesh config that does not parse
  }
}

/** Findings inside `data.mesh` point at the `mesh:` key (the text is one YAML string); the field names the path in it. */
const MESH: Path = ['data', 'mesh'];

const meshAutoMtls: LintRule = {
  feature: 'security.auto-mtls',
  severity: 'error',
  fix: 'set enableAutoMtls: false in the mesh config and use a PERMISSIVE or STRICT MeshPolicy',
  check: (r) => {
    const found = dig(meshConfigOf(r), ['enableAutoMtls'], MESH);
    return found?.value === true ? [{ path: found.path, message: 'auto mTLS enabled in the mesh config (enableAutoMtls: true)' }] : [];
  },
};

/**
 * A Zipkin tracer in the mesh config (`defaultConfig.tracing.zipkin`) while tracing is
 * on (`enableTracing` is true unless set false). The proxies send Zipkin-API spans to
 * Jaeger too (supported), and the address alone cannot tell the two apart, so this is
 * a warning whose fix says so, unless the ConfigMap declares the backend a Jaeger
 * collector (`ZIPKIN_BACKEND_ANNOTATION`, which asmpkg writes for `tracing: jaeger`);
 * with `enableTracing: false` nothing is sent and nothing is reported (asmpkg renders
 * that for `tracing: off`).
 */
const meshZipkin: LintRule = {
  feature: 'observability.zipkin',
  severity: 'warning',
  fix: `trace to Stackdriver (GKE) or Jaeger; if the zipkin address is a Jaeger collector, this is supported: annotate the ConfigMap ${ZIPKIN_BACKEND_ANNOTATION}: ${JAEGER_BACKEND}`,
  check: (r) => {
    const mesh = meshConfigOf(r);
    if (!mesh || field(mesh, 'enableTracing')?.value === false) return [];
    // The ConfigMap says the zipkin tracer is a Jaeger collector (asmpkg writes this for tracing: jaeger).
    const annotations = isMap(r.body.metadata) ? r.body.metadata.annotations : undefined;
    if (isMap(annotations) && annotations[ZIPKIN_BACKEND_ANNOTATION] === JAEGER_BACKEND) return [];
    const found = dig(mesh, ['defaultConfig', 'tracing', 'zipkin'], MESH);
    if (!found) return [];
    const address = field(found.value, 'address')?.value;
    return [{ path: found.path, message: `Zipkin tracer in the mesh config${typeof address === 'string' ? ` (address ${address})` : ''}` }];
  },
};

/** Every rule, in the order findings for one resource are reported. */
export const LINT_RULES: readonly LintRule[] = [
  networkingVersion,
  unservedNetworkingKind,
  envoyFilter,
  interceptionMode,
  loadBalancerRule('traffic.consistent-hash-lb', 'consistentHash', 'consistent-hash'),
  loadBalancerRule('traffic.locality-lb', 'localityLbSetting', 'locality-weighted'),
  websocket,
  websocketAppProtocol,
  ...tcpOnlyRules,
  ipv6,
  peerAuthentication,
  requestAuthentication,
  servicePolicy,
  jwtEnforced,
  rbacV1alpha1,
  mixerAdapters,
  ...overlayRules,
  meshAutoMtls,
  meshZipkin,
];
