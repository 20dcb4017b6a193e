import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';

/**
 * Compute Engine load-balancing resources as Config Connector `v1beta1` objects, the
 * way Traffic Director is configured (SPEC section 14). Each construct is one Google
 * Cloud resource; all are global, in the project's namespace, and reference each
 * other by Config Connector name.
 */

const COMPUTE = 'compute.cnrm.cloud.google.com/v1beta1';

/** Properties every load-balancing resource takes. */
export interface ComputeResourceProps {
  /** Resource name (also the Config Connector object name); RFC 1035, at most 63. */
  readonly name: string;
  /** Project ID: Config Connector resources live in the namespace named after it. */
  readonly projectId: string;
  /** Extra metadata annotations (e.g. where anthoscli places the resource). */
  readonly annotations?: Readonly<Record<string, string>>;
}

function metadata(props: ComputeResourceProps) {
  return { name: props.name, namespace: props.projectId, ...(props.annotations ? { annotations: { ...props.annotations } } : {}) };
}

/** The VPC network's Config Connector reference. */
export function networkRef(projectId: string, network: string) {
  return { external: `projects/${projectId}/global/networks/${network}` };
}

export interface IngressFirewallProps extends ComputeResourceProps {
  readonly network: string;
  /** Who may connect (CIDRs). */
  readonly sourceRanges: readonly string[];
  /** TCP ports allowed, ascending. */
  readonly tcpPorts: readonly number[];
  readonly description?: string;
}

/** An INGRESS firewall rule allowing TCP ports from source ranges to every instance of a network. */
export class IngressFirewall extends Construct {
  constructor(scope: Construct, id: string, props: IngressFirewallProps) {
    super(scope, id);
    if (props.tcpPorts.length === 0) throw new Error(`IngressFirewall ${props.name}: no ports`);
    new ApiObject(this, 'firewall', {
      apiVersion: COMPUTE,
      kind: 'ComputeFirewall',
      metadata: metadata(props),
      spec: {
        ...(props.description ? { description: props.description } : {}),
        networkRef: networkRef(props.projectId, props.network),
        direction: 'INGRESS',
        sourceRanges: [...props.sourceRanges],
        allow: [{ protocol: 'tcp', ports: [...new Set(props.tcpPorts)].sort((a, b) => a - b).map(String) }],
      },
    });
  }
}

export interface ServingPortHealthCheckProps extends ComputeResourceProps {
  /** Which probe: `httpHealthCheck`, `http2HealthCheck` or `grpcHealthCheck`. */
  readonly type: 'httpHealthCheck' | 'http2HealthCheck' | 'grpcHealthCheck';
}

/**
 * A global health check that probes each endpoint on the port it serves on
 * (`USE_SERVING_PORT`): with NEGs, the pod's IP and target port.
 */
export class ServingPortHealthCheck extends Construct {
  constructor(scope: Construct, id: string, props: ServingPortHealthCheckProps) {
    super(scope, id);
    new ApiObject(this, 'health-check', {
      apiVersion: COMPUTE,
      kind: 'ComputeHealthCheck',
      metadata: metadata(props),
      spec: { location: 'global', [props.type]: { portSpecification: 'USE_SERVING_PORT' } },
    });
  }
}

/** A zonal network endpoint group, named. */
export interface NegRef {
  readonly zone: string;
  readonly name: string;
}

export interface BackendServiceProps extends ComputeResourceProps {
  readonly loadBalancingScheme: string;
  readonly protocol: string;
  /** Config Connector name of its health check. */
  readonly healthCheck: string;
  /** One backend per NEG (one per zone of the cluster). */
  readonly negs: readonly NegRef[];
  readonly maxRatePerEndpoint: number;
}

/** A global backend service balancing over NEGs at a request rate per endpoint. */
export class BackendService extends Construct {
  constructor(scope: Construct, id: string, props: BackendServiceProps) {
    super(scope, id);
    if (props.negs.length === 0) throw new Error(`BackendService ${props.name}: no backends`);
    new ApiObject(this, 'backend-service', {
      apiVersion: COMPUTE,
      kind: 'ComputeBackendService',
      metadata: metadata(props),
      spec: {
        location: 'global',
        loadBalancingScheme: props.loadBalancingScheme,
        protocol: props.protocol,
        healthChecks: [{ healthCheckRef: { name: props.healthCheck } }],
        backend: props.negs.map((neg) => ({
          group: { networkEndpointGroupRef: { external: `projects/${props.projectId}/zones/${neg.zone}/networkEndpointGroups/${neg.name}` } },
          balancingMode: 'RATE',
          maxRatePerEndpoint: props.maxRatePerEndpoint,
        })),
      },
    });
  }
}

export interface UrlMapProps extends ComputeResourceProps {
  /** Backend service (Config Connector name) for requests no host rule matches. */
  readonly defaultService: string;
  /** Host rules in order: these hosts go to this backend service. */
  readonly hostRules: readonly { readonly hosts: readonly string[]; readonly service: string }[];
}

/** A global URL map: one host rule and path matcher per backend service. */
export class UrlMap extends Construct {
  constructor(scope: Construct, id: string, props: UrlMapProps) {
    super(scope, id);
    const matchers = props.hostRules.map((r, i) => ({ ...r, matcher: `matcher-${i + 1}` }));
    new ApiObject(this, 'url-map', {
      apiVersion: COMPUTE,
      kind: 'ComputeURLMap',
      metadata: metadata(props),
      spec: {
        location: 'global',
        defaultService: { backendServiceRef: { name: props.defaultService } },
        hostRule: matchers.map((m) => ({ hosts: [...m.hosts], pathMatcher: m.matcher })),
        pathMatcher: matchers.map((m) => ({ name: m.matcher, defaultService: { backendServiceRef: { name: m.service } } })),
      },
    });
  }
}

export interface TargetHttpProxyProps extends ComputeResourceProps {
  /** Config Connector name of the URL map. */
  readonly urlMap: string;
}

/** A global target HTTP proxy in front of a URL map. */
export class TargetHttpProxy extends Construct {
  constructor(scope: Construct, id: string, props: TargetHttpProxyProps) {
    super(scope, id);
    new ApiObject(this, 'target-http-proxy', {
      apiVersion: COMPUTE,
      kind: 'ComputeTargetHTTPProxy',
      metadata: metadata(props),
      spec: { location: 'global', urlMapRef: { name: props.urlMap } },
    });
  }
}

export interface GlobalForwardingRuleProps extends ComputeResourceProps {
  readonly loadBalancingScheme: string;
  readonly network: string;
  readonly ip: string;
  readonly port: number;
  /** Config Connector name of the target HTTP proxy. */
  readonly targetHttpProxy: string;
}

/** A global forwarding rule sending ip:port (TCP) to a target HTTP proxy. */
export class GlobalForwardingRule extends Construct {
  constructor(scope: Construct, id: string, props: GlobalForwardingRuleProps) {
    super(scope, id);
    new ApiObject(this, 'forwarding-rule', {
      apiVersion: COMPUTE,
      kind: 'ComputeForwardingRule',
      metadata: metadata(props),
      spec: {
        location: 'global',
        loadBalancingScheme: props.loadBalancingScheme,
        ipAddress: { ip: props.ip },
        ipProtocol: 'TCP',
        portRange: String(props.port),
        networkRef: networkRef(props.projectId, props.network),
        target: { targetHTTPProxyRef: { name: props.targetHttpProxy } },
      },
    });
  }
}
