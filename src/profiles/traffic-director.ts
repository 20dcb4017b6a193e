import { createHash } from 'node:crypto';
import { ApiObject, App } from 'cdk8s';
import { ANTHOSCLI_BOOTSTRAP } from '../catalog/config-connector';
import {
  CLOUD_PLATFORM_SCOPE,
  HEALTH_CHECK_SOURCE_RANGES,
  NEG_ANNOTATION,
  TD_ENVOY_ROLE,
  TD_FORWARDING_IP,
  TD_HEALTH_CHECK_FIELD,
  TD_INJECTOR,
  TD_LOAD_BALANCING_SCHEME,
  TD_SERVICES,
} from '../catalog/traffic-director';
import { gkeIdentity, workloadPool } from '../config/derive';
import type { ClusterSpec } from '../config/model';
import type { TdServiceSpec, TrafficDirectorSpec } from '../config/offerings';
import { GkeCluster } from '../constructs/gcp/cluster';
import { IamPolicyMember, projectResource } from '../constructs/gcp/iam';
import { BackendService, GlobalForwardingRule, IngressFirewall, ServingPortHealthCheck, TargetHttpProxy, UrlMap } from '../constructs/gcp/load-balancing';
import { GkeNodePool } from '../constructs/gcp/node-pool';
import { ProjectServices } from '../constructs/gcp/project-services';
import { InjectionLabels } from '../constructs/k8s/injection-labels';
import { Service } from '../constructs/k8s/service';
import { TdSidecarInjector } from '../constructs/mesh/td-sidecar-injector';
import { FILE_HEADERS, PACKAGE_FILES } from '../catalog/layout';
import { PackageFile } from '../constructs/package-file';
import { isZone } from '../util/location';
import { clusterPropsFor, nodePoolPropsFor } from './gke-cluster';

/** Package paths of the traffic-director files, in apply order within each directory. */
export const TD_FILES = {
  access: 'config-connector/traffic-director-access.yaml',
  routing: 'config-connector/traffic-director-routing.yaml',
  namespace: 'in-cluster/00-namespace.yaml',
  injector: 'in-cluster/10-td-sidecar-injector.yaml',
  services: 'in-cluster/30-services.yaml',
} as const;

const HEADERS = {
  access:
    'Traffic Director prerequisites: the health-check firewall, the health checks, and the IAM member that lets the Envoys read their configuration. Apply where Config Connector runs.',
  routing:
    'Traffic Director routing: backend services over the NEGs, URL map, target HTTP proxy and forwarding rule. Apply where Config Connector runs, once the NEGs exist (after in-cluster/30-services.yaml).',
  namespace: 'Namespace of the Traffic Director sidecar injector. Apply to the cluster with kubectl apply -f in-cluster/.',
  injector: 'Traffic Director sidecar injector (needs its certificate Secret from secrets/ first).',
  services: 'Services with standalone NEGs Traffic Director balances over. Their namespaces must exist; delete the backend services before these Services.',
} as const;

/** A GCE resource name from parts: RFC 1035, at most 63; long names keep a hash of the whole. */
export function gceName(...parts: string[]): string {
  const full = parts.join('-');
  if (full.length <= 63) return full;
  const hash = createHash('sha256').update(full).digest('hex').slice(0, 8);
  return `${full.slice(0, 54).replace(/-+$/, '')}-${hash}`;
}

/** Name of a service's NEG, health check and backend service (one per cluster and Service). */
export function tdServiceResourceName(cluster: string, s: Pick<TdServiceSpec, 'namespace' | 'name'>): string {
  return gceName(cluster, s.namespace, s.name);
}

/** The Service port's name: Istio and TD read the protocol from its prefix. */
function portName(s: TdServiceSpec): string {
  return `${s.protocol === 'GRPC' ? 'grpc' : s.protocol === 'HTTP2' ? 'http2' : 'http'}-${s.port}`;
}

/**
 * `traffic-director`: Traffic Director configures Envoy sidecars through Compute Engine
 * load-balancing resources. Config Connector declares the APIs, a VPC-native cluster
 * whose nodes may call Google APIs, the firewall for Google's health checkers, per
 * service a health check and a backend service over the Service's NEGs (one per zone),
 * a URL map, a target HTTP proxy, the 0.0.0.0:<port> forwarding rule and the IAM member
 * the Envoys read their configuration as. In the cluster: the injector and the Services.
 */
