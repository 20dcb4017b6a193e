/**
 * Istio's custom resource kinds of release 1.4 (SPEC section 5, slide 22) as data:
 * what the package's CustomResourceDefinitions declare. Facts as Istio 1.4's CRDs
 * state them (group, kind, names, scope, the one served+storage version,
 * categories, short names, printer columns).
 */

export interface PrinterColumn {
  readonly name: string;
  readonly type: 'string' | 'date';
  readonly jsonPath: string;
  readonly description: string;
}

export interface IstioCrdSpec {
  readonly group: string;
  /** Kind as Istio 1.4 spells it (the Mixer kinds are lower case). */
  readonly kind: string;
  readonly plural: string;
  readonly singular: string;
  readonly scope: 'Namespaced' | 'Cluster';
  /** Served versions; the first one is the storage version. */
  readonly versions: readonly string[];
  readonly categories: readonly string[];
  readonly shortNames?: readonly string[];
  readonly listKind?: string;
  readonly printerColumns?: readonly PrinterColumn[];
}

const AGE: PrinterColumn = {
  name: 'Age',
  type: 'date',
  jsonPath: '.metadata.creationTimestamp',
  description: 'Time since the object was created',
};

function crd(
  group: string,
  kind: string,
  version: string,
  category: string,
  extra: Partial<Pick<IstioCrdSpec, 'scope' | 'shortNames' | 'listKind' | 'printerColumns' | 'plural'>> = {},
): IstioCrdSpec {
  const singular = kind.toLowerCase();
  return {
    group,
    kind,
    plural: extra.plural ?? `${singular}s`,
    singular,
    scope: extra.scope ?? 'Namespaced',
    versions: [version],
    categories: ['istio-io', category],
    shortNames: extra.shortNames,
    listKind: extra.listKind,
    printerColumns: extra.printerColumns,
  };
}

const AUTHN = 'authentication.istio.io';
const CONFIG = 'config.istio.io';
const NET = 'networking.istio.io';
const RBAC = 'rbac.istio.io';
const SEC = 'security.istio.io';

/** The 23 Istio kinds, grouped as `kubectl api-resources` lists them. */
export const ISTIO_CRDS: readonly IstioCrdSpec[] = [
  crd(AUTHN, 'MeshPolicy', 'v1alpha1', 'authentication-istio-io', { scope: 'Cluster', plural: 'meshpolicies', listKind: 'MeshPolicyList' }),
  crd(AUTHN, 'Policy', 'v1alpha1', 'authentication-istio-io', { plural: 'policies' }),
  crd(CONFIG, 'adapter', 'v1alpha2', 'policy-istio-io'),
  crd(CONFIG, 'attributemanifest', 'v1alpha2', 'policy-istio-io'),
  crd(CONFIG, 'handler', 'v1alpha2', 'policy-istio-io'),
  crd(CONFIG, 'HTTPAPISpecBinding', 'v1alpha2', 'apim-istio-io'),
  crd(CONFIG, 'HTTPAPISpec', 'v1alpha2', 'apim-istio-io'),
  crd(CONFIG, 'instance', 'v1alpha2', 'policy-istio-io'),
  crd(CONFIG, 'QuotaSpecBinding', 'v1alpha2', 'apim-istio-io'),
  crd(CONFIG, 'QuotaSpec', 'v1alpha2', 'apim-istio-io'),
  crd(CONFIG, 'rule', 'v1alpha2', 'policy-istio-io'),
  crd(CONFIG, 'template', 'v1alpha2', 'policy-istio-io'),
  crd(NET, 'DestinationRule', 'v1alpha3', 'networking-istio-io', {
    shortNames: ['dr'],
    listKind: 'DestinationRuleList',
    printerColumns: [{ name: 'Host', type: 'string', jsonPath: '.spec.host', description: 'The service the rule applies to' }, AGE],
  }),
  crd(NET, 'EnvoyFilter', 'v1alpha3', 'networking-istio-io'),
  crd(NET, 'Gateway', 'v1alpha3', 'networking-istio-io', { shortNames: ['gw'] }),
  crd(NET, 'ServiceEntry', 'v1alpha3', 'networking-istio-io', {
    plural: 'serviceentries',
    shortNames: ['se'],
    listKind: 'ServiceEntryList',
    printerColumns: [
      { name: 'Hosts', type: 'string', jsonPath: '.spec.hosts', description: 'Hosts of the entry' },
      { name: 'Location', type: 'string', jsonPath: '.spec.location', description: 'MESH_EXTERNAL or MESH_INTERNAL' },
      { name: 'Resolution', type: 'string', jsonPath: '.spec.resolution', description: 'NONE, STATIC or DNS' },
      AGE,
    ],
  }),
  crd(NET, 'Sidecar', 'v1alpha3', 'networking-istio-io'),
  crd(NET, 'VirtualService', 'v1alpha3', 'networking-istio-io', {
    shortNames: ['vs'],
    listKind: 'VirtualServiceList',
    printerColumns: [
      { name: 'Gateways', type: 'string', jsonPath: '.spec.gateways', description: 'Gateways and sidecars the routes apply to' },
      { name: 'Hosts', type: 'string', jsonPath: '.spec.hosts', description: 'Destination hosts' },
      AGE,
    ],
  }),
  crd(RBAC, 'ClusterRbacConfig', 'v1alpha1', 'rbac-istio-io', { scope: 'Cluster' }),
  crd(RBAC, 'RbacConfig', 'v1alpha1', 'rbac-istio-io'),
  crd(RBAC, 'ServiceRoleBinding', 'v1alpha1', 'rbac-istio-io', {
    printerColumns: [{ name: 'Reference', type: 'string', jsonPath: '.spec.roleRef.name', description: 'The ServiceRole referenced' }, AGE],
  }),
  crd(RBAC, 'ServiceRole', 'v1alpha1', 'rbac-istio-io'),
  crd(SEC, 'AuthorizationPolicy', 'v1beta1', 'security-istio-io', { plural: 'authorizationpolicies' }),
];

/** CRD object name: `PLURAL.GROUP`. */
export function crdName(c: IstioCrdSpec): string {
  return `${c.plural}.${c.group}`;
}
