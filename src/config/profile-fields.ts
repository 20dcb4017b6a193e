import { PROFILES, type Profile } from '../catalog/profiles';

/**
 * Which config fields each profile has, in one table: a profile declares every field it
 * reads (top-level, or `block.field` where a block's fields differ between profiles),
 * and which of them it requires and why. From this table:
 * - a cluster missing a required field is refused ("missing"),
 * - a cluster's own value for a field its profile lacks is refused (so typos and
 *   misplaced options surface), with the reason from NOT_FOR,
 * - `defaults:` apply to a cluster only for the fields its profile has,
 * - the JSON Schema gets one `if profile = P then …` per profile.
 * A new profile adds one entry here (and its reasons to NOT_FOR).
 */
export interface FieldUse {
  /** Why the profile needs the field; absent: optional. */
  readonly required?: string;
}

type FieldTable = Readonly<Record<string, FieldUse>>;

const OPTIONAL: FieldUse = {};

/** Fields every profile has. */
const COMMON: FieldTable = {
  name: { required: 'the package renders to OUT/<name>/' },
  profile: { required: 'it selects what is rendered' },
  version: { required: 'the platform version decides what the cluster serves' },
  nodePool: { required: 'the cluster needs nodes' },
  'nodePool.name': OPTIONAL,
  'nodePool.nodeCount': { required: 'the node pool needs a size' },
  'nodePool.maxNodeCount': OPTIONAL,
};

/** Fields of the profiles that install ASM. */
const ASM_COMMON: FieldTable = {
  ...COMMON,
  release: OPTIONAL,
  ingress: OPTIONAL,
  'ingress.nodePorts': OPTIONAL,
  mesh: OPTIONAL,
  telemetry: OPTIONAL,
  cni: OPTIONAL,
};

const GKE_IDENTITY: FieldTable = {
  project: { required: 'the mesh ID, trust domain and Mesh CA derive from it' },
  location: { required: 'the cluster URL and GCP metadata derive from it' },
  'nodePool.machineType': { required: 'the node size decides whether ASM fits (at least 4 vCPUs)' },
};

/** A cluster that Config Connector declares (gke and the other meshes' profiles). */
const DECLARED_CLUSTER: FieldTable = { network: OPTIONAL, subnetwork: OPTIONAL, releaseChannel: OPTIONAL };

const ADMIN: FieldTable = { adminUser: { required: 'the install starts by granting this user cluster-admin' } };

/** The other meshes' profiles (offerings.ts holds their value rules). */
const OFFERING: FieldTable = {
  ...COMMON,
  ...DECLARED_CLUSTER,
  project: { required: 'the cluster and its Config Connector resources live in it' },
  location: { required: 'the cluster is declared in this zone or region' },
  'nodePool.machineType': { required: 'Config Connector declares the node pool with it' },
  injectNamespaces: OPTIONAL,
};

export const PROFILE_FIELDS: Readonly<Record<Profile, FieldTable>> = {
  gke: { ...ASM_COMMON, ...GKE_IDENTITY, ...DECLARED_CLUSTER, kcc: OPTIONAL, 'ingress.loadBalancerIP': OPTIONAL },
  'gke-istioctl': { ...ASM_COMMON, ...GKE_IDENTITY, ...ADMIN, 'ingress.loadBalancerIP': OPTIONAL },
  onprem: {
    ...ASM_COMMON,
    ...ADMIN,
    // optional on-prem: a project gives the mesh its ID (proj-NUMBER)
    project: OPTIONAL,
    'nodePool.machineType': OPTIONAL,
    'nodePool.cpus': OPTIONAL,
    'ingress.loadBalancerIP': { required: 'the ingress gateway is reached through your load balancer VIP' },
    trustDomain: OPTIONAL,
    certificates: OPTIONAL,
  },
  'istio-on-gke': { ...OFFERING, kcc: OPTIONAL, mesh: OPTIONAL, telemetry: OPTIONAL, cni: OPTIONAL },
  'traffic-director': { ...OFFERING, vpcNative: OPTIONAL, trafficDirector: { required: 'it lists the services Traffic Director routes to' } },
};

const MESH_NAME: Partial<Record<Profile, string>> = { 'istio-on-gke': 'the Istio on GKE add-on', 'traffic-director': 'Traffic Director' };

