import { App } from 'cdk8s';
import { ANTHOSCLI_PLACEMENT, GCP_SERVICES } from '../catalog/gcp-services';
import { gkeIdentity } from '../config/derive';
import type { ClusterSpec } from '../config/model';
import { GkeCluster } from '../constructs/gcp/cluster';
import { GkeNodePool } from '../constructs/gcp/node-pool';
import { ProjectServices } from '../constructs/gcp/project-services';
import { WorkloadGoogleIdentity } from '../constructs/gcp/workload-identity';
import { PROMSD_GOOGLE_IDENTITY } from '../catalog/google-identities';
import { COMPONENTS, ISTIO_NAMESPACE } from '../catalog/components';
import { ControlPlane } from '../constructs/mesh/control-plane';
import { promsdGoogleServiceAccount } from '../constructs/mesh/promsd';
import { PackageFile } from '../constructs/package-file';
import { addInClusterFiles } from './in-cluster';
import { meshValuesFor } from './mesh-values';
import { policyExtras } from './policies';
import { FILE_HEADERS, PACKAGE_FILES } from '../catalog/layout';

/**
 * Where today's anthoscli applies Config Connector resources (`gke.io/cluster`: the
 * bootstrap cluster; SPEC §11).
 */
const CONFIG_CONNECTOR_PLACEMENT = { [ANTHOSCLI_PLACEMENT.annotation]: ANTHOSCLI_PLACEMENT.bootstrap } as const;

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

  // promsd calls Google only when it forwards to Stackdriver; then its KSA is annotated
  // (in-cluster) and needs the GSA it names.
  if (promsdGoogleServiceAccount(values)) {
    const identityFile = new PackageFile(app, PACKAGE_FILES.promsdIdentity, { header: FILE_HEADERS.promsdIdentity });
    new WorkloadGoogleIdentity(identityFile, 'promsd-identity', {
      projectId: project.id,
      workloadPool: identity.workloadPool,
      identity: PROMSD_GOOGLE_IDENTITY,
      namespace: ISTIO_NAMESPACE,
      kubernetesServiceAccount: COMPONENTS[PROMSD_GOOGLE_IDENTITY.component].serviceAccount,
      // the 2020 anthoscli (kcc: anthoscli) knew no placement annotation
      ...(flavour === 'current' ? { annotations: CONFIG_CONNECTOR_PLACEMENT } : {}),
    });
  }

  const controlPlane = new PackageFile(app, PACKAGE_FILES.controlPlane, { header: FILE_HEADERS.controlPlane });
  new ControlPlane(controlPlane, 'control-plane', {
    values,
    profile: spec.release.controlPlaneProfiles.gke,
    anthoscli: flavour === 'anthoscli' ? { clusterName: identity.kccClusterName } : { annotation: identity.gkeClusterId },
  });

  addInClusterFiles(app, values, policyExtras(spec));
}
