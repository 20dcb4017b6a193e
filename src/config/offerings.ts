/**
 * Config of the two profiles that are not ASM (SPEC sections 13 and 14): the fields
 * they add, the rules that refuse what their mesh cannot do (each naming the field,
 * the value and the reason), and the values they resolve to. Kept in one module so
 * the ASM rules stay as they are.
 */
import { z } from 'zod';
import { ISTIO_ADDON_MTLS_MODES, ISTIO_ADDON_REFUSED_OPTIONS } from '../catalog/istio-on-gke';
import { OFFERING_PROFILES, type Profile } from '../catalog/profiles';
import { GKE_VERSIONS } from '../catalog/requirements';
import { defaultComputeServiceAccount, TD_DEFAULTS, TD_PROTOCOL_REASON, TD_PROTOCOLS, type TdProtocol } from '../catalog/traffic-director';
import { zonesOfRegion } from '../catalog/locations';
import { isZone } from '../util/location';
import { minorOf, parsePlatformVersion } from '../util/version';
import type { Problem } from './problems';

type Path = readonly (string | number)[];

/** Traffic Director's package is being built; until then its config is refused. */
const TRAFFIC_DIRECTOR_RENDERED = true;

const DNS_LABEL = /^[a-z]([-a-z0-9]{0,61}[a-z0-9])?$/;
/** A host of a URL map host rule: a DNS name, optionally `*.`-prefixed, optionally with a port. */
const HOST = /^(\*\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*(:[0-9]{1,5})?$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

const port = z
  .number({ error: 'must be a port number' })
  .int({ error: 'must be a whole number' })
  .refine((v) => v >= 1 && v <= 65535, { error: 'must be a TCP port from 1 to 65535' });
const namespaceName = z.string({ error: 'must be a namespace name' }).regex(DNS_LABEL, { error: 'must be a namespace name (lowercase letters, digits, hyphens; letter first; at most 63)' });

export const tdServiceSchema = z.strictObject({
  /** Kubernetes Service name (the Service asmpkg renders with the NEG annotation). */
  name: z.string({ error: 'must be a Service name' }).regex(DNS_LABEL, { error: 'must be a Service name (lowercase letters, digits, hyphens; letter first; at most 63)' }),
  namespace: namespaceName,
  /** The Service port clients of the Service use; the NEG is exposed for it. */
  port,
  /** The pods' port (what the NEG endpoints and the health checks use). */
  targetPort: port,
  /** Host names the URL map routes to this service (`curl -H 'Host: <host>'`). */
  hosts: z.array(z.string({ error: 'must be a host name' }).regex(HOST, { error: 'must be a host name (lowercase DNS name, optional *. prefix and :port)' })).min(1, { error: 'must list at least one host' }),
  /** Backend-service protocol; checked by rule so the refusal can say why. */
  protocol: z.string({ error: 'must be a protocol name' }).optional(),
  /** Pod labels the Service selects; default `app: <name>`. */
  selector: z.record(z.string(), z.string({ error: 'must be a label value' })).optional(),
  maxRatePerEndpoint: z.number({ error: 'must be a number of requests per second' }).positive({ error: 'must be above 0' }).max(1e6, { error: 'must be at most 1000000' }).optional(),
});

export const trafficDirectorSchema = z.strictObject({
  services: z.array(tdServiceSchema).min(1, { error: 'must list at least one service' }),
  /** Port of the global forwarding rule on 0.0.0.0 the Envoys intercept. */
  forwardingPort: port.optional(),
  /** Workload Identity on the cluster: Envoys then authenticate as `serviceAccount`, a GSA. */
  workloadIdentity: z.boolean({ error: 'must be true or false' }).optional(),
  /** The GSA Envoy runs as (node pool's, or with Workload Identity the workloads'); default the Compute Engine default SA. */
  serviceAccount: z.string({ error: 'must be a service account email' }).regex(EMAIL, { error: 'must be a service account email' }).optional(),
});

/** Fields the two profiles add to a cluster entry; spread into the cluster schema. */
export const offeringFields = {
  injectNamespaces: z
    .array(namespaceName)
    .describe('istio-on-gke, traffic-director: application namespaces to label istio-injection=enabled (asmpkg does not own them)')
    .optional(),
  vpcNative: z.boolean({ error: 'must be true or false' }).describe('traffic-director: the cluster is VPC-native (default true; NEGs need it)').optional(),
  trafficDirector: trafficDirectorSchema.describe('traffic-director: services, forwardingPort, workloadIdentity, serviceAccount').optional(),
};

/** A Traffic Director service after defaults. */
export interface TdServiceSpec {
  readonly name: string;
  readonly namespace: string;
  readonly port: number;
  readonly targetPort: number;
  readonly hosts: readonly string[];
  readonly protocol: TdProtocol;
  readonly maxRatePerEndpoint: number;
  readonly selector: Readonly<Record<string, string>>;
}

export interface TrafficDirectorSpec {
  readonly services: readonly TdServiceSpec[];
  readonly forwardingPort: number;
  readonly workloadIdentity: boolean;
  /** The GSA whose Envoys read their configuration (gets the network viewer role). */
  readonly serviceAccount: string;
  /** Whether `serviceAccount` was given (nodes then run as it, unless Workload Identity is on). */
  readonly customServiceAccount: boolean;
  /** Zones of the cluster: the backends, one per zone. */
  readonly zones: readonly string[];
}

/** What these profiles add to a resolved cluster. */
export interface OfferingFields {
  /** Application namespaces labelled `istio-injection=enabled`; empty on ASM profiles. */
  readonly injectNamespaces: readonly string[];
  readonly trafficDirector?: TrafficDirectorSpec;
}

/** The input this module reads (a cluster entry that passed the schema). */
interface OfferingInput {
  readonly profile: Profile;
  readonly project?: { readonly id: string; readonly number: string };
  readonly location?: string;
  readonly version: string;
  readonly nodePool: { readonly machineType?: string; readonly nodeCount: number; readonly maxNodeCount?: number; readonly cpus?: number };
  readonly injectNamespaces?: readonly string[];
  readonly vpcNative?: boolean;
  readonly trafficDirector?: z.output<typeof trafficDirectorSchema>;
  readonly mesh?: Readonly<Record<string, unknown>> & { readonly mtls?: string };
  readonly [field: string]: unknown;
}

/** The zones a cluster's nodes are in: its zone, or the catalog's zones of its region (unknown locations are refused by the location rule). */
export function clusterZones(location: string): string[] | undefined {
  return isZone(location) ? [location] : zonesOfRegion(location);
}

export function resolveOfferingFields(c: OfferingInput): OfferingFields {
  const td = c.trafficDirector;
  if (c.profile !== 'traffic-director' || !td) return { injectNamespaces: c.injectNamespaces ?? [] };
  return {
    injectNamespaces: c.injectNamespaces ?? [],
    trafficDirector: {
      services: td.services.map((s) => ({
        name: s.name,
        namespace: s.namespace,
        port: s.port,
        targetPort: s.targetPort,
        hosts: s.hosts,
        protocol: (s.protocol ?? TD_DEFAULTS.protocol) as TdProtocol,
        maxRatePerEndpoint: s.maxRatePerEndpoint ?? TD_DEFAULTS.maxRatePerEndpoint,
        selector: s.selector ?? { app: s.name },
      })),
      forwardingPort: td.forwardingPort ?? TD_DEFAULTS.forwardingPort,
      workloadIdentity: td.workloadIdentity ?? false,
      serviceAccount: td.serviceAccount ?? defaultComputeServiceAccount(c.project!.number),
      customServiceAccount: td.serviceAccount !== undefined,
      zones: clusterZones(c.location!)!,
    },
  };
}

/**
 * Every problem of these profiles' values. Which fields each profile has and needs (and
 * the ASM profiles' refusal of these profiles' fields) is the profile table's
 * (profile-fields.ts), checked by rules.ts for every profile.
 */
export function offeringProblems(c: OfferingInput, at: Path): Problem[] {
  // ASM profiles, and an unknown profile (the schema's to report)
  if (!(OFFERING_PROFILES as readonly string[]).includes(c.profile)) return [];
  const problems: Problem[] = [];
  if (c.profile === 'traffic-director' && !TRAFFIC_DIRECTOR_RENDERED) {
    return [{ path: [...at, 'profile'], value: c.profile, message: 'is not rendered by this version of asmpkg yet' }];
  }
  problems.push(...versionProblems(c, at));
  if (c.profile === 'istio-on-gke') problems.push(...addonMeshProblems(c, at));
  else problems.push(...trafficDirectorProblems(c, at));
  return problems;
}

function versionProblems(c: OfferingInput, at: Path): Problem[] {
  const parsed = parsePlatformVersion(c.version);
  const latest = GKE_VERSIONS[GKE_VERSIONS.length - 1].minimum;
  if (!parsed) return [{ path: [...at, 'version'], value: c.version, message: `must be a GKE version like ${latest}` }];
  if (!GKE_VERSIONS.some((t) => t.minor === minorOf(parsed))) {
    const range = `${GKE_VERSIONS[0].minor}-${GKE_VERSIONS[GKE_VERSIONS.length - 1].minor}`;
    return [{ path: [...at, 'version'], value: c.version, message: `GKE ${minorOf(parsed)} is outside the GKE versions asmpkg renders (${range}, those of 2020 the manifests are checked against)` }];
  }
  return [];
}

/** mesh.mtls is the add-on's only option; the rest of mesh.*, telemetry and cni it cannot honour. */
function addonMeshProblems(c: OfferingInput, at: Path): Problem[] {
  const problems: Problem[] = [];
  const mtls = c.mesh?.mtls;
  if (mtls !== undefined && !(ISTIO_ADDON_MTLS_MODES as readonly string[]).includes(mtls)) {
    problems.push({
      path: [...at, 'mesh', 'mtls'],
      value: mtls,
      message: `cannot be honoured by the Istio on GKE add-on: its auth setting has only AUTH_NONE (PERMISSIVE) and AUTH_MUTUAL_TLS (STRICT)`,
    });
  }
  for (const [field, reason] of Object.entries(ISTIO_ADDON_REFUSED_OPTIONS)) {
    const parts = field.split('.');
    const value = parts.reduce<unknown>((v, k) => (v && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined), c);
    if (value !== undefined) problems.push({ path: [...at, ...parts], value, message: `cannot be honoured by the Istio on GKE add-on: ${reason}` });
  }
  return problems;
}

function trafficDirectorProblems(c: OfferingInput, at: Path): Problem[] {
  const problems: Problem[] = [];
  if (c.vpcNative === false) {
    problems.push({
      path: [...at, 'vpcNative'],
      value: false,
      message: 'must be true for profile traffic-director: Traffic Director reaches pods through network endpoint groups, which need a VPC-native (alias IP) cluster',
    });
  }
  const td = c.trafficDirector;
  if (!td) return problems;
  const path = [...at, 'trafficDirector'];
  if (td.workloadIdentity === true && td.serviceAccount === undefined) {
    problems.push({
      path: [...path, 'workloadIdentity'],
      value: true,
      message: `needs trafficDirector.serviceAccount: with Workload Identity the Envoys authenticate as the workloads' Google service account, which must get ${'roles/compute.networkViewer'} (the IAM member) to read their configuration`,
    });
  }
  const hosts = new Map<string, number>();
  const names = new Map<string, number>();
  td.services.forEach((s, i) => {
    const here = [...path, 'services', i];
    if (s.protocol !== undefined && !(TD_PROTOCOLS as readonly string[]).includes(s.protocol)) {
      problems.push({ path: [...here, 'protocol'], value: s.protocol, message: `is not a protocol Traffic Director routes: ${TD_PROTOCOL_REASON} (use ${TD_PROTOCOLS.join(', ')})` });
    }
    const key = `${s.namespace}/${s.name}`;
    const firstName = names.get(key);
    if (firstName !== undefined) problems.push({ path: [...here, 'name'], value: s.name, message: `duplicates trafficDirector.services[${firstName}] (${key}): a Service is rendered once` });
    else names.set(key, i);
    s.hosts.forEach((h, j) => {
      const first = hosts.get(h);
      if (first !== undefined) {
        problems.push({ path: [...here, 'hosts', j], value: h, message: `duplicates a host of trafficDirector.services[${first}]: a URL map routes each host to one backend service` });
      } else hosts.set(h, i);
    });
  });
  return problems;
}

export { OFFERING_PROFILES };
