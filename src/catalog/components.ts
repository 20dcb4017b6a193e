/**
 * In-cluster components of an ASM 1.4.6 install and their Services, as data
 * (SPEC section 5). The port table of the seed is the contract: constructs render
 * Services from here and never invent ports. Names, labels and selectors are those
 * Istio 1.4 used, so tools that look for `istio=pilot` etc. keep working.
 */
import type { ReleaseImages } from './release';

/** The namespace every mesh component runs in. */
export const ISTIO_NAMESPACE = 'istio-system';

/** The `release` label Istio 1.4 put on everything it installed. */
export const ISTIO_RELEASE_LABEL = 'istio';

/** One port of a component's Service. */
export interface ServicePortSpec {
  /** Port name; Istio picks the protocol from the prefix (`http-`, `grpc-`, `https-`, `tcp-`, `tls`). */
  readonly name: string;
  /** Port the Service exposes. */
  readonly port: number;
  /** Port of the pod the traffic goes to. */
  readonly targetPort: number;
  readonly protocol: 'TCP' | 'UDP';
}

/** A component's Service. */
export interface ServiceSpec {
  readonly name: string;
  readonly type: 'ClusterIP' | 'LoadBalancer' | 'NodePort';
  readonly ports: readonly ServicePortSpec[];
}

/** CPU/memory quantities of a container, e.g. `{ cpu: '100m', memory: '128Mi' }`. */
export interface ResourceFigures {
  readonly cpu: string;
  readonly memory: string;
}

/** Requests and limits of a container: every mesh container has both. */
export interface ContainerResources {
  readonly requests: ResourceFigures;
  readonly limits: ResourceFigures;
}

/** HPA bounds and CPU target of a Deployment an HPA scales. */
export interface AutoscaleSpec {
  readonly minReplicas: number;
  readonly maxReplicas: number;
  /** Target average CPU utilization in percent of requests. */
  readonly cpuTargetAverageUtilization: number;
}

/**
 * How many pods of a Deployment run and how they survive voluntary disruptions
 * (node drains, upgrades). A PodDisruptionBudget is rendered only for components
 * that always run more pods than it keeps available, so it never blocks a drain.
 */
export interface AvailabilitySpec {
  /** Fixed replica count; absent when `autoscale` is given (the HPA owns the count). */
  readonly replicas?: number;
  readonly autoscale?: AutoscaleSpec;
  /** PodDisruptionBudget; absent for singletons. */
  readonly disruptionBudget?: {
    readonly minAvailable: number;
    /** Object name; default the workload name. It covers the component's `labels` (as Istio 1.4's budgets). */
    readonly name?: string;
  };
  /** Spread the replicas over nodes (pod anti-affinity by hostname, preferred). */
  readonly spreadOverNodes?: boolean;
}

/** Identifiers of the in-cluster components. */
export type ComponentId =
  | 'galley'
  | 'pilot'
  | 'sidecarInjector'
  | 'ingressGateway'
  | 'egressGateway'
  | 'promsd'
  | 'citadel'
  | 'nodeAgent';

export interface ComponentSpec {
  readonly id: ComponentId;
  /** Workload (Deployment or DaemonSet) name. */
  readonly workloadName: string;
  readonly workloadKind: 'Deployment' | 'DaemonSet';
  /** Platforms the component runs on; `optional` components only when asked for. */
  readonly platforms: readonly ('gke' | 'onprem')[];
  readonly optional?: boolean;
  /** ServiceAccount the pods run as. */
  readonly serviceAccount: string;
  /** Release image of the main container. */
  readonly image: keyof ReleaseImages | 'external';
  /** Labels the Service and PDB select pods by. */
  readonly selector: Readonly<Record<string, string>>;
  /** Labels of the pods and of every object of the component (a superset of `selector`). */
  readonly labels: Readonly<Record<string, string>>;
  /** The component's Service; absent for the node agent (a DaemonSet without one). */
  readonly service?: ServiceSpec;
  /** Replicas, HPA, PDB and spreading of a Deployment; absent for the node agent (a DaemonSet). */
  readonly availability?: AvailabilitySpec;
  /** Requests and limits by container name. */
  readonly resources: Readonly<Record<string, ContainerResources>>;
}

