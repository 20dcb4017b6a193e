import { App } from 'cdk8s';
import { GCP_SERVICES } from '../catalog/gcp-services';
import { gkeIdentity } from '../config/derive';
import type { ClusterSpec } from '../config/model';
import { GkeCluster } from '../constructs/gcp/cluster';
import { GkeNodePool } from '../constructs/gcp/node-pool';
import { ProjectServices } from '../constructs/gcp/project-services';
import { ControlPlane } from '../constructs/mesh/control-plane';
import { PackageFile } from '../render/package-file';
import { addInClusterFiles } from './in-cluster';
import { meshValuesFor } from './mesh-values';
import { policyExtras } from './policies';
import { FILE_HEADERS, PACKAGE_FILES } from '../render/layout';

/**
 * `gke`: the anthoscli/kpt flow. Config Connector declares the APIs, the cluster and
 * its node pool; anthoscli installs the control plane from the IstioControlPlane CR;
 * the rendered in-cluster manifests are the same install for GitOps controllers.
 */
export function composeGke(app: App, spec: ClusterSpec): void {
  const project = spec.project!;
  const location = spec.location!;
  const identity = gkeIdentity(project.id, project.number, location, spec.name);
  const values = meshValuesFor(spec);
  const flavour = spec.kcc;

  const services = new PackageFile(app, PACKAGE_FILES.projectServices, { header: FILE_HEADERS.projectServices });
  new ProjectServices(services, 'services', { projectId: project.id, services: GCP_SERVICES, flavour });

  const cluster = new PackageFile(app, PACKAGE_FILES.cluster, { header: FILE_HEADERS.cluster });
  new GkeCluster(cluster, 'cluster', {
    name: spec.name,
    projectId: project.id,
    location,
    workloadPool: identity.workloadPool,
    meshId: identity.meshId,
    network: spec.network,
    subnetwork: spec.subnetwork,
    releaseChannel: spec.releaseChannel,
    version: spec.version,
    flavour,
    kccClusterName: identity.kccClusterName,
  });
  new GkeNodePool(cluster, 'node-pool', {
    name: spec.nodePool.name,
    projectId: project.id,
    location,
    clusterName: spec.name,
    machineType: spec.nodePool.machineType!,
    nodeCount: spec.nodePool.nodeCount,
    maxNodeCount: spec.nodePool.maxNodeCount,
    version: spec.version,
    flavour,
    kccClusterName: identity.kccClusterName,
  });

  const controlPlane = new PackageFile(app, PACKAGE_FILES.controlPlane, { header: FILE_HEADERS.controlPlane });
  new ControlPlane(controlPlane, 'control-plane', {
    values,
    profile: spec.release.controlPlaneProfiles.gke,
    kccClusterName: identity.kccClusterName,
  });

  addInClusterFiles(app, values, policyExtras(spec));
}
