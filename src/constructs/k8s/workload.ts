import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { apiVersionFor } from '../../catalog/api-versions';
import type { Container, PodSecurityContext, StringMap, Toleration, Volume } from './types';

/** How pods of a workload are spread over nodes. */
export interface AntiAffinity {
  /** `preferred` spreads when possible; `required` never puts two pods on one node. */
  readonly mode: 'preferred' | 'required';
  /** Node-level topology key; default `kubernetes.io/hostname`. */
  readonly topologyKey?: string;
}

/** Props shared by Deployments and DaemonSets. */
export interface WorkloadProps {
  /** Object name. */
  readonly name: string;
  readonly namespace: string;
  /** Kubernetes `MAJOR.MINOR` of the target cluster; picks the apiVersion. */
  readonly kubernetesVersion: string;
  /** Labels of the workload object and its pods. Must include `selector`. */
  readonly labels: StringMap;
  /** Labels the workload selects its pods by. */
  readonly selector: StringMap;
  /** Pod annotations; `sidecar.istio.io/inject: "false"` is added unless `injectSidecar`. */
  readonly podAnnotations?: StringMap;
  /** Let the sidecar injector inject this pod (default false for mesh components). */
  readonly injectSidecar?: boolean;
  readonly serviceAccountName: string;
  readonly containers: readonly Container[];
  readonly initContainers?: readonly Container[];
  readonly volumes?: readonly Volume[];
  /** Spread pods across nodes by `selector`. Default: none. */
  readonly antiAffinity?: AntiAffinity;
  /** Require an architecture Istio 1.4 builds for (amd64, ppc64le, s390x), as its charts did. Default true. */
  readonly archAffinity?: boolean;
  readonly nodeSelector?: StringMap;
  readonly tolerations?: readonly Toleration[];
  readonly priorityClassName?: string;
  readonly securityContext?: PodSecurityContext;
  readonly hostNetwork?: boolean;
  readonly dnsPolicy?: 'ClusterFirst' | 'ClusterFirstWithHostNet' | 'Default' | 'None';
  readonly terminationGracePeriodSeconds?: number;
}

export interface DeploymentProps extends WorkloadProps {
  /** Fixed replica count; omit when an HPA scales the Deployment. */
  readonly replicas?: number;
  /** Rolling update bounds; default maxSurge `100%`, maxUnavailable `25%` (Istio 1.4). */
  readonly rollingUpdate?: { readonly maxSurge?: string | number; readonly maxUnavailable?: string | number };
}

export interface DaemonSetProps extends WorkloadProps {
  /** Rolling update maxUnavailable; default 1. */
  readonly maxUnavailable?: string | number;
}

const ARCHES = ['amd64', 'ppc64le', 's390x'];

function archAffinity() {
  return {
    requiredDuringSchedulingIgnoredDuringExecution: {
      nodeSelectorTerms: [{ matchExpressions: [{ key: 'beta.kubernetes.io/arch', operator: 'In', values: ARCHES }] }],
    },
    preferredDuringSchedulingIgnoredDuringExecution: ARCHES.map((arch) => ({
      weight: 2,
      preference: { matchExpressions: [{ key: 'beta.kubernetes.io/arch', operator: 'In', values: [arch] }] },
    })),
  };
}

function podAntiAffinity(a: AntiAffinity, selector: StringMap) {
  const term = { labelSelector: { matchLabels: { ...selector } }, topologyKey: a.topologyKey ?? 'kubernetes.io/hostname' };
  return a.mode === 'required'
    ? { requiredDuringSchedulingIgnoredDuringExecution: [term] }
    : { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 100, podAffinityTerm: term }] };
}

function nonEmpty<T>(xs: readonly T[] | undefined): T[] | undefined {
  return xs && xs.length > 0 ? [...xs] : undefined;
}

