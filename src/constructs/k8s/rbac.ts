import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { apiVersionFor } from '../../catalog/api-versions';
import type { StringMap } from './types';

/** One RBAC rule: the verbs on resources of API groups (optionally named objects only). */
export interface PolicyRule {
  /** API groups; `''` is the core group. */
  readonly apiGroups: readonly string[];
  readonly resources: readonly string[];
  readonly verbs: readonly string[];
  readonly resourceNames?: readonly string[];
}

/** A ServiceAccount a role is bound to. */
export interface ServiceAccountRef {
  readonly name: string;
  readonly namespace: string;
}

export interface ClusterRoleProps {
  /** Name of the ClusterRole and of its ClusterRoleBinding. */
  readonly name: string;
  readonly labels?: StringMap;
  /** Explicit rules: grant only what the component needs. */
  readonly rules: readonly PolicyRule[];
  /** ServiceAccounts bound to the role; a ClusterRoleBinding of the same name is created when non-empty. */
  readonly serviceAccounts: readonly ServiceAccountRef[];
  /** Kubernetes `MAJOR.MINOR`; default `1.13`. */
  readonly kubernetesVersion?: string;
}

export interface RoleProps extends ClusterRoleProps {
  readonly namespace: string;
}

function renderRules(rules: readonly PolicyRule[]) {
  return rules.map((r) => ({
    apiGroups: [...r.apiGroups],
    resources: [...r.resources],
    resourceNames: r.resourceNames && r.resourceNames.length > 0 ? [...r.resourceNames] : undefined,
    verbs: [...r.verbs],
  }));
}

function subjects(sas: readonly ServiceAccountRef[]) {
  return sas.map((sa) => ({ kind: 'ServiceAccount', name: sa.name, namespace: sa.namespace }));
}

/** A ClusterRole with explicit rules, bound to ServiceAccounts by a ClusterRoleBinding of the same name. */
export class ClusterRole extends Construct {
  readonly name: string;
  readonly role: ApiObject;
  readonly binding?: ApiObject;

  constructor(scope: Construct, id: string, props: ClusterRoleProps) {
    super(scope, id);
    const v = props.kubernetesVersion ?? '1.13';
    const labels = props.labels ? { ...props.labels } : undefined;
    this.name = props.name;
    this.role = new ApiObject(this, 'Role', {
      apiVersion: apiVersionFor('ClusterRole', v),
      kind: 'ClusterRole',
      metadata: { name: props.name, labels },
      rules: renderRules(props.rules),
    });
    if (props.serviceAccounts.length > 0) {
      this.binding = new ApiObject(this, 'Binding', {
        apiVersion: apiVersionFor('ClusterRoleBinding', v),
        kind: 'ClusterRoleBinding',
        metadata: { name: props.name, labels },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: props.name },
        subjects: subjects(props.serviceAccounts),
      });
    }
  }
}

/** A namespaced Role with explicit rules, bound to ServiceAccounts by a RoleBinding of the same name. */
export class Role extends Construct {
  readonly name: string;
  readonly role: ApiObject;
  readonly binding?: ApiObject;

  constructor(scope: Construct, id: string, props: RoleProps) {
    super(scope, id);
    const v = props.kubernetesVersion ?? '1.13';
    const labels = props.labels ? { ...props.labels } : undefined;
    this.name = props.name;
    this.role = new ApiObject(this, 'Role', {
      apiVersion: apiVersionFor('Role', v),
      kind: 'Role',
      metadata: { name: props.name, namespace: props.namespace, labels },
      rules: renderRules(props.rules),
    });
    if (props.serviceAccounts.length > 0) {
      this.binding = new ApiObject(this, 'Binding', {
        apiVersion: apiVersionFor('RoleBinding', v),
        kind: 'RoleBinding',
        metadata: { name: props.name, namespace: props.namespace, labels },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: props.name },
        subjects: subjects(props.serviceAccounts),
      });
    }
  }
}
