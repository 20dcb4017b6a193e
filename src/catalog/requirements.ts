/**
 * Install requirements of ASM 1.4.6-asm.0 (seed slide 15) and the platform versions
 * it supports, with the Kubernetes version each platform version runs.
 */

/** At least this many nodes in the cluster. */
export const MIN_NODES = 4;

/** At least this many vCPUs per node (n1-standard-4 or larger). */
export const MIN_VCPUS = 4;

/** A supported platform minor version: the lowest patch accepted and its Kubernetes minor. */
export interface PlatformMinor {
  /** `MAJOR.MINOR` of the platform version. */
  readonly minor: string;
  /** Lowest accepted full version of this minor. */
  readonly minimum: string;
  /** Kubernetes `MAJOR.MINOR` that platform version runs. */
  readonly kubernetes: string;
}

/** GKE versions ASM 1.4.6-asm.0 supports. GKE's version starts with the Kubernetes version. */
export const GKE_VERSIONS: readonly PlatformMinor[] = [
  { minor: '1.13', minimum: '1.13.11-gke.14', kubernetes: '1.13' },
  { minor: '1.14', minimum: '1.14.8-gke.18', kubernetes: '1.14' },
  { minor: '1.15', minimum: '1.15.4-gke.15', kubernetes: '1.15' },
];

/** GKE on-prem (Anthos GKE on VMware) versions ASM 1.4.6-asm.0 supports. */
export const ONPREM_VERSIONS: readonly PlatformMinor[] = [
  { minor: '1.2', minimum: '1.2.0-gke.6', kubernetes: '1.14' },
  { minor: '1.3', minimum: '1.3.0-gke.16', kubernetes: '1.15' },
];
