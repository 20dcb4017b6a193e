import { LOCATIONS, LOCATIONS_AS_OF, REGIONS, regionOfLocation } from '../catalog/locations';
import { machineTypeVcpus, PREDEFINED_MACHINE_TYPES, SHARED_CORE_MACHINE_TYPES } from '../catalog/machine-types';
import { MIN_NODES, MIN_VCPUS } from '../catalog/requirements';
import { feature, featureReason, MATRIX_PROFILES } from '../catalog/support-matrix';
import { didYouMean } from './suggest';

/**
 * The value rules of single fields, in one place. Each is applied by every door a value
 * comes through: the config schema (`schema.ts` builds its zod fields from them), the JSON
 * Schema (the same zod fields carry each rule's JSON Schema keywords), and `asmpkg set`
 * (`setter-rules.ts` checks the well-known ASM setters with them). A rule returns the
 * reason a value is refused, phrased to follow the field path and value, or undefined.
 */
export interface ValueRule<T> {
  /** What a good value is, to follow "must be". */
  readonly rule: string;
  readonly check: (value: T) => string | undefined;
  /** The rule as JSON Schema keywords, as far as JSON Schema can say it. */
  readonly json: Readonly<Record<string, unknown>>;
}

function patternRule(re: RegExp, rule: string, json: Record<string, unknown> = {}): ValueRule<string> {
  return { rule, check: (v) => (re.test(v) ? undefined : `must be ${rule}`), json: { pattern: re.source, ...json } };
}

function enumRule(values: readonly string[]): ValueRule<string> {
  const rule = listOf(values);
  return { rule, check: (v) => (values.includes(v) ? undefined : `must be ${rule}`), json: { enum: [...values] } };
}

/** `a, b or c` */
export function listOf(values: readonly string[]): string {
  return values.length < 2 ? values.join('') : `${values.slice(0, -1).join(', ')} or ${values[values.length - 1]}`;
}