export function composeTrafficDirector(app: App, spec: ClusterSpec): void {
  const project = spec.project!;
  const location = spec.location!;
  const td = spec.trafficDirector!;
  const annotations = ANTHOSCLI_BOOTSTRAP;
  const kccClusterName = gkeIdentity(project.id, project.number, location, spec.name).kccClusterName;

  const services = new PackageFile(app, PACKAGE_FILES.projectServices, { header: FILE_HEADERS.offeringServices });
  new ProjectServices(services, 'services', { projectId: project.id, services: TD_SERVICES, flavour: 'current', annotations });

  const cluster = new PackageFile(app, PACKAGE_FILES.cluster, { header: FILE_HEADERS.cluster });
  // Only today's Config Connector has the load-balancing kinds Traffic Director needs.
  const declaration = { flavour: 'current', kccClusterName } as const;
  new GkeCluster(cluster, 'cluster', {
    ...clusterPropsFor(spec, declaration),
    ...(td.workloadIdentity ? { workloadPool: workloadPool(project.id) } : {}),
    // VPC-native: GKE picks pod and service ranges of these sizes in the subnetwork.
    ipAllocationPolicy: { clusterIpv4CidrBlock: '/14', servicesIpv4CidrBlock: '/20' },
    // A regional cluster's zones, pinned: the backend services name a NEG in each.
    ...(isZone(location) ? {} : { nodeLocations: td.zones }),
    annotations,
  });
  new GkeNodePool(cluster, 'node-pool', {
    ...nodePoolPropsFor(spec, declaration),
    gkeMetadata: td.workloadIdentity,
    // Envoys call trafficdirector.googleapis.com with the node's credentials.
    oauthScopes: [CLOUD_PLATFORM_SCOPE],
    ...(td.customServiceAccount && !td.workloadIdentity ? { serviceAccount: td.serviceAccount } : {}),
    annotations,
  });

  addAccess(new PackageFile(app, TD_FILES.access, { header: HEADERS.access }), spec, td);
  addRouting(new PackageFile(app, TD_FILES.routing, { header: HEADERS.routing }), spec, td);

  const namespace = new PackageFile(app, TD_FILES.namespace, { header: HEADERS.namespace });
  new ApiObject(namespace, 'namespace', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: TD_INJECTOR.namespace, labels: { 'istio-injection': 'disabled' } } });
  new TdSidecarInjector(new PackageFile(app, TD_FILES.injector, { header: HEADERS.injector }), 'injector', {
    projectNumber: project.number,
    network: spec.network,
    kubernetesVersion: spec.kubernetesVersion,
  });

  const svcFile = new PackageFile(app, TD_FILES.services, { header: HEADERS.services });
  for (const s of td.services) {
    new Service(svcFile, `${s.namespace}-${s.name}`, {
      spec: { name: s.name, type: 'ClusterIP', ports: [{ name: portName(s), port: s.port, targetPort: s.targetPort, protocol: 'TCP' }] },
      namespace: s.namespace,
      selector: s.selector,
      // Standalone NEG with a name the backend service can reference.
      annotations: { [NEG_ANNOTATION]: JSON.stringify({ exposed_ports: { [String(s.port)]: { name: tdServiceResourceName(spec.name, s) } } }) },
      kubernetesVersion: spec.kubernetesVersion,
    });
  }

  if (spec.injectNamespaces.length > 0) {
    new InjectionLabels(new PackageFile(app, PACKAGE_FILES.injectionLabels, { header: FILE_HEADERS.injectionLabels }), 'labels', { namespaces: spec.injectNamespaces });
  }
}

function addAccess(scope: PackageFile, spec: ClusterSpec, td: TrafficDirectorSpec): void {
  const projectId = spec.project!.id;
  const annotations = ANTHOSCLI_BOOTSTRAP;
  new IngressFirewall(scope, 'health-check-firewall', {
    name: gceName(spec.name, 'td-health-checks'),
    projectId,
    network: spec.network,
    sourceRanges: HEALTH_CHECK_SOURCE_RANGES,
    tcpPorts: td.services.map((s) => s.targetPort),
    annotations,
  });
  for (const s of td.services) {
    new ServingPortHealthCheck(scope, `health-check-${s.namespace}-${s.name}`, {
      name: tdServiceResourceName(spec.name, s),
      projectId,
      type: TD_HEALTH_CHECK_FIELD[s.protocol],
      annotations,
    });
  }
  new IamPolicyMember(scope, 'envoy-network-viewer', {
    name: gceName(spec.name, 'td-envoy-network-viewer'),
    projectId,
    member: `serviceAccount:${td.serviceAccount}`,
    role: TD_ENVOY_ROLE,
    resource: projectResource(projectId),
    annotations,
  });
}

function addRouting(scope: PackageFile, spec: ClusterSpec, td: TrafficDirectorSpec): void {
  const projectId = spec.project!.id;
  const annotations = ANTHOSCLI_BOOTSTRAP;
  const names = td.services.map((s) => tdServiceResourceName(spec.name, s));
  td.services.forEach((s, i) => {
    new BackendService(scope, `backend-${s.namespace}-${s.name}`, {
      name: names[i],
      projectId,
      loadBalancingScheme: TD_LOAD_BALANCING_SCHEME,
      protocol: s.protocol,
      healthCheck: names[i],
      negs: td.zones.map((zone) => ({ zone, name: names[i] })),
      maxRatePerEndpoint: s.maxRatePerEndpoint,
      annotations,
    });
  });
  const urlMap = gceName(spec.name, 'td-url-map');
  const proxy = gceName(spec.name, 'td-proxy');
  new UrlMap(scope, 'url-map', {
    name: urlMap,
    projectId,
    defaultService: names[0],
    hostRules: td.services.map((s, i) => ({ hosts: s.hosts, service: names[i] })),
    annotations,
  });
  new TargetHttpProxy(scope, 'proxy', { name: proxy, projectId, urlMap, annotations });
  new GlobalForwardingRule(scope, 'forwarding-rule', {
    name: gceName(spec.name, 'td-forwarding-rule'),
    projectId,
    loadBalancingScheme: TD_LOAD_BALANCING_SCHEME,
    network: spec.network,
    ip: TD_FORWARDING_IP,
    port: td.forwardingPort,
    targetHttpProxy: proxy,
    annotations,
  });
}
