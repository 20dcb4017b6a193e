import { ASM_PROFILES, AsmProfile as Profile } from './profiles';

/**
 * The ASM 1.4 support matrix (SPEC section 7, seed slides 25-38) as data.
 *
 * This is the only place that says what ASM supports. Config refusals
 * (`config/support-rules.ts`), profile defaults, `asmpkg lint`, the cdk8s validation
 * plugin and `docs/support-matrix.md` all read it; none of them restates a status.
 */

export type SupportArea = 'traffic' | 'security' | 'observability';

/**
 * `default`: ASM turns it on at install. `optional`: supported when you choose it.
 * `unsupported`: ASM 1.4 does not support it on that profile.
 */
export type SupportStatus = 'default' | 'optional' | 'unsupported';

/** Config option fields whose values select a feature (see `MatrixFeature.option`). */
export type OptionField =
  | 'mesh.mtls'
  | 'mesh.egressGateway'
  | 'telemetry.metrics'
  | 'telemetry.accessLog'
  | 'telemetry.tracing'
  | 'telemetry.kiali'
  | 'cni';

export interface MatrixFeature {
  /** Stable kebab-case id, `AREA.NAME`; also the lint rule id. */
  readonly id: string;
  readonly area: SupportArea;
  /** One line for humans (docs, lint output). */
  readonly title: string;
  readonly status: Readonly<Record<Profile, SupportStatus>>;
  /**
   * Why it is unsupported (required when any profile says `unsupported`), or a note on
   * what it means where it is supported. Read after "feature ID: ".
   */
  readonly reason: string;
  /** The config value that selects this feature, when a config option does. */
  readonly option?: { readonly field: OptionField; readonly value: string | boolean };
}

const all = (s: SupportStatus): Record<Profile, SupportStatus> => ({ gke: s, 'gke-istioctl': s, onprem: s });
/** GKE profiles share a status; on-prem (no Google Cloud managed components) may differ. */
const gkeOnprem = (gke: SupportStatus, onprem: SupportStatus): Record<Profile, SupportStatus> => ({ gke, 'gke-istioctl': gke, onprem });

const ONPREM_NO_STACKDRIVER = 'Stackdriver metrics, logging and tracing are not available on GKE on-prem; only Prometheus/Grafana are';

