import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { serviceAccountEmail } from '../../catalog/google-identities';

/** What an IAM binding is on: a project (by `projects/PROJECT_ID`) or a service account of the package (by object name). */
export type IamResource =
  | { readonly kind: 'Project'; /** `projects/PROJECT_ID`. */ readonly external: string }
  | { readonly kind: 'IAMServiceAccount'; /** The IAMServiceAccount's object name (its account ID). */ readonly name: string };

export interface IamPolicyMemberProps {
  /** Config Connector object name. */
  readonly name: string;
  /** Project ID: the namespace the object lives in. */
  readonly projectId: string;
  /** `serviceAccount:EMAIL`, `user:EMAIL`, `serviceAccount:POOL[NAMESPACE/KSA]`, ... */
  readonly member: string;
  readonly role: string;
  readonly resource: IamResource;
  /** Extra metadata annotations (e.g. where anthoscli places the resource). */
  readonly annotations?: Readonly<Record<string, string>>;
}

/**
 * One member of one role on a resource (Config Connector `IAMPolicyMember`): adds the
 * binding without owning the resource's whole policy, so other members stay.
 */
export class IamPolicyMember extends Construct {
  constructor(scope: Construct, id: string, props: IamPolicyMemberProps) {
    super(scope, id);
    const r = props.resource;
    new ApiObject(this, 'member', {
      apiVersion: 'iam.cnrm.cloud.google.com/v1beta1',
      kind: 'IAMPolicyMember',
      metadata: { name: props.name, namespace: props.projectId, ...(props.annotations ? { annotations: { ...props.annotations } } : {}) },
      spec: {
        member: props.member,
        role: props.role,
        resourceRef: r.kind === 'Project' ? { kind: r.kind, external: r.external } : { kind: r.kind, name: r.name },
      },
    });
  }
}

/** The project as an IAM resource. */
export function projectResource(projectId: string): IamResource {
  return { kind: 'Project', external: `projects/${projectId}` };
}

export interface IamServiceAccountProps {
  /** Account ID (6–30 characters), also the object name. */
  readonly accountId: string;
  /** Project ID: the namespace the object lives in and the project of the account. */
  readonly projectId: string;
  readonly displayName: string;
  readonly description?: string;
  readonly annotations?: Readonly<Record<string, string>>;
}

/** A Google service account (Config Connector `IAMServiceAccount`). */
export class IamServiceAccount extends Construct {
  /** `ACCOUNT_ID@PROJECT_ID.iam.gserviceaccount.com`. */
  readonly email: string;

  constructor(scope: Construct, id: string, props: IamServiceAccountProps) {
    super(scope, id);
    this.email = serviceAccountEmail(props.accountId, props.projectId);
    new ApiObject(this, 'account', {
      apiVersion: 'iam.cnrm.cloud.google.com/v1beta1',
      kind: 'IAMServiceAccount',
      metadata: { name: props.accountId, namespace: props.projectId, ...(props.annotations ? { annotations: { ...props.annotations } } : {}) },
      spec: { displayName: props.displayName, ...(props.description ? { description: props.description } : {}) },
    });
  }
}

/** The IAM member a Kubernetes service account is under Workload Identity: `serviceAccount:POOL[NAMESPACE/KSA]`. */
export function workloadIdentityMember(workloadPool: string, namespace: string, kubernetesServiceAccount: string): string {
  return `serviceAccount:${workloadPool}[${namespace}/${kubernetesServiceAccount}]`;
}
