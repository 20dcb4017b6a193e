/**
 * Traffic Director on GKE in 2020 (SPEC section 14, seed slides 8-9): Google's managed
 * xDS control plane, configured through Compute Engine load-balancing resources, with
 * Envoy sidecars injected into the pods. Facts only; the profile composes them.
 */

/** Google's health checkers: the health-check firewall admits these (with NEGs, to pod IP:targetPort). */
export const HEALTH_CHECK_SOURCE_RANGES = ['35.191.0.0/16', '130.211.0.0/22'] as const;

/** Backend-service protocols Traffic Director routes through a target HTTP proxy. */
export const TD_PROTOCOLS = ['HTTP', 'HTTP2', 'GRPC'] as const;
export type TdProtocol = (typeof TD_PROTOCOLS)[number];

/** Why other protocols are refused. */
export const TD_PROTOCOL_REASON =
  'Traffic Director (2020) routes only HTTP, HTTP2 and GRPC backend services, through a URL map and a target HTTP proxy; only HTTP(S) targets existed';

/** The health check kind of each protocol (Config Connector ComputeHealthCheck field). */
export const TD_HEALTH_CHECK_FIELD: Readonly<Record<TdProtocol, 'httpHealthCheck' | 'http2HealthCheck' | 'grpcHealthCheck'>> = {
  HTTP: 'httpHealthCheck',
  HTTP2: 'http2HealthCheck',
  GRPC: 'grpcHealthCheck',
};

export const TD_DEFAULTS = {
  protocol: 'HTTP' as TdProtocol,
  maxRatePerEndpoint: 5,
  forwardingPort: 80,
} as const;

/** The load-balancing scheme of Traffic Director's backend services and forwarding rules. */
export const TD_LOAD_BALANCING_SCHEME = 'INTERNAL_SELF_MANAGED';

/** The forwarding rule's address: Envoy intercepts any destination IP on the port (the VIP clients use is irrelevant). */
export const TD_FORWARDING_IP = '0.0.0.0';

/** The role the identity Envoy runs as needs to read its configuration (xDS v2 era). */
export const TD_ENVOY_ROLE = 'roles/compute.networkViewer';

/** Node scope Envoys need to call trafficdirector.googleapis.com with the node's credentials. */
export const CLOUD_PLATFORM_SCOPE = 'https://www.googleapis.com/auth/cloud-platform';

/** The Compute Engine default service account GKE nodes run as unless told otherwise. */
export function defaultComputeServiceAccount(projectNumber: string): string {
  return `${projectNumber}-compute@developer.gserviceaccount.com`;
}

/** Google Cloud APIs the profile enables, in order. */
export const TD_SERVICES = [
  { shortName: 'trafficdirector', service: 'trafficdirector.googleapis.com', purpose: 'Traffic Director (xDS for the Envoys)' },
  { shortName: 'compute', service: 'compute.googleapis.com', purpose: 'Compute Engine (load-balancing resources, NEGs)' },
  { shortName: 'gke', service: 'container.googleapis.com', purpose: 'Kubernetes Engine' },
] as const;

/** The Service annotation that makes GKE create standalone NEGs, and where it reports their names. */
export const NEG_ANNOTATION = 'cloud.google.com/neg';
export const NEG_STATUS_ANNOTATION = 'cloud.google.com/neg-status';

/**
 * The sidecar injector (td-sidecar-injector, xDS v2). Earliest public copy late 2020;
 * the exact tags at the talk are not known (SPEC section 14, "Uncertain").
 */
export const TD_INJECTOR = {
  namespace: 'istio-control',
  name: 'istio-sidecar-injector',
  injectorImage: 'istio/sidecar_injector:1.5.8',
  proxyImage: 'istio/proxyv2:1.7.0',
  /** The injector listens here as a non-root process; the Service maps 443 to it. */
  port: 9443,
  servicePort: 443,
  meshConfigMap: 'injector-mesh',
  injectConfigMap: 'istio-sidecar-injector',
  certSecret: 'istio-sidecar-injector',
  webhook: 'istio-sidecar-injector-istio-control',
  discoveryAddress: 'trafficdirector.googleapis.com:443',
  labels: { app: 'sidecarInjectorWebhook', istio: 'sidecar-injector' },
} as const;

/** Files of the injector's Secret, as the Deployment reads them. */
export const TD_INJECTOR_CERT_KEYS = { key: 'key.pem', cert: 'cert.pem', ca: 'ca-cert.pem' } as const;

/** Earlier in 2020 the documented path was manual injection with this proxy. */
export const TD_MANUAL_INJECTION_PROXY = 'istio/proxyv2:1.2.4';