function tcp(name: string, port: number, targetPort = port): ServicePortSpec {
  return { name, port, targetPort, protocol: 'TCP' };
}

function labels(app: string, istio?: string): Record<string, string> {
  return istio ? { app, istio, release: ISTIO_RELEASE_LABEL } : { app, release: ISTIO_RELEASE_LABEL };
}

function resources(requests: ResourceFigures, limits: ResourceFigures): ContainerResources {
  return { requests, limits };
}

/** Envoy (istio-proxy) of sidecars, gateways and the pilot and galley pods (Istio 1.4's `global.proxy.resources`). */
export const PROXY_RESOURCES = resources({ cpu: '100m', memory: '128Mi' }, { cpu: '2000m', memory: '1024Mi' });

/** Istio 1.4's HPA bounds and CPU target, with at least two pods where users depend on the component. */
const HA_AUTOSCALE: AutoscaleSpec = { minReplicas: 2, maxReplicas: 5, cpuTargetAverageUtilization: 80 };

/**
 * Galley's plain MCP (gRPC) port: galley binds it to 127.0.0.1 (`--server-address`), so
 * only its pod's Envoy, which serves it with mutual TLS on 15019, can reach it.
 */
export const GALLEY_LOCAL_MCP_PORT = 9901;

/**
 * Where pilot's Envoy offers galley's MCP to pilot inside pilot's pod (Istio 1.4's
 * `localhost:15019` config source), dialling galley's 15019 with mutual TLS.
 */
export const PILOT_LOCAL_GALLEY_PORT = 15019;

/** Two pods spread over nodes, one of which a drain may evict at a time. */
const HA_BUDGET = { minAvailable: 1 } as const;