function renderContainer(c: Container) {
  return {
    name: c.name,
    image: c.image,
    imagePullPolicy: c.imagePullPolicy ?? 'IfNotPresent',
    command: nonEmpty(c.command),
    args: nonEmpty(c.args),
    env: nonEmpty(c.env),
    ports: nonEmpty(c.ports),
    readinessProbe: c.readinessProbe,
    livenessProbe: c.livenessProbe,
    resources: c.resources,
    volumeMounts: nonEmpty(c.volumeMounts),
    securityContext: c.securityContext,
  };
}

function checkSelector(props: WorkloadProps): void {
  for (const [k, v] of Object.entries(props.selector)) {
    if (props.labels[k] !== v) {
      throw new Error(`${props.name}: pod labels must include selector ${k}=${v}`);
    }
  }
}

/** The pod template of a workload. */
export function podTemplate(props: WorkloadProps) {
  checkSelector(props);
  const annotations: Record<string, string> = {};
  if (!props.injectSidecar) annotations['sidecar.istio.io/inject'] = 'false';
  Object.assign(annotations, props.podAnnotations ?? {});
  const affinity: Record<string, unknown> = {};
  if (props.archAffinity ?? true) affinity.nodeAffinity = archAffinity();
  if (props.antiAffinity) affinity.podAntiAffinity = podAntiAffinity(props.antiAffinity, props.selector);
  return {
    metadata: {
      labels: { ...props.labels },
      annotations: Object.keys(annotations).length > 0 ? annotations : undefined,
    },
    spec: {
      serviceAccountName: props.serviceAccountName,
      priorityClassName: props.priorityClassName,
      hostNetwork: props.hostNetwork,
      dnsPolicy: props.dnsPolicy,
      securityContext: props.securityContext,
      terminationGracePeriodSeconds: props.terminationGracePeriodSeconds,
      initContainers: nonEmpty(props.initContainers?.map(renderContainer)),
      containers: props.containers.map(renderContainer),
      volumes: nonEmpty(props.volumes),
      affinity: Object.keys(affinity).length > 0 ? affinity : undefined,
      nodeSelector: props.nodeSelector && Object.keys(props.nodeSelector).length > 0 ? { ...props.nodeSelector } : undefined,
      tolerations: nonEmpty(props.tolerations),
    },
  };
}

/** An apps/v1 Deployment built from typed props, with only fields Kubernetes 1.13 knows. */
export class Deployment extends Construct {
  readonly name: string;
  readonly namespace: string;
  readonly selector: StringMap;
  readonly apiObject: ApiObject;

  constructor(scope: Construct, id: string, props: DeploymentProps) {
    super(scope, id);
    this.name = props.name;
    this.namespace = props.namespace;
    this.selector = props.selector;
    this.apiObject = new ApiObject(this, 'Resource', {
      apiVersion: apiVersionFor('Deployment', props.kubernetesVersion),
      kind: 'Deployment',
      metadata: { name: props.name, namespace: props.namespace, labels: { ...props.labels } },
      spec: {
        replicas: props.replicas,
        selector: { matchLabels: { ...props.selector } },
        strategy: {
          rollingUpdate: {
            maxSurge: props.rollingUpdate?.maxSurge ?? '100%',
            maxUnavailable: props.rollingUpdate?.maxUnavailable ?? '25%',
          },
        },
        template: podTemplate(props),
      },
    });
  }
}

/** An apps/v1 DaemonSet built from typed props, with only fields Kubernetes 1.13 knows. */
export class DaemonSet extends Construct {
  readonly name: string;
  readonly namespace: string;
  readonly selector: StringMap;
  readonly apiObject: ApiObject;

  constructor(scope: Construct, id: string, props: DaemonSetProps) {
    super(scope, id);
    this.name = props.name;
    this.namespace = props.namespace;
    this.selector = props.selector;
    this.apiObject = new ApiObject(this, 'Resource', {
      apiVersion: apiVersionFor('DaemonSet', props.kubernetesVersion),
      kind: 'DaemonSet',
      metadata: { name: props.name, namespace: props.namespace, labels: { ...props.labels } },
      spec: {
        selector: { matchLabels: { ...props.selector } },
        updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: props.maxUnavailable ?? 1 } },
        template: podTemplate(props),
      },
    });
  }
}
