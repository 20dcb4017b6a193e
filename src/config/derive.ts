import { ANTHOSCLI_PLACEMENT, GKE_API } from '../catalog/gcp-services';
import type { GkeIdentity } from './model';

/**
 * The values ASM derives from a GKE cluster's identity (SPEC section 3). Kept in one
 * place: the control-plane CR, the proxies, the node agent and Config Connector all
 * carry them, and kpt setters rewrite them as substitutions of the same inputs.
 */
export function gkeIdentity(projectId: string, projectNumber: string, location: string, cluster: string): GkeIdentity {
  return {
    meshId: meshIdOf(projectNumber),
    workloadPool: workloadPool(projectId),
    gcpMetadata: `${projectId}|${projectNumber}|${cluster}|${location}`,
    clusterUrl: `${GKE_API.clusterUrlBase}/projects/${projectId}/locations/${location}/clusters/${cluster}`,
    kccClusterName: `${projectId}/${location}/${cluster}`,
    gkeClusterId: `${ANTHOSCLI_PLACEMENT.gkePrefix}${projectId}/${location}/${cluster}`,
  };
}

/** ASM's mesh ID of a project, also the cluster label `mesh_id`. */
export function meshIdOf(projectNumber: string): string {
  return `proj-${projectNumber}`;
}

/** The workload identity pool, which is also the mesh's trust domain and SDS token audience on GKE. */
export function workloadPool(projectId: string): string {
  return `${projectId}.svc.id.goog`;
}