/** Every component of the release. Service ports exactly per SPEC section 5. */
export const COMPONENTS: Readonly<Record<ComponentId, ComponentSpec>> = {
  galley: {
    id: 'galley',
    workloadName: 'istio-galley',
    workloadKind: 'Deployment',
    platforms: ['gke', 'onprem'],
    serviceAccount: 'istio-galley-service-account',
    image: 'galley',
    selector: { istio: 'galley' },
    labels: labels('galley', 'galley'),
    service: {
      name: 'istio-galley',
      type: 'ClusterIP',
      ports: [
        // validation webhook; galley listens on 9443 (--validation-port)
        tcp('https-validation', 443, 9443),
        tcp('http-monitoring', 15014),
        // MCP through the galley pod's Envoy, mutual TLS only. Galley's plain MCP
        // (GALLEY_LOCAL_MCP_PORT) is bound to localhost and no Service port: the seed's
        // table lists 9901 here, a deliberate difference (docs/upstream-differences.md).
        tcp('grpc-tls-mcp', 15019),
      ],
    },
    // validates every Istio config write: two pods, so a drain never leaves it without one
    availability: { replicas: 2, disruptionBudget: HA_BUDGET, spreadOverNodes: true },
    resources: {
      galley: resources({ cpu: '100m', memory: '128Mi' }, { cpu: '1000m', memory: '1024Mi' }),
      'istio-proxy': PROXY_RESOURCES,
    },
  },
  pilot: {
    id: 'pilot',
    workloadName: 'istio-pilot',
    workloadKind: 'Deployment',
    platforms: ['gke', 'onprem'],
    serviceAccount: 'istio-pilot-service-account',
    image: 'pilot',
    selector: { istio: 'pilot' },
    labels: labels('pilot', 'pilot'),
    service: {
      name: 'istio-pilot',
      type: 'ClusterIP',
      ports: [
        tcp('grpc-xds', 15010),
        // mTLS xDS, terminated by the pilot pod's Envoy
        tcp('https-xds', 15011),
        tcp('http-legacy-discovery', 8080),
        tcp('http-monitoring', 15014),
      ],
    },
    availability: { autoscale: HA_AUTOSCALE, disruptionBudget: HA_BUDGET, spreadOverNodes: true },
    resources: {
      discovery: resources({ cpu: '500m', memory: '2048Mi' }, { cpu: '2000m', memory: '4096Mi' }),
      'istio-proxy': PROXY_RESOURCES,
    },
  },
  sidecarInjector: {
    id: 'sidecarInjector',
    workloadName: 'istio-sidecar-injector',
    workloadKind: 'Deployment',
    platforms: ['gke', 'onprem'],
    serviceAccount: 'istio-sidecar-injector-service-account',
    image: 'sidecarInjector',
    selector: { istio: 'sidecar-injector' },
    labels: labels('sidecarInjectorWebhook', 'sidecar-injector'),
    service: {
      name: 'istio-sidecar-injector',
      type: 'ClusterIP',
      // the injector listens on 9443 (--port): a non-root process cannot bind 443
      ports: [tcp('https-inject', 443, 9443)],
    },
    // every pod creation in an injected namespace waits for it (failurePolicy Fail)
    availability: { replicas: 2, disruptionBudget: HA_BUDGET, spreadOverNodes: true },
    resources: {
      'sidecar-injector-webhook': resources({ cpu: '10m', memory: '64Mi' }, { cpu: '500m', memory: '512Mi' }),
    },
  },
  ingressGateway: {
    id: 'ingressGateway',
    workloadName: 'istio-ingressgateway',
    workloadKind: 'Deployment',
    platforms: ['gke', 'onprem'],
    serviceAccount: 'istio-ingressgateway-service-account',
    image: 'proxy',
    selector: { app: 'istio-ingressgateway', istio: 'ingressgateway' },
    labels: labels('istio-ingressgateway', 'ingressgateway'),
    service: {
      name: 'istio-ingressgateway',
      type: 'LoadBalancer',
      ports: [
        tcp('status-port', 15020),
        tcp('http2', 80),
        tcp('https', 443),
        // names as istioctl 1.4's profiles (which ASM installs with) give them
        tcp('kiali', 15029),
        tcp('prometheus', 15030),
        tcp('grafana', 15031),
        tcp('tracing', 15032),
        tcp('tls', 15443),
      ],
    },
    availability: { autoscale: HA_AUTOSCALE, disruptionBudget: { ...HA_BUDGET, name: 'ingressgateway' }, spreadOverNodes: true },
    resources: {
      'ingress-sds': resources({ cpu: '100m', memory: '128Mi' }, { cpu: '2000m', memory: '1024Mi' }),
      'istio-proxy': PROXY_RESOURCES,
    },
  },
  egressGateway: {
    id: 'egressGateway',
    workloadName: 'istio-egressgateway',
    workloadKind: 'Deployment',
    platforms: ['gke', 'onprem'],
    optional: true,
    serviceAccount: 'istio-egressgateway-service-account',
    image: 'proxy',
    selector: { app: 'istio-egressgateway', istio: 'egressgateway' },
    labels: labels('istio-egressgateway', 'egressgateway'),
    service: {
      name: 'istio-egressgateway',
      type: 'ClusterIP',
      ports: [tcp('http2', 80), tcp('https', 443), tcp('tls', 15443)],
    },
    // optional and usually idle: one pod the HPA may add to; no budget, which would block drains at one pod
    availability: { autoscale: { minReplicas: 1, maxReplicas: 5, cpuTargetAverageUtilization: 80 } },
    resources: { 'istio-proxy': PROXY_RESOURCES },
  },
  promsd: {
    id: 'promsd',
    workloadName: 'promsd',
    workloadKind: 'Deployment',
    platforms: ['gke', 'onprem'],
    serviceAccount: 'promsd',
    image: 'external',
    selector: { app: 'promsd' },
    labels: labels('promsd'),
    service: {
      name: 'promsd',
      type: 'ClusterIP',
      ports: [tcp('http-promsd', 9090)],
    },
    // one Prometheus (its samples are in an emptyDir): no budget
    availability: { replicas: 1 },
    resources: {
      prometheus: resources({ cpu: '50m', memory: '512Mi' }, { cpu: '1000m', memory: '2048Mi' }),
      'stackdriver-prometheus-sidecar': resources({ cpu: '10m', memory: '64Mi' }, { cpu: '200m', memory: '512Mi' }),
    },
  },
  citadel: {
    id: 'citadel',
    workloadName: 'istio-citadel',
    workloadKind: 'Deployment',
    platforms: ['onprem'],
    serviceAccount: 'istio-citadel-service-account',
    image: 'citadel',
    selector: { istio: 'citadel' },
    labels: labels('security', 'citadel'),
    service: {
      name: 'istio-citadel',
      type: 'ClusterIP',
      ports: [tcp('grpc-citadel', 8060), tcp('http-monitoring', 15014)],
    },
    // one CA (Istio 1.4 ran one); signing waits out its restart, so no budget
    availability: { replicas: 1 },
    resources: { citadel: resources({ cpu: '10m', memory: '64Mi' }, { cpu: '500m', memory: '512Mi' }) },
  },
  nodeAgent: {
    id: 'nodeAgent',
    workloadName: 'istio-nodeagent',
    workloadKind: 'DaemonSet',
    platforms: ['gke'],
    serviceAccount: 'istio-nodeagent-service-account',
    image: 'nodeAgent',
    selector: { istio: 'nodeagent' },
    labels: labels('nodeagent', 'nodeagent'),
    resources: { nodeagent: resources({ cpu: '10m', memory: '64Mi' }, { cpu: '500m', memory: '256Mi' }) },
  },
};