/** GKE cluster names: lowercase letters, digits and hyphens, letter first, at most 40. */
export const CLUSTER_NAME = /^[a-z](?:[-a-z0-9]{0,38}[a-z0-9])?$/;
/** GCP project IDs: 6–30 chars, lowercase letter first, no trailing hyphen. */
export const PROJECT_ID = /^[a-z][-a-z0-9]{4,28}[a-z0-9]$/;
/** Project numbers: digits, no leading zero (they are up to 19 digits: kept as strings). */
export const PROJECT_NUMBER = /^[1-9][0-9]{0,18}$/;
/** Shapes of zone and region names; which ones exist is the catalog's (`catalog/locations.ts`). */
export const ZONE = /^[a-z]+-[a-z]+[0-9]+-[a-z]$/;
export const REGION = /^[a-z]+-[a-z]+[0-9]+$/;
/** GCE network and subnetwork names (RFC 1035 labels, at most 63). */
export const NETWORK_NAME = /^[a-z](?:[-a-z0-9]{0,61}[a-z0-9])?$/;
/** An address for RBAC and IAM: no spaces, one @, a dot in the domain, no quotes or brackets. */
export const EMAIL = /^[A-Za-z0-9.!#%&*+/=?^_|~-]+@[A-Za-z0-9](?:[-A-Za-z0-9]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[-A-Za-z0-9]*[A-Za-z0-9])?)+$/;
const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;
/**
 * An image registry path as Docker reads it: a host (with an optional port) and
 * lowercase path components (`gcr.io/gke-release/asm`). No quotes, spaces or tags: the
 * hub is written into YAML and the injector's JSON values as it is.
 */
export const IMAGE_HUB = /^(?:[a-z0-9](?:[-a-z0-9]*[a-z0-9])?)(?:\.[a-z0-9](?:[-a-z0-9]*[a-z0-9])?)*(?::[0-9]{1,5})?(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)+$/;
/** A Docker tag. */
export const IMAGE_TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;

/**
 * The shape of a custom machine type name, with the one limit a pattern can state: N1
 * takes 1 or an even number of vCPUs, E2/N2/N2D an even number. The memory limits are the
 * catalog's, beyond a pattern.
 */
const CUSTOM_SHAPE = '^(?:(?:n1-)?custom-(?:1|[0-9]*[02468])|(?:e2|n2|n2d)-custom-[0-9]*[02468])-[0-9]+(?:-ext)?$';

export const RELEASE_CHANNELS = ['RAPID', 'REGULAR', 'STABLE'] as const;

export const RULES = {
  clusterName: patternRule(CLUSTER_NAME, 'a cluster name: lowercase letters, digits and hyphens, starting with a letter, at most 40 characters'),
  nodePoolName: patternRule(CLUSTER_NAME, 'a node pool name: lowercase letters, digits and hyphens, starting with a letter, at most 40 characters'),
  projectId: patternRule(PROJECT_ID, 'a GCP project ID: 6-30 lowercase letters, digits or hyphens, starting with a letter, not ending with a hyphen'),
  projectNumber: patternRule(PROJECT_NUMBER, 'a project number: digits only, no leading zero'),
  network: patternRule(NETWORK_NAME, 'a GCE network name (lowercase letters, digits, hyphens; letter first, at most 63)'),
  subnetwork: patternRule(NETWORK_NAME, 'a GCE subnetwork name (lowercase letters, digits, hyphens; letter first, at most 63)'),
  releaseChannel: enumRule(RELEASE_CHANNELS),
  email: patternRule(EMAIL, 'an email address'),
  trustDomain: patternRule(/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/, 'a DNS-like domain (lowercase letters, digits, dots, hyphens)'),
  imageHub: patternRule(IMAGE_HUB, 'an image registry path such as gcr.io/gke-release/asm (host, then lowercase path components; no quotes, spaces or tag)'),
  imageTag: patternRule(IMAGE_TAG, 'an image tag (letters, digits, _ . -; at most 128, not starting with . or -)'),
  location: locationRule(),
  region: regionRule(),
  loadBalancerIP: loadBalancerIpRule(),
  machineType: machineTypeRule(),
} as const;

/** A zone or region Google had on the catalog's date; anything else gets a did-you-mean. */
function locationRule(): ValueRule<string> {
  const rule = `a GCP zone (us-central1-c) or region (us-central1) that exists (list of ${LOCATIONS_AS_OF})`;
  return {
    rule,
    check: (v) => {
      if (regionOfLocation(v) !== undefined) return undefined;
      if (!ZONE.test(v) && !REGION.test(v)) return `must be a GCP zone (us-central1-c) or region (us-central1)${suggestion(v, LOCATIONS)}`;
      return `is no GCP zone or region (locations as of ${LOCATIONS_AS_OF})${suggestion(v, LOCATIONS)}`;
    },
    json: { enum: [...LOCATIONS] },
  };
}

function regionRule(): ValueRule<string> {
  return {
    rule: `a GCP region (us-central1) that exists (list of ${LOCATIONS_AS_OF})`,
    check: (v) => (REGIONS.includes(v) ? undefined : `is no GCP region (regions as of ${LOCATIONS_AS_OF})${suggestion(v, REGIONS)}`),
    json: { enum: [...REGIONS] },
  };
}

function suggestion(v: string, known: readonly string[]): string {
  const guess = didYouMean(v, known);
  return guess ? `; did you mean "${guess}"?` : '';
}

/** IPv4 only: IPv6 is refused with the support matrix's reason. */
function loadBalancerIpRule(): ValueRule<string> {
  return {
    rule: 'an IPv4 address (a.b.c.d)',
    check: (v) => {
      if (v.includes(':')) return `is an IPv6 address; IPv6 is ${notSupported('traffic.ipv6')}`;
      return IPV4.test(v) ? undefined : 'must be an IPv4 address (a.b.c.d)';
    },
    json: { format: 'ipv4', pattern: IPV4.source },
  };
}

function notSupported(id: string): string {
  const f = feature(id);
  const everywhere = MATRIX_PROFILES.every((p) => f.status[p] === 'unsupported');
  return `not supported by ASM 1.4${everywhere ? '' : ' on some profiles'} (${featureReason(id)})`;
}

/** A Compute Engine machine type that exists (predefined, shared-core, or custom within its family's limits). */
function machineTypeRule(): ValueRule<string> {
  return {
    rule: 'a Compute Engine machine type',
    check: (v) => {
      const lookup = machineTypeVcpus(v);
      return lookup.known ? undefined : `unknown machine type: ${lookup.reason}`;
    },
    // the predefined types, or a custom type's shape (its memory limits are beyond a pattern)
    json: { anyOf: [{ enum: predefinedTypes(0) }, { pattern: CUSTOM_SHAPE }] },
  };
}

/** ASM's requirement on top: at least MIN_VCPUS vCPUs per node (the ASM profiles' rule). */
export const ASM_MACHINE_TYPE: ValueRule<string> = {
  rule: `a Compute Engine machine type with at least ${MIN_VCPUS} vCPUs`,
  check: (v) => {
    const lookup = machineTypeVcpus(v);
    if (!lookup.known) return `unknown machine type: ${lookup.reason}`;
    if (lookup.vcpus < MIN_VCPUS) return `has ${lookup.vcpus} vCPU; ASM requires at least ${MIN_VCPUS} vCPUs per node (n1-standard-4, e2-standard-4 or larger)`;
    return undefined;
  },
  json: { anyOf: [{ enum: predefinedTypes(MIN_VCPUS) }, { pattern: CUSTOM_SHAPE }] },
};

function predefinedTypes(minVcpus: number): string[] {
  const shared = Object.entries(SHARED_CORE_MACHINE_TYPES).filter(([, n]) => n >= minVcpus).map(([name]) => name);
  return [
    ...Object.entries(PREDEFINED_MACHINE_TYPES).flatMap(([family, classes]) =>
      Object.entries(classes).flatMap(([klass, sizes]) => sizes.filter((n) => n >= minVcpus).map((n) => `${family}-${klass}-${n}`)),
    ),
    ...shared,
  ];
}

/** Whole-number rules (node counts, vCPUs), with the ASM minimum where there is one. */
export interface CountRule {
  readonly what: string;
  readonly min: number;
  readonly max: number;
  /** Why the minimum, when it is ASM's. */
  readonly why?: string;
}

export const COUNTS = {
  /** Any node pool (the other meshes' profiles take one node). */
  nodeCount: { what: 'nodes', min: 1, max: 5000 },
  maxNodeCount: { what: 'nodes', min: 1, max: 5000 },
  /** ASM's requirement on top, for the ASM profiles. */
  asmNodeCount: { what: 'nodes', min: MIN_NODES, max: 5000, why: `ASM requires at least ${MIN_NODES} nodes` },
  asmMaxNodeCount: { what: 'nodes', min: MIN_NODES, max: 5000, why: `ASM requires at least ${MIN_NODES} nodes` },
  cpus: { what: 'vCPUs', min: MIN_VCPUS, max: 1024, why: `ASM requires at least ${MIN_VCPUS} vCPUs per node` },
} as const satisfies Record<string, CountRule>;

export function countProblem(rule: CountRule, n: number): string | undefined {
  if (!Number.isInteger(n)) return `must be a whole number of ${rule.what}`;
  if (n < rule.min) return `must be at least ${rule.min}${rule.why ? `: ${rule.why}` : ''}`;
  if (n > rule.max) return `must be at most ${rule.max}`;
  return undefined;
}

/** maxNodeCount ≥ nodeCount: the autoscaling range of the pool. */
export function nodeRangeProblem(nodeCount: number, maxNodeCount: number): string | undefined {
  return maxNodeCount < nodeCount ? `must be at least nodeCount (${nodeCount})` : undefined;
}

/** A region given beside a zone must be the zone's own region. */
export function regionMatchProblem(location: string, region: string): string | undefined {
  const own = regionOfLocation(location);
  return own !== undefined && own !== region ? `contradicts the location ${location}, which is in ${own}` : undefined;
}

/** The same contradiction, said of the location. */
export function locationMatchProblem(location: string, region: string): string | undefined {
  const own = regionOfLocation(location);
  return own !== undefined && own !== region ? `is in ${own}, not in the region ${region}` : undefined;
}

/** A regular expression for the whole numbers ≥ n (leading zeros allowed, as the CLI reads them). */
export function atLeastPattern(n: number): string {
  const d = String(n);
  const alts = [`[1-9][0-9]{${d.length},}`];
  for (let i = 0; i < d.length; i++) {
    const digit = Number(d[i]);
    if (digit === 9) continue;
    const rest = d.length - i - 1;
    alts.push(`${d.slice(0, i)}[${digit + 1}-9]${rest > 0 ? `[0-9]{${rest}}` : ''}`);
  }
  alts.push(d);
  return `0*(?:${alts.join('|')})`;
}

/**
 * The platform versions a table accepts (`1.MINOR.PATCH-gke.N` at or above each minor's
 * minimum) as one regular expression, for the JSON Schema; the CLI compares parsed
 * versions (rules.ts) and names the minimum in its message.
 */
export function platformVersionPattern(table: readonly { readonly minimum: string }[]): string {
  const alts = table.map(({ minimum }) => {
    const [, major, minor, patch, gke] = /^(\d+)\.(\d+)\.(\d+)-gke\.(\d+)$/.exec(minimum)!;
    const head = `0*${major}\\.0*${minor}\\.`;
    return `${head}(?:${atLeastPattern(Number(patch) + 1)}-gke\\.[0-9]+|0*${patch}-gke\\.${atLeastPattern(Number(gke))})`;
  });
  return `^(?:${alts.join('|')})$`;
}
