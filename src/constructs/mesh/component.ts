/**
 * The skeleton every mesh component builds from its catalog entry (`COMPONENTS`):
 * ServiceAccount, RBAC bound to it, the workload with the catalog's labels, selector
 * and service account, the Service with exactly the catalog's ports, and (when the
 * component has them) a PodDisruptionBudget and a HorizontalPodAutoscaler.
 *
 * `MeshComponentParts` is not a construct: each method adds one builder from
 * `../k8s` to the component's own scope under the id the components have always
 * used (`ServiceAccount`, `ClusterRole`, `Deployment`, `Service`, `Pdb`, `Hpa`), so
 * construct paths and rendered objects stay as they were. Components call the
 * methods in the order their objects are rendered in, and pass only what is
 * specific to them: containers, volumes, rules, replicas.
 */
import type { Construct } from 'constructs';
import { ISTIO_NAMESPACE, type ComponentSpec, type ServiceSpec } from '../../catalog/components';
import { ClusterRole, DaemonSet, Deployment, HorizontalPodAutoscaler, PodDisruptionBudget, Role, Service, ServiceAccount } from '../k8s';
import type { DaemonSetProps, DeploymentProps, PolicyRule, ServiceAccountRef, ServiceProps, StringMap, WorkloadProps } from '../k8s';
import { clusterRoleName } from './control-plane-proxy';

/** Workload props the catalog entry fixes; a component passes the rest. */
type CatalogWorkloadKeys = 'name' | 'namespace' | 'kubernetesVersion' | 'labels' | 'selector' | 'serviceAccountName';

/** What a component gives for its Deployment: containers, volumes, replicas, affinity... */
export type MeshDeploymentProps = Omit<DeploymentProps, CatalogWorkloadKeys>;

/** What a component gives for its DaemonSet. */
export type MeshDaemonSetProps = Omit<DaemonSetProps, CatalogWorkloadKeys>;

/** HPA bounds and CPU target. */
export interface MeshAutoscale {
  readonly minReplicas: number;
  readonly maxReplicas: number;
  /** Target average CPU utilization in percent of requests. */
  readonly cpuTargetAverageUtilization: number;
}

/** Options of a component's PodDisruptionBudget. */
export interface MeshPdbOptions {
  /** Object name; default the workload name. */
  readonly name?: string;
  /** Pod labels the budget covers; default the component's labels (as Istio 1.4's charts). */
  readonly selector?: StringMap;
  /** Default 1. */
  readonly minAvailable?: number | string;
}

/** Builds a mesh component's catalog-derived objects in the component's scope (namespace `istio-system`). */
export class MeshComponentParts {
  /** The ServiceAccount the component's pods run as, as an RBAC subject. */
  readonly serviceAccountRef: ServiceAccountRef;

  constructor(
    private readonly scope: Construct,
    /** The component's catalog entry. */
    readonly spec: ComponentSpec,
    /** Kubernetes `MAJOR.MINOR` of the target cluster. */
    readonly kubernetesVersion: string,
  ) {
    this.serviceAccountRef = { name: spec.serviceAccount, namespace: ISTIO_NAMESPACE };
  }

  /** The component's labels (on every object it renders). */
  get labels(): StringMap {
    return this.spec.labels;
  }

  /** ServiceAccount `spec.serviceAccount` (id `ServiceAccount`). */
  serviceAccount(): ServiceAccount {
    return new ServiceAccount(this.scope, 'ServiceAccount', {
      name: this.spec.serviceAccount,
      namespace: ISTIO_NAMESPACE,
      labels: this.spec.labels,
      kubernetesVersion: this.kubernetesVersion,
    });
  }

  /** ClusterRole `<workload>-istio-system` with `rules`, bound to the component's ServiceAccount (id `ClusterRole`). */
  clusterRole(rules: readonly PolicyRule[]): ClusterRole {
    return new ClusterRole(this.scope, 'ClusterRole', {
      name: clusterRoleName(this.spec.workloadName),
      labels: this.spec.labels,
      rules,
      serviceAccounts: [this.serviceAccountRef],
      kubernetesVersion: this.kubernetesVersion,
    });
  }

