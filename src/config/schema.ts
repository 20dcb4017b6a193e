import { z } from 'zod';
import { CA_ALGORITHMS } from '../certs/types';
import { component } from '../catalog/components';
import { RELEASES } from '../catalog/release';
import { COUNTS, CountRule, RELEASE_CHANNELS, RULES, ValueRule } from './field-rules';

/**
 * The config file's shape. Field-level rules live here (formats, ranges); rules that
 * need release facts or look across fields (install requirements, profile needs,
 * the support matrix) live in `rules.ts`, so each message can name its reason.
 */

export { PROFILES } from '../catalog/profiles';
export type { Profile } from '../catalog/profiles';
import { PROFILES } from '../catalog/profiles';

export { CLUSTER_NAME, NETWORK_NAME, PROJECT_ID, PROJECT_NUMBER, REGION, ZONE } from './field-rules';

/** Port names of the ingress gateway Service, which `nodePorts` may pin. */
export function ingressPortNames(): string[] {
  return component('ingressGateway').service?.ports.map((p) => p.name) ?? [];
}

/** A string field held to one of the shared value rules (its JSON Schema keywords included). */
export function ruled(r: ValueRule<string>) {
  return z
    .string({ error: 'must be a string' })
    .superRefine((v, ctx) => {
      const problem = r.check(v);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    })
    .meta({ ...r.json });
}

/** A whole-number field with its minimum (ASM's, where there is one) and maximum. */
function counted(r: CountRule) {
  return z
    .number({ error: `must be a number` })
    .int({ error: `must be a whole number of ${r.what}` })
    // the minimum is a rule (rules.ts): ASM's 4 nodes or any profile's 1, with its reason
    .max(r.max, { error: `must be at most ${r.max}` })
    .meta({ minimum: r.min });
}

export const nodePoolSchema = z.strictObject({
  /** Node pool name (Config Connector ContainerNodePool). */
  name: ruled(RULES.nodePoolName).optional(),
  /** GCE machine type; on-prem, give `cpus` instead if the nodes are not GCE-sized. */
  machineType: ruled(RULES.machineType).optional(),
  nodeCount: counted(COUNTS.nodeCount),
  /** vCPUs per node where there is no GCE machine type (GKE on-prem VMs). */
  cpus: counted(COUNTS.cpus).optional(),
  /** Autoscaling upper bound; defaults to nodeCount. */
  maxNodeCount: counted(COUNTS.maxNodeCount).optional(),
});

export const projectSchema = z.strictObject({
  id: ruled(RULES.projectId),
  number: z
    .union(
      [
        z.string(),
        // Unquoted numbers beyond 2^53 have already lost digits when YAML read them.
        z.number().refine(Number.isSafeInteger, { error: 'must be a whole number below 2^53; quote long project numbers ("123...")' }),
      ],
      { error: 'must be a project number (digits)' },
    )
    .transform((v) => String(v))
    .pipe(ruled(RULES.projectNumber))
    // the JSON Schema: digits in a string, or a (safe) integer YAML reads from digits
    .meta({ anyOf: [{ type: 'string', pattern: RULES.projectNumber.json.pattern }, { type: 'integer', minimum: 1, maximum: Number.MAX_SAFE_INTEGER }] }),
});

export const certificatesSchema = z.strictObject({
  /** A directory with the user's ca-cert.pem, ca-key.pem, root-cert.pem, cert-chain.pem. */
  dir: z.string({ error: 'must be a path' }).min(1, { error: 'must not be empty' }).optional(),
  /** Key algorithm of a generated CA. */
  algorithm: z.enum(CA_ALGORITHMS, { error: `must be ${CA_ALGORITHMS.join(' or ')}` }).optional(),
  /** Validity of a generated root CA, in days. */
  rootValidityDays: z.number({ error: 'must be a number of days' }).int({ error: 'must be a whole number of days' }).min(1, { error: 'must be at least 1 day' }).max(36500, { error: 'must be at most 36500 days' }).optional(),
  /** Validity of a generated intermediate CA, in days. */
  validityDays: z.number({ error: 'must be a number of days' }).int({ error: 'must be a whole number of days' }).min(1, { error: 'must be at least 1 day' }).max(36500, { error: 'must be at most 36500 days' }).optional(),
  /** Organisation in the generated CA's subject. */
  organization: z
    .string({ error: 'must be a string' })
    .max(64, { error: 'must be at most 64 characters (X.520 organizationName)' })
    .refine((v) => v.trim() !== '', { error: 'must not be empty' })
    .optional(),
});