/** The component's catalog entry. */
export function component(id: ComponentId): ComponentSpec {
  return COMPONENTS[id];
}

/** The components a platform runs, in catalog order (`egressGateway` only when asked for). */
export function componentsFor(platform: 'gke' | 'onprem', options: { egressGateway?: boolean } = {}): ComponentSpec[] {
  return Object.values(COMPONENTS).filter(
    (c) => c.platforms.includes(platform) && (!c.optional || (c.id === 'egressGateway' && options.egressGateway === true)),
  );
}

/** In-cluster DNS name of a component's Service, e.g. `istio-pilot.istio-system`. */
export function serviceHost(id: ComponentId, namespace = ISTIO_NAMESPACE): string {
  const svc = COMPONENTS[id].service;
  if (!svc) throw new Error(`component ${id} has no Service`);
  return `${svc.name}.${namespace}`;
}

/** `host:port` of a component's Service port by port name, e.g. `istio-pilot.istio-system:15011`. */
export function serviceAddress(id: ComponentId, portName: string, host = serviceHost(id)): string {
  return `${host}:${servicePort(id, portName).port}`;
}

/** Requests and limits of a component's container; throws when the catalog has none. */
export function containerResources(id: ComponentId, container: string): ContainerResources {
  const r = COMPONENTS[id].resources[container];
  if (!r) throw new Error(`component ${id} has no resources for container ${container}`);
  return r;
}

/** The Service port of a component by port name. */
export function servicePort(id: ComponentId, portName: string): ServicePortSpec {
  const p = COMPONENTS[id].service?.ports.find((x) => x.name === portName);
  if (!p) throw new Error(`component ${id} has no Service port ${portName}`);
  return p;
}

/**
 * Images of promsd, which are not release images: Prometheus (the version Istio 1.4
 * shipped) and the Stackdriver Prometheus sidecar that forwards its samples.
 */
export const PROMSD_IMAGES = {
  prometheus: 'docker.io/prom/prometheus:v2.12.0',
  stackdriverSidecar: 'gcr.io/stackdriver-prometheus/stackdriver-prometheus-sidecar:0.7.0',
} as const;