export const SUPPORT_MATRIX: readonly MatrixFeature[] = [
  // --- Traffic (slides 25-28) ---
  { id: 'traffic.iptables-interception', area: 'traffic', title: 'Traffic interception with iptables from an init container (CAP_NET_ADMIN)', status: all('default'), reason: 'the only supported interception mechanism' },
  {
    id: 'traffic.interception-modes',
    area: 'traffic',
    title: 'Interception other than iptables REDIRECT (sidecar.istio.io/interceptionMode TPROXY or NONE)',
    status: all('unsupported'),
    reason: 'ASM 1.4 intercepts traffic only with iptables REDIRECT from the istio-init container',
  },
  { id: 'traffic.istio-cni', area: 'traffic', title: 'Istio CNI plugin', status: all('unsupported'), reason: 'ASM 1.4 intercepts traffic only with the iptables init container', option: { field: 'cni', value: true } },
  { id: 'traffic.whitebox-sidecar', area: 'traffic', title: 'Whitebox sidecar (proxy run without injection)', status: all('unsupported'), reason: 'sidecars must be injected by the sidecar injector' },
  { id: 'traffic.ipv4', area: 'traffic', title: 'IPv4', status: all('default'), reason: 'the only supported address family' },
  { id: 'traffic.ipv6', area: 'traffic', title: 'IPv6', status: all('unsupported'), reason: 'ASM 1.4 supports IPv4 only' },
  { id: 'traffic.http', area: 'traffic', title: 'HTTP/1.1 and HTTP/2', status: all('default'), reason: 'L7 routing, metrics and policy' },
  { id: 'traffic.tcp', area: 'traffic', title: 'TCP byte streams', status: all('default'), reason: 'L4 only' },
  { id: 'traffic.grpc', area: 'traffic', title: 'gRPC', status: all('default'), reason: 'L7 routing, metrics and policy' },
  { id: 'traffic.websocket-l7', area: 'traffic', title: 'L7 support for WebSocket', status: all('unsupported'), reason: 'ASM 1.4 has no WebSocket L7 support; it may work as a TCP byte stream' },
  { id: 'traffic.mongo-l7', area: 'traffic', title: 'L7 support for MongoDB', status: all('unsupported'), reason: 'ASM 1.4 has no MongoDB L7 support; it may work as a TCP byte stream' },
  { id: 'traffic.redis-l7', area: 'traffic', title: 'L7 support for Redis', status: all('unsupported'), reason: 'ASM 1.4 has no Redis L7 support; it may work as a TCP byte stream' },
  { id: 'traffic.kafka-l7', area: 'traffic', title: 'L7 support for Kafka', status: all('unsupported'), reason: 'ASM 1.4 has no Kafka L7 support, and Kafka redirects clients in protocol replies, which breaks even as a TCP byte stream' },
  { id: 'traffic.sidecars', area: 'traffic', title: 'Envoy sidecars', status: all('default'), reason: 'injected into namespaces labelled istio-injection: enabled' },
  { id: 'traffic.ingress-gateway', area: 'traffic', title: 'Ingress gateway', status: all('default'), reason: 'istio-ingressgateway, a LoadBalancer Service' },
  { id: 'traffic.egress-sidecar', area: 'traffic', title: 'Egress directly from sidecars', status: all('default'), reason: 'no gateway in the path' },
  { id: 'traffic.egress-gateway', area: 'traffic', title: 'Egress through an egress gateway', status: all('optional'), reason: 'set mesh.egressGateway: true', option: { field: 'mesh.egressGateway', value: true } },
  { id: 'traffic.sidecar-resource', area: 'traffic', title: 'Sidecar resource', status: all('optional'), reason: 'networking.istio.io Sidecar' },
  { id: 'traffic.service-entry', area: 'traffic', title: 'ServiceEntry resource', status: all('optional'), reason: 'networking.istio.io ServiceEntry' },
  {
    id: 'traffic.routing-rules',
    area: 'traffic',
    title: 'Routing rules: percentage split, fault injection, path match, redirect, retries, rewrite, timeout, mirroring, header manipulation, CORS',
    status: all('optional'),
    reason: 'VirtualService and DestinationRule',
  },
  {
    id: 'traffic.networking-api-versions',
    area: 'traffic',
    title: 'networking.istio.io API versions other than v1alpha3 (v1beta1, v1)',
    status: all('unsupported'),
    reason: 'the CRDs ASM 1.4 installs serve networking.istio.io v1alpha3 only; the API server refuses other versions',
  },
  {
    id: 'traffic.workload-entry',
    area: 'traffic',
    title: 'WorkloadEntry and the other networking.istio.io kinds of later Istio releases (WorkloadGroup, ProxyConfig)',
    status: all('unsupported'),
    reason: 'ASM 1.4 installs no CRD for them (they came with Istio 1.6 and later); the API server refuses them',
  },
  { id: 'traffic.envoy-filter', area: 'traffic', title: 'Custom Envoy filters (EnvoyFilter)', status: all('unsupported'), reason: 'ASM 1.4 does not support custom Envoy filters' },
  { id: 'traffic.load-balancing', area: 'traffic', title: 'Load balancing ROUND_ROBIN, LEAST_CONN, RANDOM, PASSTHROUGH', status: all('default'), reason: 'DestinationRule trafficPolicy.loadBalancer.simple; ROUND_ROBIN is the default' },
  { id: 'traffic.consistent-hash-lb', area: 'traffic', title: 'Consistent-hash load balancing', status: all('unsupported'), reason: 'ASM 1.4 supports only ROUND_ROBIN, LEAST_CONN, RANDOM and PASSTHROUGH' },
  { id: 'traffic.locality-lb', area: 'traffic', title: 'Locality-weighted load balancing', status: all('unsupported'), reason: 'ASM 1.4 does not support locality-weighted load balancing' },

  // --- Security (slides 31-34) ---
  { id: 'security.sds-certificates', area: 'security', title: 'Workload certificates through Envoy SDS', status: gkeOnprem('default', 'unsupported'), reason: 'GKE only: the node agent relays Mesh CA certificates; on-prem mounts them from secrets' },
  { id: 'security.secret-mount-certificates', area: 'security', title: 'Workload certificates through a secret volume mount', status: gkeOnprem('unsupported', 'default'), reason: 'GKE on-prem only: Citadel writes them; GKE uses SDS' },
  { id: 'security.mesh-ca', area: 'security', title: 'Mesh CA (meshca.googleapis.com)', status: gkeOnprem('default', 'unsupported'), reason: 'GKE only: there is no Mesh CA on-prem, Citadel signs with the root you plug in (cacerts)' },
  { id: 'security.citadel-plugged-ca', area: 'security', title: 'Citadel with a user-provided CA (cacerts secret)', status: gkeOnprem('unsupported', 'default'), reason: 'GKE on-prem only: on GKE, Mesh CA signs workload certificates' },
  { id: 'security.extra-root-cas', area: 'security', title: 'Additional root CA certificates in the CA bundle', status: all('optional'), reason: 'trust more roots alongside the mesh root' },
  { id: 'security.custom-ca', area: 'security', title: 'Integration with custom (external) CAs', status: all('unsupported'), reason: 'ASM 1.4 does not integrate with external CAs' },
  { id: 'security.mesh-policy', area: 'security', title: 'Mesh-wide authentication policy (MeshPolicy default)', status: all('default'), reason: 'authentication.istio.io/v1alpha1' },
  { id: 'security.namespace-policy', area: 'security', title: 'Namespace-wide authentication policy (Policy default)', status: all('optional'), reason: 'authentication.istio.io/v1alpha1, without targets' },
  { id: 'security.service-policy', area: 'security', title: 'Service-level authentication policy (Policy with targets)', status: all('unsupported'), reason: 'ASM 1.4 supports only mesh-level and namespace-level authentication policy' },
  { id: 'security.mtls-permissive', area: 'security', title: 'PERMISSIVE mutual TLS at mesh level', status: all('default'), reason: 'plaintext and mTLS both accepted', option: { field: 'mesh.mtls', value: 'PERMISSIVE' } },
  { id: 'security.mtls-strict', area: 'security', title: 'STRICT mutual TLS', status: all('optional'), reason: 'mTLS only', option: { field: 'mesh.mtls', value: 'STRICT' } },
  { id: 'security.auto-mtls', area: 'security', title: 'Auto mutual TLS', status: all('unsupported'), reason: 'ASM 1.4 does not support auto-mTLS; choose PERMISSIVE or STRICT', option: { field: 'mesh.mtls', value: 'AUTO' } },
  { id: 'security.jwt-optional-origin', area: 'security', title: 'JWT origin authentication with originIsOptional: true and principalBinding: USE_ORIGIN', status: all('optional'), reason: 'the only JWT policy form ASM 1.4 supports' },
  { id: 'security.jwt-enforced', area: 'security', title: 'JWT origin authentication without originIsOptional: true and principalBinding: USE_ORIGIN', status: all('unsupported'), reason: 'ASM 1.4 supports JWT only with originIsOptional: true and principalBinding: USE_ORIGIN' },
  { id: 'security.authorization-policy', area: 'security', title: 'AuthorizationPolicy (security.istio.io/v1beta1)', status: all('optional'), reason: 'authorization v1beta1' },
  {
    id: 'security.peer-authentication',
    area: 'security',
    title: 'PeerAuthentication (security.istio.io)',
    status: all('unsupported'),
    reason: 'ASM 1.4 has no PeerAuthentication (Istio 1.5 and later); peer mTLS is set with MeshPolicy and Policy (authentication.istio.io/v1alpha1)',
  },
  {
    id: 'security.request-authentication',
    area: 'security',
    title: 'RequestAuthentication (security.istio.io)',
    status: all('unsupported'),
    reason: 'ASM 1.4 has no RequestAuthentication (Istio 1.5 and later); JWT is set with Policy origins (authentication.istio.io/v1alpha1)',
  },
  { id: 'security.rbac-v1alpha1', area: 'security', title: 'RBAC v1alpha1 (rbac.istio.io)', status: all('unsupported'), reason: 'ASM 1.4 does not support RBAC v1alpha1; use AuthorizationPolicy (security.istio.io/v1beta1)' },

  // --- Observability (slides 37-38) ---
  { id: 'observability.metrics-stackdriver', area: 'observability', title: 'HTTP in-proxy metrics to Stackdriver', status: gkeOnprem('default', 'unsupported'), reason: ONPREM_NO_STACKDRIVER, option: { field: 'telemetry.metrics', value: 'stackdriver' } },
  { id: 'observability.metrics-prometheus', area: 'observability', title: 'Metrics to Prometheus', status: gkeOnprem('optional', 'default'), reason: 'an alternative to Stackdriver; the only metrics on-prem', option: { field: 'telemetry.metrics', value: 'prometheus' } },
  { id: 'observability.access-log-stackdriver', area: 'observability', title: 'Access logs to Stackdriver Logging', status: gkeOnprem('default', 'unsupported'), reason: ONPREM_NO_STACKDRIVER, option: { field: 'telemetry.accessLog', value: 'stackdriver' } },
  { id: 'observability.access-log-stdout', area: 'observability', title: 'Envoy access logs to stdout', status: all('optional'), reason: 'read with kubectl logs', option: { field: 'telemetry.accessLog', value: 'stdout' } },
  { id: 'observability.tracing-stackdriver', area: 'observability', title: 'Tracing to Stackdriver Trace', status: gkeOnprem('optional', 'unsupported'), reason: ONPREM_NO_STACKDRIVER, option: { field: 'telemetry.tracing', value: 'stackdriver' } },
  { id: 'observability.tracing-jaeger', area: 'observability', title: 'Tracing to Jaeger', status: all('optional'), reason: 'you run the Jaeger collector', option: { field: 'telemetry.tracing', value: 'jaeger' } },
  { id: 'observability.zipkin', area: 'observability', title: 'Zipkin tracing', status: all('unsupported'), reason: 'ASM 1.4 does not support Zipkin tracing; use Stackdriver (GKE) or Jaeger', option: { field: 'telemetry.tracing', value: 'zipkin' } },
  { id: 'observability.ui-stackdriver', area: 'observability', title: 'Stackdriver UI', status: gkeOnprem('default', 'unsupported'), reason: ONPREM_NO_STACKDRIVER },
  { id: 'observability.ui-asm-dashboards', area: 'observability', title: 'Anthos Service Mesh dashboards in the Cloud Console (telemetry v2)', status: gkeOnprem('optional', 'unsupported'), reason: ONPREM_NO_STACKDRIVER },
  { id: 'observability.ui-prometheus-grafana', area: 'observability', title: 'Prometheus/Grafana dashboards', status: gkeOnprem('optional', 'default'), reason: 'the only dashboards on-prem' },
  { id: 'observability.kiali', area: 'observability', title: 'Kiali', status: all('unsupported'), reason: 'ASM 1.4 does not support Kiali', option: { field: 'telemetry.kiali', value: true } },
  { id: 'observability.telemetry-v2-wasm', area: 'observability', title: 'Telemetry v2 on the WebAssembly sandbox', status: all('unsupported'), reason: 'ASM 1.4 runs telemetry v2 as native Envoy filters only' },
  { id: 'observability.mixer-adapters', area: 'observability', title: 'Custom Mixer adapters and backends, in or out of process', status: all('unsupported'), reason: 'ASM 1.4 does not support custom Mixer adapters or backends' },
  { id: 'observability.arbitrary-backends', area: 'observability', title: 'Arbitrary telemetry and logging backends', status: all('unsupported'), reason: 'ASM 1.4 sends telemetry to Stackdriver or Prometheus only' },
  { id: 'observability.telemetry-v1', area: 'observability', title: 'Telemetry v1 (Mixer) for any metrics', status: all('unsupported'), reason: 'ASM 1.4 uses telemetry v2 (in-proxy) only' },
  { id: 'observability.telemetry-lite', area: 'observability', title: 'Telemetry Lite for any metrics', status: all('unsupported'), reason: 'ASM 1.4 does not support Telemetry Lite' },
];

