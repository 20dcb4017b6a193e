/**
 * Envoy proxy (istio-proxy) settings of ASM 1.4.6 as data: what the mesh config's
 * `defaultConfig`, the injected sidecar's pilot-agent arguments and the gateways
 * share (SPEC section 5, the seed's slide 39). One source so they cannot drift.
 */
import { ISTIO_NAMESPACE, PROXY_RESOURCES, serviceAddress } from './components';

/**
 * Annotation of the mesh ConfigMap (`istio` in istio-system) naming the backend the
 * proxies' Zipkin-API tracer reports to. Istio 1.4 has no Jaeger tracer: proxies reach
 * a Jaeger collector through the zipkin one, so the address alone cannot tell Jaeger
 * (supported) from Zipkin (not). asmpkg writes `jaeger` for `telemetry.tracing: jaeger`
 * and `asmpkg lint` trusts it; users who trace to their own Jaeger can set it too.
 */
export const ZIPKIN_BACKEND_ANNOTATION = 'asmpkg.dev/zipkin-backend';
/** The value of `ZIPKIN_BACKEND_ANNOTATION` for a Jaeger collector. */
export const JAEGER_BACKEND = 'jaeger';

export const PROXY = {
  /** xDS over mTLS through the pilot pod's Envoy (`istio-pilot.istio-system:15011`). */
  discoveryAddress: serviceAddress('pilot', 'https-xds'),
  controlPlaneAuthPolicy: 'MUTUAL_TLS',
  proxyAdminPort: 15000,
  statusPort: 15020,
  concurrency: 2,
  drainDuration: '45s',
  parentShutdownDuration: '1m0s',
  connectTimeout: '10s',
  dnsRefreshRate: '300s',
  /** Security token service port (ASM: Stackdriver credentials). */
  stsPort: 15463,
  /**
   * Zipkin-API address the proxies carry while tracing is off (Istio 1.4's default,
   * as the seed's sidecar shows): `enableTracing: false` keeps them from sending to it.
   */
  zipkinAddress: `zipkin.${ISTIO_NAMESPACE}:9411`,
  configPath: '/etc/istio/proxy',
  binaryPath: '/usr/local/bin/envoy',
  clusterDomain: 'cluster.local',
  logLevel: 'warning',
  componentLogLevel: 'misc:error',
  /** Envoy's Prometheus endpoint. */
  prometheusPort: 15090,
  prometheusPath: '/stats/prometheus',
  /** UID the proxy runs as; iptables lets its traffic out unredirected. */
  uid: 1337,
  /** Outbound and inbound capture ports of the iptables rules. */
  outboundCapturePort: 15001,
  inboundCapturePort: 15006,
  /** SDS socket of the node agent (GKE). */
  sdsUdsPath: 'unix:/var/run/sds/uds_path',
  sdsUdsDir: '/var/run/sds',
  /** Lifetime of the projected token the proxy presents to the node agent. */
  sdsTokenExpirationSeconds: 43200,
  readiness: { initialDelaySeconds: 1, periodSeconds: 2, failureThreshold: 30 },
  resources: PROXY_RESOURCES,
  initResources: { requests: { cpu: '10m', memory: '10Mi' }, limits: { cpu: '100m', memory: '50Mi' } },
} as const;
