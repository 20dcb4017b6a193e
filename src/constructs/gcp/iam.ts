import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';

/** What an IAM binding is on: today the project. */
export interface IamResource {
  readonly kind: 'Project';
  /** `projects/PROJECT_ID`. */
  readonly external: string;
}

export interface IamPolicyMemberProps {
  /** Config Connector object name. */
  readonly name: string;
  /** Project ID: the namespace the object lives in. */
  readonly projectId: string;
  /** `serviceAccount:EMAIL`, `user:EMAIL`, ... */
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
    new ApiObject(this, 'member', {
      apiVersion: 'iam.cnrm.cloud.google.com/v1beta1',
      kind: 'IAMPolicyMember',
      metadata: { name: props.name, namespace: props.projectId, ...(props.annotations ? { annotations: { ...props.annotations } } : {}) },
      spec: { member: props.member, role: props.role, resourceRef: { kind: props.resource.kind, external: props.resource.external } },
    });
  }
}

/** The project as an IAM resource. */
export function projectResource(projectId: string): IamResource {
  return { kind: 'Project', external: `projects/${projectId}` };
}
