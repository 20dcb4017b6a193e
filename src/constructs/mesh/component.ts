/**
 * The skeleton every mesh component builds from its catalog entry (`COMPONENTS`):
 * ServiceAccount, RBAC bound to it, the workload with the catalog's labels, selector,
 * service account, replicas and spreading, the Service with exactly the catalog's
 * ports, and the PodDisruptionBudget and HorizontalPodAutoscaler the catalog gives it.
 *
 * `MeshComponentParts` is not a construct: each method adds one builder from
 * `../k8s` to the component's own scope under a fixed id (`ServiceAccount`,
 * `ClusterRole`, `Deployment`, `Service`, `Pdb`, `Hpa`). Components call the methods
 * in the order their objects are rendered in, and pass only what is specific to
 * them: containers, volumes, rules.
 */
import type { Construct } from 'constructs';
import { ISTIO_NAMESPACE, type AvailabilitySpec, type ComponentSpec, type ContainerResources, type ServiceSpec } from '../../catalog/components';
import { ClusterRole, DaemonSet, Deployment, HorizontalPodAutoscaler, PodDisruptionBudget, Role, Service, ServiceAccount } from '../k8s';
import type { DaemonSetProps, DeploymentProps, PolicyRule, ServiceAccountRef, ServiceProps, StringMap, WorkloadProps } from '../k8s';
import { clusterRoleName } from './control-plane-proxy';

/** Workload props the catalog entry fixes; a component passes the rest. */
type CatalogWorkloadKeys = 'name' | 'namespace' | 'kubernetesVersion' | 'labels' | 'selector' | 'serviceAccountName';

/** What a component gives for its Deployment: containers, volumes... (replicas and spreading come from the catalog). */
export type MeshDeploymentProps = Omit<DeploymentProps, CatalogWorkloadKeys | 'replicas' | 'antiAffinity'>;

/** What a component gives for its DaemonSet. */
export type MeshDaemonSetProps = Omit<DaemonSetProps, CatalogWorkloadKeys>;

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
    checkAvailability(spec);
  }

  /** The component's labels (on every object it renders). */
  get labels(): StringMap {
    return this.spec.labels;
  }

  /** ServiceAccount `spec.serviceAccount` (id `ServiceAccount`). */
  serviceAccount(annotations?: StringMap): ServiceAccount {
    return new ServiceAccount(this.scope, 'ServiceAccount', {
      name: this.spec.serviceAccount,
      namespace: ISTIO_NAMESPACE,
      labels: this.spec.labels,
      annotations,
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

  /** Requests and limits of one of the component's containers, from the catalog. */
  resources(container: string): ContainerResources {
    const r = this.spec.resources[container];
    if (!r) throw new Error(`${this.spec.workloadName}: the catalog gives container ${container} no resources`);
    return r;
  }

  /**
   * The component's Deployment (id `Deployment`): catalog name, labels, selector,
   * service account, replica count (none when an HPA scales it) and spreading, plus `props`.
   */
  deployment(props: MeshDeploymentProps): Deployment {
    const workload = this.workloadProps('Deployment');
    const a = this.availability();
    return new Deployment(this.scope, 'Deployment', {
      ...workload,
      ...props,
      replicas: a.autoscale ? undefined : a.replicas,
      antiAffinity: a.spreadOverNodes ? { mode: 'preferred' } : undefined,
    });
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

  /** The component's PodDisruptionBudget (id `Pdb`), when the catalog gives it one. */
  podDisruptionBudget(): PodDisruptionBudget | undefined {
    const budget = this.spec.availability?.disruptionBudget;
    if (!budget) return undefined;
    return new PodDisruptionBudget(this.scope, 'Pdb', {
      name: budget.name ?? this.spec.workloadName,
      namespace: ISTIO_NAMESPACE,
      kubernetesVersion: this.kubernetesVersion,
      labels: this.spec.labels,
      selector: this.spec.labels,
      minAvailable: budget.minAvailable,
    });
  }

  /** The HorizontalPodAutoscaler of the component's Deployment (id `Hpa`), when the catalog gives it one. */
  horizontalPodAutoscaler(): HorizontalPodAutoscaler | undefined {
    const autoscale = this.spec.availability?.autoscale;
    if (!autoscale) return undefined;
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

  private availability(): AvailabilitySpec {
    const a = this.spec.availability;
    if (!a) throw new Error(`${this.spec.workloadName}: the catalog gives it no replicas`);
    return a;
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

/** The fewest pods a component's Deployment runs: its fixed replicas or the HPA minimum. */
export function minimumReplicas(a: AvailabilitySpec): number {
  return a.autoscale ? a.autoscale.minReplicas : a.replicas ?? 1;
}

/**
 * A catalog availability entry must be coherent: replicas or an HPA (not both), and a
 * PodDisruptionBudget only where more pods always run than it keeps available (else
 * it blocks every node drain).
 */
export function checkAvailability(spec: ComponentSpec): void {
  const a = spec.availability;
  if (!a) return;
  if ((a.replicas === undefined) === (a.autoscale === undefined)) {
    throw new Error(`${spec.workloadName}: give the catalog replicas or autoscale, exactly one`);
  }
  const budget = a.disruptionBudget;
  if (budget && budget.minAvailable >= minimumReplicas(a)) {
    throw new Error(
      `${spec.workloadName}: a PodDisruptionBudget of minAvailable ${budget.minAvailable} with ${minimumReplicas(a)} pod(s) would block every node drain`,
    );
  }
}
