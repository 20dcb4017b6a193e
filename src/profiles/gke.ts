import { App } from 'cdk8s';
import { ANTHOSCLI_BOOTSTRAP } from '../catalog/config-connector';
import { GCP_SERVICES } from '../catalog/gcp-services';
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
import { clusterPropsFor, nodePoolPropsFor } from './gke-cluster';
import { addInClusterFiles } from './in-cluster';
import { meshValuesFor } from './mesh-values';
import { policyExtras } from './policies';
import { FILE_HEADERS, PACKAGE_FILES } from '../catalog/layout';

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
  const declaration = { flavour, kccClusterName: identity.kccClusterName };
  new GkeCluster(cluster, 'cluster', {
    ...clusterPropsFor(spec, declaration),
    workloadPool: identity.workloadPool,
    meshId: identity.meshId,
  });
  new GkeNodePool(cluster, 'node-pool', nodePoolPropsFor(spec, declaration));

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
      ...(flavour === 'current' ? { annotations: ANTHOSCLI_BOOTSTRAP } : {}),
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
