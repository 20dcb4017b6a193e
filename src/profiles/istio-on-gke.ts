import { App } from 'cdk8s';
import { ANTHOSCLI_BOOTSTRAP } from '../catalog/config-connector';
import { ISTIO_ON_GKE_SERVICES } from '../catalog/gcp-services';
import { ISTIO_ADDON_MTLS } from '../catalog/istio-on-gke';
import { gkeIdentity } from '../config/derive';
import type { ClusterSpec } from '../config/model';
import { GkeCluster } from '../constructs/gcp/cluster';
import { GkeNodePool } from '../constructs/gcp/node-pool';
import { ProjectServices } from '../constructs/gcp/project-services';
import { InjectionLabels } from '../constructs/k8s/injection-labels';
import { PackageFile } from '../constructs/package-file';
import { clusterPropsFor, nodePoolPropsFor } from './gke-cluster';
import { FILE_HEADERS, PACKAGE_FILES } from '../catalog/layout';

/**
 * `istio-on-gke`: the Istio on GKE add-on. Config Connector declares the APIs a GKE
 * cluster needs and the cluster with the add-on switched on; Google installs and owns
 * istio-system, so nothing of the mesh is rendered. The only in-cluster file labels the
 * application namespaces for injection.
 */
export function composeIstioOnGke(app: App, spec: ClusterSpec): void {
  const project = spec.project!;
  const location = spec.location!;
  const flavour = spec.kcc;
  const kccClusterName = gkeIdentity(project.id, project.number, location, spec.name).kccClusterName;
  const annotations = flavour === 'current' ? ANTHOSCLI_BOOTSTRAP : undefined;

  const services = new PackageFile(app, PACKAGE_FILES.projectServices, { header: FILE_HEADERS.offeringServices });
  new ProjectServices(services, 'services', { projectId: project.id, services: ISTIO_ON_GKE_SERVICES, flavour, annotations });

  const cluster = new PackageFile(app, PACKAGE_FILES.cluster, { header: FILE_HEADERS.cluster });
  const declaration = { flavour, kccClusterName };
  new GkeCluster(cluster, 'cluster', {
    ...clusterPropsFor(spec, declaration),
    addonsConfig: { istioConfig: { disabled: false, auth: ISTIO_ADDON_MTLS[spec.mesh.mtls].auth } },
    annotations,
  });
  new GkeNodePool(cluster, 'node-pool', {
    ...nodePoolPropsFor(spec, declaration),
    // No Workload Identity: the add-on's components use the node's credentials.
    gkeMetadata: false,
    annotations,
  });

  if (spec.injectNamespaces.length > 0) {
    const labels = new PackageFile(app, PACKAGE_FILES.injectionLabels, { header: FILE_HEADERS.injectionLabels });
    new InjectionLabels(labels, 'labels', { namespaces: spec.injectNamespaces });
  }
}
