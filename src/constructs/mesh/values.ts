import { Release } from '../../catalog/release';

/** Telemetry choices of a mesh (ASM support matrix, observability). */
export interface TelemetryValues {
  /** Where HTTP in-proxy metrics go. */
  readonly metrics: 'stackdriver' | 'prometheus';
  /** Where access logs go; `stdout` is Envoy's standard output. */
  readonly accessLog: 'stackdriver' | 'stdout' | 'off';
  /** Distributed tracing backend. */
  readonly tracing: 'off' | 'stackdriver' | 'jaeger';
  /** Jaeger collector address (`host:port`, Zipkin API), when tracing is `jaeger`. */
  readonly jaegerAddress?: string;
}

/**
 * The values every in-cluster mesh construct renders from. Profiles derive them from
 * a cluster's config; constructs never read config themselves.
 */
export interface MeshValues {
  readonly release: Release;
  /** Image hub and tag (kpt setters may override the release's). */
  readonly hub: string;
  readonly tag: string;
  /** `gke` runs the node agent with Mesh CA; `onprem` runs Citadel with a plugged-in CA. */
  readonly platform: 'gke' | 'onprem';
  /** Kubernetes `MAJOR.MINOR` of the target cluster; picks API versions. */
  readonly kubernetesVersion: string;
  /** SPIFFE trust domain: `PROJECT_ID.svc.id.goog` on GKE, `cluster.local` on-prem by default. */
  readonly trustDomain: string;
  /** Mesh ID (`proj-PROJECT_NUMBER`); absent on-prem without a project. */
  readonly meshId?: string;
  /** Proxy env `GCP_METADATA` (`PROJECT_ID|PROJECT_NUMBER|CLUSTER|LOCATION`), GKE only. */
  readonly gcpMetadata?: string;
  /** Node agent env `GKE_CLUSTER_URL`, GKE only. */
  readonly clusterUrl?: string;
  /** SDS token audience (the trust domain on GKE). */
  readonly sdsTokenAudience?: string;
  /** Ingress gateway Service settings. */
  readonly ingress: {
    /** The load balancer VIP (on-prem: the F5 BIG-IP virtual server address). */
    readonly loadBalancerIP?: string;
    /** NodePorts pinned by port name; the rest are left to Kubernetes. */
    readonly nodePorts: Readonly<Record<string, number>>;
  };
  /** Mesh-wide mTLS mode rendered as the `default` MeshPolicy. */
  readonly mtls: 'PERMISSIVE' | 'STRICT';
  readonly outboundTrafficPolicy: 'ALLOW_ANY' | 'REGISTRY_ONLY';
  /** Render the optional egress gateway. */
  readonly egressGateway: boolean;
  readonly telemetry: TelemetryValues;
}