export const SUPPORT_AREAS: readonly SupportArea[] = ['traffic', 'security', 'observability'];

/** Profiles in the order the matrix shows them. */
export const MATRIX_PROFILES: readonly Profile[] = ASM_PROFILES;

const BY_ID: ReadonlyMap<string, MatrixFeature> = new Map(SUPPORT_MATRIX.map((f) => [f.id, f]));

/** The feature with this id; throws on an unknown id, which is a programming error. */
export function feature(id: string): MatrixFeature {
  const found = BY_ID.get(id);
  if (!found) throw new Error(`unknown support matrix feature: ${id}`);
  return found;
}

export function statusFor(id: string, profile: Profile): SupportStatus {
  return feature(id).status[profile];
}

export function isSupported(id: string, profile: Profile): boolean {
  return statusFor(id, profile) !== 'unsupported';
}

/** Features a config option's values select, in matrix order. */
export function optionFeatures(field: OptionField): MatrixFeature[] {
  return SUPPORT_MATRIX.filter((f) => f.option?.field === field);
}

/** The feature a config value selects, if the matrix names one. */
export function featureForOption(field: OptionField, value: unknown): MatrixFeature | undefined {
  return SUPPORT_MATRIX.find((f) => f.option?.field === field && f.option.value === value);
}

/** The value of an option whose feature is `default` on a profile, if any. */
export function defaultOptionValue(field: OptionField, profile: Profile): string | boolean | undefined {
  return optionFeatures(field).find((f) => f.status[profile] === 'default')?.option?.value;
}

/** `the feature ID: REASON` text that every refusal and lint finding ends with. */
export function featureReason(id: string): string {
  const f = feature(id);
  return `feature ${f.id}: ${f.reason}`;
}
