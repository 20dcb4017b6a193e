import type { ClusterSpec } from '../config/model';
import type { GkeClusterProps } from '../constructs/gcp/cluster';
import type { GkeNodePoolProps } from '../constructs/gcp/node-pool';

/** How a profile declares its cluster to Config Connector. */
export interface ClusterDeclaration {
  readonly flavour: 'current' | 'anthoscli';
  /** `PROJECT/LOCATION/CLUSTER`, which the 2020 anthoscli read from `metadata.clusterName`. */
  readonly kccClusterName: string;
}

/**
 * The cluster props every GKE-based profile takes straight from the config; each
 * profile adds what makes its offering (workload pool, add-ons, VPC-native ranges).
 */
export function clusterPropsFor(spec: ClusterSpec, declaration: ClusterDeclaration) {
  return {
    name: spec.name,
    projectId: spec.project!.id,
    location: spec.location!,
    network: spec.network,
    subnetwork: spec.subnetwork,
    releaseChannel: spec.releaseChannel,
    version: spec.version,
    ...declaration,
  } satisfies Partial<GkeClusterProps>;
}

/** The node pool props every GKE-based profile takes straight from the config. */
export function nodePoolPropsFor(spec: ClusterSpec, declaration: ClusterDeclaration) {
  return {
    name: spec.nodePool.name,
    projectId: spec.project!.id,
    location: spec.location!,
    clusterName: spec.name,
    machineType: spec.nodePool.machineType!,
    nodeCount: spec.nodePool.nodeCount,
    maxNodeCount: spec.nodePool.maxNodeCount,
    version: spec.version,
    ...declaration,
  } satisfies Partial<GkeNodePoolProps>;
}
