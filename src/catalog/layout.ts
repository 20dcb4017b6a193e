/**
 * The package layout: one directory per place its contents are applied. The header
 * comment of each file says where that is, so a file read alone still explains itself.
 */
export const PACKAGE_DIRS = {
  configConnector: 'config-connector',
  controlPlane: 'control-plane',
  bootstrap: 'bootstrap',
  crds: 'crds',
  inCluster: 'in-cluster',
  /**
   * Authentication policies (MeshPolicy, namespace Policies) and the DestinationRules
   * STRICT mTLS needs: applied after the control plane is ready, on every install route
   * (istioctl and anthoscli install no namespace policy of their own).
   */
  policies: 'policies',
  secrets: 'secrets',
  /** Labels of application namespaces asmpkg does not own (istio-on-gke, traffic-director). */
  namespaces: 'namespaces',
} as const;

/** Files the profiles write outside the in-cluster tree. */
export const PACKAGE_FILES = {
  projectServices: `${PACKAGE_DIRS.configConnector}/project-services.yaml`,
  cluster: `${PACKAGE_DIRS.configConnector}/cluster.yaml`,
  promsdIdentity: `${PACKAGE_DIRS.configConnector}/promsd-identity.yaml`,
  controlPlane: `${PACKAGE_DIRS.controlPlane}/istio-control-plane.yaml`,
  clusterAdminBinding: `${PACKAGE_DIRS.bootstrap}/cluster-admin-binding.yaml`,
  injectionLabels: `${PACKAGE_DIRS.namespaces}/injection-labels.yaml`,
} as const;

export const FILE_HEADERS = {
  projectServices: 'Google Cloud APIs ASM needs. Apply where Config Connector runs (anthoscli applies it for you).',
  cluster: 'The GKE cluster and node pool, as Config Connector resources. Apply where Config Connector runs.',
  offeringServices: 'Google Cloud APIs the cluster needs. Apply where Config Connector runs (anthoscli applies it for you).',
  promsdIdentity:
    "promsd's Google identity under Workload Identity (its Stackdriver sidecar writes metrics): the project's GSA, its role and the binding for istio-system/promsd. Apply where Config Connector runs.",
  controlPlane: 'Input for anthoscli / istioctl, not for kubectl: marked config.kubernetes.io/local-config.',
  bootstrap: 'Apply first, as a cluster admin: grants the installing user cluster-admin.',
  injectionLabels:
    'Labels application namespaces istio-injection=enabled. asmpkg does not own them: kubectl apply creates a missing one or adds the label; never kubectl delete -f this file (it would delete the namespaces), remove the label with kubectl label namespace NAME istio-injection- instead.',
} as const;
