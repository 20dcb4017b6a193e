import { Construct } from 'constructs';
import { WORKLOAD_IDENTITY_USER_ROLE, type GoogleIdentitySpec } from '../../catalog/google-identities';
import { IamPolicyMember, IamServiceAccount, projectResource, workloadIdentityMember } from './iam';

export interface WorkloadGoogleIdentityProps {
  readonly projectId: string;
  /** Workload Identity pool, `PROJECT_ID.svc.id.goog`. */
  readonly workloadPool: string;
  readonly identity: GoogleIdentitySpec;
  /** Namespace and name of the Kubernetes service account that acts as the GSA. */
  readonly namespace: string;
  readonly kubernetesServiceAccount: string;
  /** Extra metadata annotations of every object (e.g. where anthoscli places it). */
  readonly annotations?: Readonly<Record<string, string>>;
}

/** The last segment of a role, for object names: `roles/monitoring.metricWriter` -> `metric-writer`. */
function roleSlug(role: string): string {
  const last = role.split('/').pop()!.split('.').pop()!;
  return last.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

/**
 * A Google identity for a Kubernetes service account under Workload Identity, as
 * Config Connector resources: the GSA, its project roles, and the binding that lets
 * the Kubernetes service account act as it. The GSA is the project's (every cluster of
 * the project shares the Kubernetes identity), so deleting one cluster's package
 * abandons these objects rather than deleting what the project's other clusters use.
 */
export class WorkloadGoogleIdentity extends Construct {
  /** The GSA's email, for the `iam.gke.io/gcp-service-account` annotation. */
  readonly email: string;

  constructor(scope: Construct, id: string, props: WorkloadGoogleIdentityProps) {
    super(scope, id);
    const { identity, projectId } = props;
    const annotations = { 'cnrm.cloud.google.com/deletion-policy': 'abandon', ...(props.annotations ?? {}) };
    const gsa = new IamServiceAccount(this, 'account', { accountId: identity.accountId, projectId, displayName: identity.displayName, annotations });
    this.email = gsa.email;
    for (const role of identity.roles) {
      new IamPolicyMember(this, `role-${roleSlug(role)}`, {
        name: `${identity.accountId}-${roleSlug(role)}`,
        projectId,
        member: `serviceAccount:${gsa.email}`,
        role,
        resource: projectResource(projectId),
        annotations,
      });
    }
    new IamPolicyMember(this, 'workload-identity-user', {
      name: `${identity.accountId}-${roleSlug(WORKLOAD_IDENTITY_USER_ROLE)}`,
      projectId,
      member: workloadIdentityMember(props.workloadPool, props.namespace, props.kubernetesServiceAccount),
      role: WORKLOAD_IDENTITY_USER_ROLE,
      resource: { kind: 'IAMServiceAccount', name: identity.accountId },
      annotations,
    });
  }
}
