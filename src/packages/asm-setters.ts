import { regionOf } from '../util/location';
import { TD_INJECTOR } from '../catalog/traffic-director';
import type { FieldRule, KnownSubstitution, SetterSpec } from '../setters/annotate';
import { PackageValues, PLACEHOLDERS } from './spec';

/** A package setter and the cluster value it stands for. */
export interface AsmSetter extends SetterSpec {
  /** The `PackageValues` field it sets; region follows the location instead. */
  readonly field?: keyof PackageValues;
}

const P = PLACEHOLDERS;

/**
 * Setters of the asmpkg kpt packages: the names ASM users know from the ASM 1.4 package
 * (SPEC section 9), so kpt fills `gcloud.core.project` and `gcloud.project.projectNumber`
 * from the gcloud config. Placeholders that are unique tokens are found by value;
 * `default`, `REGULAR`, `4` and the region only in the fields of FIELD_RULES.
 * Definition key and setter name are the same for every setter (the ASM package named
 * `io.k8s.cli.setters.gcloud.compute.network` `network`, which `kpt cfg set` does not match).
 */
export const ASM_SETTERS: readonly AsmSetter[] = [
  { name: 'gcloud.core.project', value: P.projectId, marker: 'PROJECT', byValue: true, field: 'projectId', description: 'Google Cloud project ID' },
  {
    name: 'gcloud.project.projectNumber',
    value: P.projectNumber,
    marker: 'PRONO',
    byValue: true,
    field: 'projectNumber',
    description: 'Google Cloud project number (mesh ID proj-NUMBER, GCP_METADATA)',
  },
  { name: 'cluster-name', value: P.cluster, marker: 'CLUSTER', byValue: true, field: 'cluster', description: 'GKE cluster name' },
  { name: 'gcloud.compute.zone', value: P.location, marker: 'ZONE', byValue: true, field: 'location', description: 'cluster location (zone or region)' },
  {
    name: 'gcloud.compute.region',
    value: regionOf(P.location),
    marker: 'REGION',
    byValue: false,
    description: 'region of the location (the subnetwork is regional); set it with gcloud.compute.zone',
  },
  { name: 'gcloud.compute.network', value: P.network, marker: 'NETWORK', byValue: false, field: 'network', description: 'VPC network' },
  { name: 'gcloud.compute.subnetwork', value: P.subnetwork, marker: 'SUBNET', byValue: false, field: 'subnetwork', description: 'VPC subnetwork' },
  {
    name: 'gcloud.container.cluster.releaseChannel',
    value: P.releaseChannel,
    marker: 'CHANNEL',
    byValue: false,
    field: 'releaseChannel',
    description: 'GKE release channel: RAPID, REGULAR or STABLE',
  },
  { name: 'nodeCount', value: String(P.nodeCount), marker: 'NODECOUNT', type: 'integer', byValue: false, field: 'nodeCount', description: 'nodes to start with, and the autoscaling minimum (ASM profiles need at least 4)' },
  { name: 'maxNodes', value: String(P.maxNodeCount), marker: 'MAXNODES', type: 'integer', byValue: false, field: 'maxNodeCount', description: 'autoscaling maximum of the node pool' },
  { name: 'anthos.servicemesh.hub', value: P.hub, marker: 'HUB', byValue: true, isSet: true, field: 'hub', description: 'registry of the ASM images' },
  { name: 'anthos.servicemesh.tag', value: P.tag, marker: 'TAG', byValue: true, isSet: true, field: 'tag', description: 'tag of the ASM images' },
  { name: 'gcloud.core.account', value: P.adminUser, marker: 'ACCOUNT', byValue: true, field: 'adminUser', description: 'user granted cluster-admin for the install (gcloud config get-value core/account)' },
  { name: 'ingress.loadBalancerIP', value: P.loadBalancerIP, marker: 'VIP', byValue: true, field: 'loadBalancerIP', description: 'load balancer VIP of the ingress gateway' },
];

