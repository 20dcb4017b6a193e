import { Construct } from 'constructs';
import { ClusterRole, ClusterRoleBinding, User } from 'cdk8s-plus-27';

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
    // cdk8s-plus-27's RBAC renders rbac.authorization.k8s.io/v1, which every supported
    // cluster (1.13 on) serves.
    const binding = new ClusterRoleBinding(this, 'binding', {
      metadata: { name: 'cluster-admin-binding' },
      role: ClusterRole.fromClusterRoleName(this, 'cluster-admin', 'cluster-admin'),
    });
    binding.addSubjects(User.fromName(this, 'user', props.user));
  }
}
