/**
 * Pod annotations the Istio 1.4.6 sidecar injector template honours (SPEC section 12;
 * `charts/istio-control/istio-autoinject/files/injection-template.yaml` of the
 * istioctl 1.4.6 installer), as data: the injection template reads them by these
 * names, `asmpkg lint` checks the values ASM does not support, and tests render a
 * corpus of pods carrying them.
 */

export const SIDECAR_ANNOTATIONS = {
  /** CPU request of the proxy; with it (or proxyMemory) the proxy gets no fixed limits. */
  proxyCPU: 'sidecar.istio.io/proxyCPU',
  /** Memory request of the proxy; with it (or proxyCPU) the proxy gets no fixed limits. */
  proxyMemory: 'sidecar.istio.io/proxyMemory',
  /** The proxy image: a full reference, or a name taken from the mesh's hub and tag. */
  proxyImage: 'sidecar.istio.io/proxyImage',
  /** pilot-agent `--discoveryAddress`. */
  discoveryAddress: 'sidecar.istio.io/discoveryAddress',
  /** pilot-agent `--controlPlaneAuthPolicy` (MUTUAL_TLS or NONE). */
  controlPlaneAuthPolicy: 'sidecar.istio.io/controlPlaneAuthPolicy',
  /** Envoy's log level and per-component levels. */
  logLevel: 'sidecar.istio.io/logLevel',
  componentLogLevel: 'sidecar.istio.io/componentLogLevel',
  /** REDIRECT (iptables NAT, the default), TPROXY or NONE (no init container). */
  interceptionMode: 'sidecar.istio.io/interceptionMode',
  /** Name of a ConfigMap whose `custom_bootstrap.json` Envoy merges into its bootstrap. */
  bootstrapOverride: 'sidecar.istio.io/bootstrapOverride',
  /** JSON map of volume name -> volume source, added to the pod. */
  userVolume: 'sidecar.istio.io/userVolume',
  /** JSON map of volume name -> volume mount, added to the proxy. */
  userVolumeMount: 'sidecar.istio.io/userVolumeMount',
  /** Envoy stats kept beyond the defaults; pilot-agent reads them from ISTIO_METAJSON_ANNOTATIONS. */
  statsInclusionPrefixes: 'sidecar.istio.io/statsInclusionPrefixes',
  statsInclusionSuffixes: 'sidecar.istio.io/statsInclusionSuffixes',
  statsInclusionRegexps: 'sidecar.istio.io/statsInclusionRegexps',
  /** pilot-agent status port (readiness); `0` turns the readiness probe and `--statusPort` off. */
  statusPort: 'status.sidecar.istio.io/port',
  readinessInitialDelaySeconds: 'readiness.status.sidecar.istio.io/initialDelaySeconds',
  readinessPeriodSeconds: 'readiness.status.sidecar.istio.io/periodSeconds',
  readinessFailureThreshold: 'readiness.status.sidecar.istio.io/failureThreshold',
  readinessApplicationPorts: 'readiness.status.sidecar.istio.io/applicationPorts',
  /** istio-iptables `-i`, `-x`, `-b`, `-d`, `-o`, `-k`. */
  includeOutboundIPRanges: 'traffic.sidecar.istio.io/includeOutboundIPRanges',
  excludeOutboundIPRanges: 'traffic.sidecar.istio.io/excludeOutboundIPRanges',
  includeInboundPorts: 'traffic.sidecar.istio.io/includeInboundPorts',
  excludeInboundPorts: 'traffic.sidecar.istio.io/excludeInboundPorts',
  excludeOutboundPorts: 'traffic.sidecar.istio.io/excludeOutboundPorts',
  kubevirtInterfaces: 'traffic.sidecar.istio.io/kubevirtInterfaces',
} as const;

export type SidecarAnnotation = keyof typeof SIDECAR_ANNOTATIONS;

/** `sidecar.istio.io/interceptionMode` values of Istio 1.4; ASM supports REDIRECT only (SPEC section 7). */
export const INTERCEPTION_MODES = { redirect: 'REDIRECT', tproxy: 'TPROXY', none: 'NONE' } as const;

/** Where the proxy mounts the bootstrapOverride ConfigMap, and the file Envoy merges from it. */
export const CUSTOM_BOOTSTRAP = {
  volume: 'custom-bootstrap-volume',
  mountPath: '/etc/istio/custom-bootstrap',
  file: '/etc/istio/custom-bootstrap/custom_bootstrap.json',
} as const;

/** The status port value that turns the readiness probe off. */
export const STATUS_PORT_OFF = '0';
