/**
 * Google identities of in-cluster components that call Google APIs, as data (SPEC §12).
 * GKE node pools run the GKE metadata server (Workload Identity), so such a pod calls
 * Google as its Kubernetes service account, which has no Google identity of its own: it
 * is annotated with a Google service account (GSA), the GSA gets the roles the calls
 * need, and the Kubernetes service account may act as the GSA
 * (`roles/iam.workloadIdentityUser` for `serviceAccount:POOL[NAMESPACE/KSA]`).
 */
import type { ComponentId } from './components';

/** Annotation of a Kubernetes service account naming the GSA it acts as. */
export const GSA_ANNOTATION = 'iam.gke.io/gcp-service-account';
/** Lets a Workload Identity member act as the GSA. */
export const WORKLOAD_IDENTITY_USER_ROLE = 'roles/iam.workloadIdentityUser';

export interface GoogleIdentitySpec {
  /** The component whose Kubernetes service account acts as the GSA. */
  readonly component: ComponentId;
  /**
   * GSA account ID (6–30 characters). One per project, not per cluster: Workload
   * Identity names a Kubernetes service account by project pool, namespace and name, so
   * every cluster of a project shares `POOL[istio-system/promsd]` anyway.
   */
  readonly accountId: string;
  readonly displayName: string;
  /** Project roles the component's calls need. */
  readonly roles: readonly string[];
}

/** promsd's stackdriver-prometheus-sidecar writes time series to Cloud Monitoring. */
export const PROMSD_GOOGLE_IDENTITY: GoogleIdentitySpec = {
  component: 'promsd',
  accountId: 'asm-promsd',
  displayName: 'ASM promsd (Stackdriver Prometheus sidecar)',
  roles: ['roles/monitoring.metricWriter'],
};

/** The email of a project's Google service account. */
export function serviceAccountEmail(accountId: string, projectId: string): string {
  return `${accountId}@${projectId}.iam.gserviceaccount.com`;
}