/** Fields whose placeholder is an ordinary word or number: kind + path → setters. */
export const FIELD_RULES: readonly FieldRule[] = [
  // Config Connector v1alpha2 (anthoscli) and v1beta1
  { kind: 'ContainerCluster', path: 'spec.network', setters: ['gcloud.compute.network'] },
  { kind: 'ContainerCluster', path: 'spec.subnetwork', setters: ['gcloud.compute.subnetwork'] },
  { kind: 'ContainerCluster', path: 'spec.networkRef.external', setters: ['gcloud.compute.network'] },
  { kind: 'ContainerCluster', path: 'spec.subnetworkRef.external', setters: ['gcloud.compute.subnetwork', 'gcloud.compute.region'] },
  { kind: 'ContainerCluster', path: 'spec.releaseChannel.channel', setters: ['gcloud.container.cluster.releaseChannel'] },
  { kind: 'ComputeFirewall', path: 'spec.networkRef.external', setters: ['gcloud.compute.network'] },
  { kind: 'ComputeForwardingRule', path: 'spec.networkRef.external', setters: ['gcloud.compute.network'] },
  // Traffic Director's injector: the network its Envoys belong to, in its mesh config and values
  { kind: 'ConfigMap', namespace: TD_INJECTOR.namespace, path: 'data.mesh', setters: ['gcloud.compute.network'] },
  { kind: 'ConfigMap', namespace: TD_INJECTOR.namespace, path: 'data.values', setters: ['gcloud.compute.network'] },
  { kind: 'ContainerNodePool', path: 'spec.initialNodeCount', setters: ['nodeCount'] },
  { kind: 'ContainerNodePool', path: 'spec.autoscaling.minNodeCount', setters: ['nodeCount'] },
  { kind: 'ContainerNodePool', path: 'spec.autoscaling.maxNodeCount', setters: ['maxNodes'] },
];

const project = { marker: 'PROJECT', setter: 'gcloud.core.project' };
const zone = { marker: 'ZONE', setter: 'gcloud.compute.zone' };
const cluster = { marker: 'CLUSTER', setter: 'cluster-name' };

/** The ASM 1.4 package's substitutions (same names, patterns and markers), and two for network links. */
export const KNOWN_SUBSTITUTIONS: readonly KnownSubstitution[] = [
  { name: 'cluster', pattern: 'PROJECT/ZONE/CLUSTER', markers: [project, zone, cluster] },
  // today's anthoscli cluster id (annotation gke.io/cluster), named as in ASM 1.6's packages
  { name: 'gkeio-cluster', pattern: 'gke://PROJECT/ZONE/CLUSTER', markers: [project, zone, cluster] },
  { name: 'mesh_id', pattern: 'proj-PROJECTNO', markers: [{ marker: 'PROJECTNO', setter: 'gcloud.project.projectNumber' }] },
  { name: 'workload_identity', pattern: 'PROJECT.svc.id.goog', markers: [project] },
  {
    name: 'gcp_metadata',
    pattern: 'PROJECT|PRONO|CLUSTER|ZONE',
    markers: [project, zone, cluster, { marker: 'PRONO', setter: 'gcloud.project.projectNumber' }],
  },
  {
    name: 'cluster-link',
    pattern: 'https://container.googleapis.com/v1/projects/PROJECT/locations/ZONE/clusters/CLUSTER',
    markers: [project, zone, cluster],
  },
  { name: 'trust-domain-flag', pattern: '--trust-domain=PROJECT.svc.id.goog', markers: [project] },
  { name: 'network-link', pattern: 'projects/PROJECT/global/networks/NETWORK', markers: [project, { marker: 'NETWORK', setter: 'gcloud.compute.network' }] },
  {
    name: 'subnetwork-link',
    pattern: 'projects/PROJECT/regions/REGION/subnetworks/SUBNET',
    markers: [project, { marker: 'REGION', setter: 'gcloud.compute.region' }, { marker: 'SUBNET', setter: 'gcloud.compute.subnetwork' }],
  },
];

/**
 * The cluster values a set of setter values stands for (what `packageSpec` takes):
 * integers for the node counts; the region is not a cluster value (it follows the location).
 */
export function valuesFromSetters(values: Readonly<Record<string, string>>): Partial<PackageValues> {
  const out: Record<string, string | number> = {};
  for (const [name, value] of Object.entries(values)) {
    const setter = ASM_SETTERS.find((s) => s.name === name);
    if (!setter) throw new Error(`no package setter ${name}`);
    if (!setter.field) continue;
    out[setter.field] = setter.type === 'integer' ? Number(value) : value;
  }
  return out as Partial<PackageValues>;
}
