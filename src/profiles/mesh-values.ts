import type { ClusterSpec } from '../config/model';
import { gkeIdentity, meshIdOf } from '../config/derive';
import type { MeshValues } from '../constructs/mesh/values';

/** The mesh constructs' values for a cluster: platform facts plus the derived identity. */
export function meshValuesFor(spec: ClusterSpec): MeshValues {
  const onGke = spec.profile !== 'onprem';
  const identity = onGke && spec.project && spec.location ? gkeIdentity(spec.project.id, spec.project.number, spec.location, spec.name) : undefined;
  return {
    release: spec.release,
    hub: spec.hub,
    tag: spec.tag,
    platform: onGke ? 'gke' : 'onprem',
    kubernetesVersion: spec.kubernetesVersion,
    trustDomain: spec.trustDomain,
    meshId: identity?.meshId ?? (spec.project ? meshIdOf(spec.project.number) : undefined),
    gcpMetadata: identity?.gcpMetadata,
    clusterUrl: identity?.clusterUrl,
    sdsTokenAudience: identity?.workloadPool,
    ingress: spec.ingress,
    mtls: spec.mesh.mtls,
    outboundTrafficPolicy: spec.mesh.outboundTrafficPolicy,
    egressGateway: spec.mesh.egressGateway,
    telemetry: spec.telemetry,
  };
}
