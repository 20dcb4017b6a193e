import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';

export interface ClusterAdminBindingProps {
  /** Email of the user who installs the mesh. */
  readonly user: string;
}

/**
 * `cluster-admin-binding`: the installing user must hold cluster-admin to create the
 * control plane's cluster roles (the seed's first install step on GKE and on-prem).
 */
export class ClusterAdminBinding extends Construct {
  constructor(scope: Construct, id: string, props: ClusterAdminBindingProps) {
    super(scope, id);
    new ApiObject(this, 'binding', {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      metadata: { name: 'cluster-admin-binding' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'cluster-admin' },
      subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: props.user }],
    });
  }
}