  /** A Role in `istio-system` with `rules`, bound to the component's ServiceAccount. */
  role(id: string, props: { readonly name: string; readonly labels?: StringMap; readonly rules: readonly PolicyRule[] }): Role {
    return new Role(this.scope, id, {
      name: props.name,
      namespace: ISTIO_NAMESPACE,
      labels: props.labels ?? this.spec.labels,
      rules: props.rules,
      serviceAccounts: [this.serviceAccountRef],
      kubernetesVersion: this.kubernetesVersion,
    });
  }

  /** The component's Deployment (id `Deployment`): catalog name, labels, selector and service account, plus `props`. */
  deployment(props: MeshDeploymentProps): Deployment {
    return new Deployment(this.scope, 'Deployment', { ...this.workloadProps('Deployment'), ...props });
  }

  /** The component's DaemonSet (id `DaemonSet`): catalog name, labels, selector and service account, plus `props`. */
  daemonSet(props: MeshDaemonSetProps): DaemonSet {
    return new DaemonSet(this.scope, 'DaemonSet', { ...this.workloadProps('DaemonSet'), ...props });
  }

  /** The component's Service from its catalog entry (id `Service`), selecting the catalog selector. */
  service(options: Pick<ServiceProps, 'loadBalancerIP' | 'nodePorts'> = {}): Service {
    return new Service(this.scope, 'Service', {
      spec: this.serviceSpec(),
      namespace: ISTIO_NAMESPACE,
      selector: this.spec.selector,
      labels: this.spec.labels,
      ...options,
      kubernetesVersion: this.kubernetesVersion,
    });
  }

  /** The component's PodDisruptionBudget (id `Pdb`). */
  podDisruptionBudget(options: MeshPdbOptions = {}): PodDisruptionBudget {
    return new PodDisruptionBudget(this.scope, 'Pdb', {
      name: options.name ?? this.spec.workloadName,
      namespace: ISTIO_NAMESPACE,
      kubernetesVersion: this.kubernetesVersion,
      labels: this.spec.labels,
      selector: options.selector ?? this.spec.labels,
      minAvailable: options.minAvailable,
    });
  }

  /** The HorizontalPodAutoscaler of the component's Deployment (id `Hpa`). */
  horizontalPodAutoscaler(autoscale: MeshAutoscale): HorizontalPodAutoscaler {
    return new HorizontalPodAutoscaler(this.scope, 'Hpa', {
      name: this.spec.workloadName,
      namespace: ISTIO_NAMESPACE,
      kubernetesVersion: this.kubernetesVersion,
      labels: this.spec.labels,
      target: { kind: 'Deployment', name: this.spec.workloadName },
      minReplicas: autoscale.minReplicas,
      maxReplicas: autoscale.maxReplicas,
      cpuTargetAverageUtilization: autoscale.cpuTargetAverageUtilization,
    });
  }

  private workloadProps(kind: ComponentSpec['workloadKind']): Pick<WorkloadProps, CatalogWorkloadKeys> {
    if (this.spec.workloadKind !== kind) {
      throw new Error(`${this.spec.workloadName}: the catalog makes it a ${this.spec.workloadKind}, not a ${kind}`);
    }
    return {
      name: this.spec.workloadName,
      namespace: ISTIO_NAMESPACE,
      kubernetesVersion: this.kubernetesVersion,
      labels: this.spec.labels,
      selector: this.spec.selector,
      serviceAccountName: this.spec.serviceAccount,
    };
  }

  private serviceSpec(): ServiceSpec {
    if (!this.spec.service) throw new Error(`${this.spec.workloadName}: the catalog gives it no Service`);
    return this.spec.service;
  }
}
