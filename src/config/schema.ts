import { z } from 'zod';
import { CA_ALGORITHMS } from '../certs/types';

/**
 * The config file's shape. Field-level rules live here (formats, ranges); rules that
 * need release facts or look across fields (install requirements, profile needs,
 * the support matrix) live in `rules.ts`, so each message can name its reason.
 */

export { PROFILES } from '../catalog/profiles';
export type { Profile } from '../catalog/profiles';
import { PROFILES } from '../catalog/profiles';

/** GKE cluster names: lowercase letters, digits and hyphens, letter first, at most 40. */
export const CLUSTER_NAME = /^[a-z](?:[-a-z0-9]{0,38}[a-z0-9])?$/;
/** GCP project IDs: 6–30 chars, lowercase letter first, no trailing hyphen. */
export const PROJECT_ID = /^[a-z][-a-z0-9]{4,28}[a-z0-9]$/;
export const PROJECT_NUMBER = /^[1-9][0-9]{0,18}$/;
export const ZONE = /^[a-z]+-[a-z]+[0-9]+-[a-z]$/;
export const REGION = /^[a-z]+-[a-z]+[0-9]+$/;
/** GCE network and subnetwork names (RFC 1035 labels, at most 63). */
export const NETWORK_NAME = /^[a-z](?:[-a-z0-9]{0,61}[a-z0-9])?$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

const rule = (re: RegExp, message: string) => z.string({ error: 'must be a string' }).regex(re, { error: message });

const count = (what: string, max: number) =>
  z
    .number({ error: 'must be a number' })
    .int({ error: `must be a whole number of ${what}` })
    .min(0, { error: `must not be negative` })
    .max(max, { error: `must be at most ${max}` });

export const nodePoolSchema = z.strictObject({
  /** Node pool name (Config Connector ContainerNodePool). */
  name: rule(CLUSTER_NAME, 'must be lowercase letters, digits and hyphens, starting with a letter, at most 40 characters').optional(),
  /** GCE machine type; on-prem, give `cpus` instead if the nodes are not GCE-sized. */
  machineType: z.string({ error: 'must be a string' }).min(1, { error: 'must not be empty' }).optional(),
  nodeCount: count('nodes', 5000),
  /** vCPUs per node where there is no GCE machine type (GKE on-prem VMs). */
  cpus: count('vCPUs', 1024).optional(),
  /** Autoscaling upper bound; defaults to nodeCount. */
  maxNodeCount: count('nodes', 5000).optional(),
});

export const projectSchema = z.strictObject({
  id: rule(PROJECT_ID, 'must be a GCP project ID: 6-30 lowercase letters, digits or hyphens, starting with a letter, not ending with a hyphen'),
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
    .pipe(rule(PROJECT_NUMBER, 'must be a project number: digits only, no leading zero')),
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
  loadBalancerIP: z.string({ error: 'must be an IPv4 address' }).optional(),
  /** NodePorts to pin, by gateway port name (for example `http2: 31380`). */
  nodePorts: z
    .record(
      z.string(),
      z.number().int({ error: 'must be a whole number' }).min(30000, { error: 'must be in the NodePort range 30000-32767' }).max(32767, {
        error: 'must be in the NodePort range 30000-32767',
      }),
    )
    .optional(),
});

/** Fields a cluster entry may carry; `defaults:` takes the same fields, all optional. */
export const clusterFields = {
  name: rule(CLUSTER_NAME, 'must be a cluster name: lowercase letters, digits and hyphens, starting with a letter, at most 40 characters').describe('Cluster name; the package renders to OUT/<name>/. Unique in the config.'),
  profile: z.enum(PROFILES, { error: `must be one of ${PROFILES.join(', ')}` }).describe('gke (kpt/anthoscli flow), gke-istioctl (existing GKE cluster), onprem (GKE on-prem with Citadel); istio-on-gke (the Istio on GKE add-on), traffic-director (Traffic Director with Envoy sidecars)'),
  /** ASM release; only 1.4.6-asm.0 today. */
  release: z.string({ error: 'must be a release version string' }).describe('ASM release; default 1.4.6-asm.0').optional(),
  project: projectSchema.describe('GCP project: id and number (required on GKE)').optional(),
  /** Zone (`us-central1-c`) or region (`us-central1`). */
  location: z
    .string({ error: 'must be a zone or region' })
    .refine((v) => ZONE.test(v) || REGION.test(v), { error: 'must be a GCP zone (us-central1-c) or region (us-central1)' })
    .describe('GCP zone or region of the cluster (GKE)')
    .optional(),
  /** GKE version (`1.15.4-gke.15`) or GKE on-prem version (`1.2.0-gke.6`). */
  version: z.string({ error: 'must be a version string like 1.15.4-gke.15' }).describe('GKE version (1.13.11-gke.14+, 1.14.8-gke.18+, 1.15.4-gke.15+) or GKE on-prem version (1.2.0-gke.6+)'),
  nodePool: nodePoolSchema.describe('Node pool: at least 4 nodes of at least 4 vCPU'),
  network: rule(NETWORK_NAME, 'must be a GCE network name (lowercase letters, digits, hyphens; letter first)').optional(),
  subnetwork: rule(NETWORK_NAME, 'must be a GCE subnetwork name (lowercase letters, digits, hyphens; letter first)').optional(),
  releaseChannel: z.enum(['RAPID', 'REGULAR', 'STABLE'], { error: 'must be RAPID, REGULAR or STABLE' }).optional(),
  /** Config Connector flavour: today's (`current`) or what anthoscli read in 2020 (`anthoscli`). */
  kcc: z.enum(['current', 'anthoscli'], { error: 'must be current or anthoscli' }).describe('Config Connector flavour (gke): current (default) or anthoscli (2020 resources)').optional(),
  /** Email of the user granted cluster-admin (gke-istioctl, onprem). */
  adminUser: rule(EMAIL, 'must be an email address').describe('User granted cluster-admin (gke-istioctl, onprem)').optional(),
  /** SPIFFE trust domain; on GKE it is always PROJECT_ID.svc.id.goog. */
  trustDomain: rule(/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/, 'must be a DNS-like domain (lowercase letters, digits, dots, hyphens)').optional(),
  ingress: ingressSchema.describe('Ingress gateway Service: loadBalancerIP (required on-prem), pinned nodePorts').optional(),
  certificates: certificatesSchema.describe('On-prem CA: dir with your CA files, or options for a generated one').optional(),
};
