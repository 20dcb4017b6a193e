/**
 * The capabilities table: which apiVersion each Kubernetes kind is rendered with, by
 * the Kubernetes minor version of the target cluster (SPEC section 6). The builders
 * of `src/constructs/k8s` and the mesh constructs ask here for every Kubernetes kind
 * they emit or name (e.g. a gateway's `ISTIO_META_OWNER`). Not from this table:
 * Istio's own kinds (their versions are those of the CRDs, `crds.ts`), the
 * IstioControlPlane input of istioctl, and galley's webhook file, which galley 1.4
 * always decodes and creates as admissionregistration.k8s.io/v1beta1.
 */

/** Kinds whose apiVersion depends on the cluster version. */
export type VersionedKind =
  | 'PodDisruptionBudget'
  | 'HorizontalPodAutoscaler'
  | 'MutatingWebhookConfiguration'
  | 'ValidatingWebhookConfiguration'
  | 'CustomResourceDefinition'
  | 'Deployment'
  | 'DaemonSet'
  | 'ServiceAccount'
  | 'Service'
  | 'ConfigMap'
  | 'Secret'
  | 'Namespace'
  | 'Role'
  | 'RoleBinding'
  | 'ClusterRole'
  | 'ClusterRoleBinding';

/** Kubernetes minor of the oldest cluster any supported release runs on (1.13). */
const OLDEST_MINOR = 13;

/** One row of the table: from Kubernetes minor `since` (inclusive) on, use `apiVersion`. */
export interface ApiVersionStep {
  /** Kubernetes minor (the `N` of `1.N`) from which this apiVersion is used. */
  readonly since: number;
  readonly apiVersion: string;
}

/**
 * Per kind, the apiVersion steps in ascending `since` order. The first step is what
 * the oldest cluster the releases support (1.13) serves, and is used for any older
 * minor too; later steps start where Kubernetes made the newer version GA (beta
 * versions are kept while they still serve, so 1.13–1.15 clusters get exactly the
 * versions SPEC section 6 lists).
 */
export const API_VERSIONS: Readonly<Record<VersionedKind, readonly ApiVersionStep[]>> = {
  PodDisruptionBudget: [
    { since: OLDEST_MINOR, apiVersion: 'policy/v1beta1' },
    { since: 21, apiVersion: 'policy/v1' },
  ],
  HorizontalPodAutoscaler: [
    { since: OLDEST_MINOR, apiVersion: 'autoscaling/v2beta1' },
    { since: 23, apiVersion: 'autoscaling/v2' },
  ],
  MutatingWebhookConfiguration: [
    { since: OLDEST_MINOR, apiVersion: 'admissionregistration.k8s.io/v1beta1' },
    { since: 16, apiVersion: 'admissionregistration.k8s.io/v1' },
  ],
  ValidatingWebhookConfiguration: [
    { since: OLDEST_MINOR, apiVersion: 'admissionregistration.k8s.io/v1beta1' },
    { since: 16, apiVersion: 'admissionregistration.k8s.io/v1' },
  ],
  CustomResourceDefinition: [
    { since: OLDEST_MINOR, apiVersion: 'apiextensions.k8s.io/v1beta1' },
    { since: 16, apiVersion: 'apiextensions.k8s.io/v1' },
  ],
  Deployment: [{ since: OLDEST_MINOR, apiVersion: 'apps/v1' }],
  DaemonSet: [{ since: OLDEST_MINOR, apiVersion: 'apps/v1' }],
  ServiceAccount: [{ since: OLDEST_MINOR, apiVersion: 'v1' }],
  Service: [{ since: OLDEST_MINOR, apiVersion: 'v1' }],
  ConfigMap: [{ since: OLDEST_MINOR, apiVersion: 'v1' }],
  Secret: [{ since: OLDEST_MINOR, apiVersion: 'v1' }],
  Namespace: [{ since: OLDEST_MINOR, apiVersion: 'v1' }],
  Role: [{ since: OLDEST_MINOR, apiVersion: 'rbac.authorization.k8s.io/v1' }],
  RoleBinding: [{ since: OLDEST_MINOR, apiVersion: 'rbac.authorization.k8s.io/v1' }],
  ClusterRole: [{ since: OLDEST_MINOR, apiVersion: 'rbac.authorization.k8s.io/v1' }],
  ClusterRoleBinding: [{ since: OLDEST_MINOR, apiVersion: 'rbac.authorization.k8s.io/v1' }],
};

/**
 * Kubernetes minor of a `MAJOR.MINOR` (or `vMAJOR.MINOR.PATCH...`) version string.
 * Throws on anything else: a wrong version must not silently pick an API.
 */
export function kubernetesMinor(kubernetesVersion: string): number {
  const m = /^v?1\.(\d{1,3})(?:\.|$|-|\+)/.exec(kubernetesVersion.trim());
  if (!m) throw new Error(`not a Kubernetes 1.x version: '${kubernetesVersion}'`);
  return Number(m[1]);
}

/** The apiVersion a cluster of `kubernetesVersion` (`MAJOR.MINOR`) serves `kind` with. */
export function apiVersionFor(kind: VersionedKind, kubernetesVersion: string): string {
  const minor = kubernetesMinor(kubernetesVersion);
  const steps = API_VERSIONS[kind];
  let chosen = steps[0].apiVersion;
  for (const step of steps) {
    if (minor >= step.since) chosen = step.apiVersion;
  }
  return chosen;
}