/** Why a field is refused on a profile that lacks it. */
export function notFor(field: string, profile: Profile): string {
  const mesh = MESH_NAME[profile];
  if (mesh) {
    const offering: Record<string, string> = {
      release: `${mesh} is not an ASM release`,
      adminUser: 'Config Connector creates the cluster; nobody is granted cluster-admin by the package',
      trustDomain: `${mesh} has no trust domain setting`,
      certificates: `${mesh} has no plugged-in CA`,
      ingress: `asmpkg renders no ingress gateway for ${mesh}`,
      trafficDirector: 'it configures profile traffic-director',
      vpcNative: 'it is a requirement of profile traffic-director',
      kcc: "the load-balancing resources exist only in today's Config Connector (v1beta1)",
      mesh: 'Traffic Director configures the Envoys through Compute Engine load-balancing resources; it has no Istio mesh, policy or telemetry options',
      telemetry: 'Traffic Director configures the Envoys through Compute Engine load-balancing resources; it has no Istio mesh, policy or telemetry options',
      cni: 'Traffic Director configures the Envoys through Compute Engine load-balancing resources; it has no Istio mesh, policy or telemetry options',
    };
    if (offering[field]) return offering[field];
  }
  const owners = PROFILES.filter((p) => profileHasField(p, field));
  return NOT_FOR[field] ?? `it is a field of profile${owners.length > 1 ? 's' : ''} ${owners.length < 2 ? owners.join('') : `${owners.slice(0, -1).join(', ')} and ${owners[owners.length - 1]}`}`;
}

const NOT_FOR: Readonly<Record<string, string>> = {
  location: 'a GCP location means nothing on-prem',
  network: 'the cluster already exists (profile gke declares it)',
  subnetwork: 'the cluster already exists (profile gke declares it)',
  releaseChannel: 'the cluster already exists (profile gke declares it)',
  kcc: 'the cluster already exists; Config Connector resources are rendered only for profile gke',
  adminUser: 'anthoscli applies the package with your own credentials',
  trustDomain: 'on GKE the trust domain is the workload identity pool PROJECT_ID.svc.id.goog',
  certificates: 'GKE uses Mesh CA; a plugged-in CA is for onprem',
  'nodePool.cpus': 'vCPUs per node are for on-prem VMs; on GKE set machineType',
};

/** Blocks whose fields are declared one by one; other blocks are taken whole. */
export const SPLIT_BLOCKS: readonly string[] = ['nodePool', 'ingress'];

/** Whether `profile` has the field at a dotted path (`nodePool.cpus`). */
export function profileHasField(profile: Profile, field: string): boolean {
  return Object.prototype.hasOwnProperty.call(PROFILE_FIELDS[profile], field);
}

/** Whether any profile has the field: a field none has is unknown (the schema's to report). */
export function isProfileField(field: string): boolean {
  return Object.values(PROFILE_FIELDS).some((t) => Object.prototype.hasOwnProperty.call(t, field));
}

/** The fields a profile requires, with why. */
export function requiredFields(profile: Profile): [string, string][] {
  return Object.entries(PROFILE_FIELDS[profile]).flatMap(([f, use]) => (use.required ? [[f, use.required] as [string, string]] : []));
}

/** Dotted paths of the fields an entry (cluster or defaults) gives, at the table's depth. */
export function givenFields(entry: Record<string, unknown>): string[] {
  const out: string[] = [];
  for (const [key, value] of Object.entries(entry)) {
    if (value === undefined) continue;
    out.push(key);
    if (SPLIT_BLOCKS.includes(key) && typeof value === 'object' && value !== null && !Array.isArray(value)) {
      for (const [k, v] of Object.entries(value)) if (v !== undefined) out.push(`${key}.${k}`);
    }
  }
  return out;
}

/**
 * `defaults:` for one cluster: only the fields the cluster's profile has. A default
 * for a field of another profile (adminUser in a fleet with gke clusters) is ignored
 * for this cluster instead of being refused.
 */
export function defaultsFor(profile: unknown, defaults: unknown): unknown {
  if (typeof profile !== 'string' || !(profile in PROFILE_FIELDS) || !isMapping(defaults)) return defaults;
  const p = profile as Profile;
  const out: Record<string, unknown> = {};
  const put = (o: Record<string, unknown>, key: string, value: unknown) => Object.defineProperty(o, key, { value, enumerable: true, writable: true, configurable: true });
  for (const [key, value] of Object.entries(defaults)) {
    if (!profileHasField(p, key)) continue;
    if (SPLIT_BLOCKS.includes(key) && isMapping(value)) {
      const block: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value)) if (profileHasField(p, `${key}.${k}`)) put(block, k, v);
      put(out, key, block);
    } else put(out, key, value);
  }
  return out;
}

function isMapping(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
