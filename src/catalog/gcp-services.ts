/**
 * Google Cloud APIs the `gke` flow enables, in the order anthoscli enabled them
 * (seed slide 16). `shortName` is the CloudService name anthoscli read.
 */
export interface GcpService {
  readonly shortName: string;
  readonly service: string;
  /** What the API is for, for docs and comments. */
  readonly purpose: string;
}

export const GCP_SERVICES: readonly GcpService[] = [
  { shortName: 'stackdriver', service: 'stackdriver.googleapis.com', purpose: 'Stackdriver' },
  { shortName: 'compute', service: 'compute.googleapis.com', purpose: 'Compute Engine' },
  { shortName: 'gke', service: 'container.googleapis.com', purpose: 'Kubernetes Engine' },
  { shortName: 'iamcredentials', service: 'iamcredentials.googleapis.com', purpose: 'short-lived credentials for workload identity' },
  { shortName: 'meshca', service: 'meshca.googleapis.com', purpose: 'Mesh certificate authority' },
  { shortName: 'meshtelemetry', service: 'meshtelemetry.googleapis.com', purpose: 'Mesh telemetry' },
  { shortName: 'meshconfig', service: 'meshconfig.googleapis.com', purpose: 'Mesh config' },
  { shortName: 'anthos', service: 'anthos.googleapis.com', purpose: 'Anthos' },
];

/**
 * What the Istio on GKE add-on needs: the APIs of a GKE cluster with Stackdriver
 * Kubernetes logging and monitoring; no mesh or Anthos APIs (those are ASM's).
 */
export const ISTIO_ON_GKE_SERVICES: readonly GcpService[] = GCP_SERVICES.filter((s) => ['stackdriver', 'compute', 'gke'].includes(s.shortName));

/** Where GKE workloads reach the cluster's API and Mesh CA. */
export const GKE_API = {
  clusterUrlBase: 'https://container.googleapis.com/v1',
  meshCaAddress: 'meshca.googleapis.com:443',
  loggingService: 'logging.googleapis.com/kubernetes',
  monitoringService: 'monitoring.googleapis.com/kubernetes',
} as const;

/**
 * How today's anthoscli (0.2.x) places each resource it applies: the annotation names
 * the cluster. Google Cloud resources (Config Connector) go to `bootstrap://`, resources
 * inside a GKE cluster (the IstioControlPlane) to `gke://PROJECT_ID/LOCATION/CLUSTER`.
 * ASM's own packages switched to it with release 1.6; `metadata.clusterName`, which the
 * anthoscli of March 2020 read, is deprecated.
 */
export const ANTHOSCLI_PLACEMENT = {
  annotation: 'gke.io/cluster',
  bootstrap: 'bootstrap://',
  gkePrefix: 'gke://',
} as const;