export const ingressSchema = z.strictObject({
  /** The load balancer VIP for the ingress gateway Service (on-prem: the F5 virtual server). */
  loadBalancerIP: ruled(RULES.loadBalancerIP).optional(),
  /** NodePorts to pin, by gateway port name (for example `http2: 31380`). */
  nodePorts: z
    .record(
      z.string(),
      z.number().int({ error: 'must be a whole number' }).min(30000, { error: 'must be in the NodePort range 30000-32767' }).max(32767, {
        error: 'must be in the NodePort range 30000-32767',
      }),
    )
    // the gateway's port names (checked with their message in rules.ts)
    .meta({ propertyNames: { enum: ingressPortNames() } })
    .optional(),
});

/** Fields a cluster entry may carry; `defaults:` takes the same fields, all optional. */
export const clusterFields = {
  name: ruled(RULES.clusterName).describe('Cluster name; the package renders to OUT/<name>/. Unique in the config.'),
  profile: z.enum(PROFILES, { error: `must be one of ${PROFILES.join(', ')}` }).describe('gke (kpt/anthoscli flow), gke-istioctl (existing GKE cluster), onprem (GKE on-prem with Citadel); istio-on-gke (the Istio on GKE add-on), traffic-director (Traffic Director with Envoy sidecars)'),
  /** ASM release; only 1.4.6-asm.0 today. */
  release: z.string({ error: 'must be a release version string' }).meta({ enum: [...RELEASES.keys()] }).describe('ASM release; default 1.4.6-asm.0').optional(),
  project: projectSchema.describe('GCP project: id and number (required on GKE)').optional(),
  /** Zone (`us-central1-c`) or region (`us-central1`). */
  location: ruled(RULES.location).describe('GCP zone or region of the cluster (GKE)').optional(),
  /** GKE version (`1.15.4-gke.15`) or GKE on-prem version (`1.2.0-gke.6`). */
  version: z.string({ error: 'must be a version string like 1.15.4-gke.15' }).describe('GKE version (1.13.11-gke.14+, 1.14.8-gke.18+, 1.15.4-gke.15+) or GKE on-prem version (1.2.0-gke.6+)'),
  nodePool: nodePoolSchema.describe('Node pool: at least 4 nodes of at least 4 vCPU'),
  network: ruled(RULES.network).optional(),
  subnetwork: ruled(RULES.subnetwork).optional(),
  releaseChannel: z.enum(RELEASE_CHANNELS, { error: `must be ${RULES.releaseChannel.rule}` }).optional(),
  /** Config Connector flavour: today's (`current`) or what anthoscli read in 2020 (`anthoscli`). */
  kcc: z.enum(['current', 'anthoscli'], { error: 'must be current or anthoscli' }).describe('Config Connector flavour (gke): current (default) or anthoscli (2020 resources)').optional(),
  /** Email of the user granted cluster-admin (gke-istioctl, onprem). */
  adminUser: ruled(RULES.email).describe('User granted cluster-admin (gke-istioctl, onprem)').optional(),
  /** SPIFFE trust domain; on GKE it is always PROJECT_ID.svc.id.goog. */
  trustDomain: ruled(RULES.trustDomain).optional(),
  ingress: ingressSchema.describe('Ingress gateway Service: loadBalancerIP (required on-prem), pinned nodePorts').optional(),
  certificates: certificatesSchema.describe('On-prem CA: dir with your CA files, or options for a generated one').optional(),
};
