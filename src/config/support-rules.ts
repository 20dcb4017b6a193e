import {
  OptionField,
  SUPPORT_MATRIX,
  defaultOptionValue,
  feature,
  featureForOption,
  featureReason,
  MATRIX_PROFILES,
} from '../catalog/support-matrix';
import type { Problem } from './problems';
import type { Profile as AnyProfile } from './schema';
import { isAsmProfile, type AsmProfile as Profile } from '../catalog/profiles';

/**
 * Config refusals that come from the ASM support matrix. Which values are refused, on
 * which profile, and why, is read from `catalog/support-matrix.ts`; this module only
 * knows where in a cluster entry each option lives.
 */

type Path = readonly (string | number)[];

/** A namespace policy as the config states it (either spelling of the proto fields). */
export interface NamespacePolicyCheck {
  readonly namespace?: string;
  readonly mtls?: string;
  readonly origins?: readonly unknown[];
  readonly originIsOptional?: boolean;
  readonly origin_is_optional?: boolean;
  readonly principalBinding?: string;
  readonly principal_binding?: string;
  readonly targets?: readonly unknown[];
}

/** The part of a cluster entry the support rules read. */
export interface SupportCheckInput {
  readonly profile: AnyProfile;
  readonly mesh?: {
    readonly mtls?: string;
    readonly namespacePolicies?: readonly NamespacePolicyCheck[];
    readonly outboundTrafficPolicy?: string;
    readonly egressGateway?: boolean;
  };
  readonly telemetry?: {
    readonly metrics?: string;
    readonly accessLog?: string;
    readonly tracing?: string;
    readonly jaegerAddress?: string;
    readonly kiali?: boolean;
  };
  readonly cni?: boolean;
  readonly ingress?: { readonly loadBalancerIP?: string };
}

/** Option fields checked against the matrix; each field name is also its config path. */
const OPTION_FIELDS: readonly OptionField[] = [
  ...new Set(SUPPORT_MATRIX.flatMap((f) => (f.option ? [f.option.field] : []))),
];

/** Every support-matrix problem of one cluster entry; `at` is the entry's path. */
export function supportProblems(input: SupportCheckInput, at: Path): Problem[] {
  // The other meshes' options are checked against their own facts (config/offerings.ts).
  if (!isAsmProfile(input.profile)) return [];
  const cluster = input as SupportCheckInput & { readonly profile: Profile };
  return [
    ...OPTION_FIELDS.flatMap((field) => optionProblem(cluster.profile, field, valueAt(cluster, field.split('.')), [...at, ...field.split('.')])),
    ...namespacePolicyProblems(cluster, [...at, 'mesh', 'namespacePolicies']),
    ...jaegerAddressProblems(cluster, at),
  ];
}

/** "is not supported by ASM 1.4" plus where, when the status differs between profiles. */
function notSupported(id: string, profile: Profile): string {
  const f = feature(id);
  const everywhere = MATRIX_PROFILES.every((p) => f.status[p] === 'unsupported');
  return `not supported by ASM 1.4${everywhere ? '' : ` on profile ${profile}`} (${featureReason(id)})`;
}

function optionProblem(profile: Profile, field: OptionField, value: unknown, path: Path): Problem[] {
  if (value === undefined) return [];
  const f = featureForOption(field, value);
  if (!f || f.status[profile] !== 'unsupported') return [];
  // Booleans say little on their own: name the feature they switch on.
  const what = typeof value === 'string' ? JSON.stringify(value) : `${String(value)} (${f.title})`;
  return [{ path, message: `${what} is ${notSupported(f.id, profile)}` }];
}

function namespacePolicyProblems(cluster: SupportCheckInput & { readonly profile: Profile }, at: Path): Problem[] {
  const policies = cluster.mesh?.namespacePolicies ?? [];
  const problems: Problem[] = [];
  const seen = new Map<string, number>();
  policies.forEach((p, i) => {
    const here = [...at, i];
    problems.push(...optionProblem(cluster.profile, 'mesh.mtls', p.mtls, [...here, 'mtls']));
    if (p.targets !== undefined && p.targets.length > 0) {
      problems.push({ path: [...here, 'targets'], message: `service-level policy (targets) is ${notSupported('security.service-policy', cluster.profile)}` });
    }
    problems.push(...spellingConflicts(p, here));
    if (p.origins !== undefined && p.origins.length > 0) {
      const optional = p.originIsOptional ?? p.origin_is_optional;
      const binding = p.principalBinding ?? p.principal_binding;
      if (optional !== true || binding !== 'USE_ORIGIN') {
        const got = `originIsOptional: ${optional ?? 'unset'}, principalBinding: ${binding ?? 'unset (USE_PEER)'}`;
        problems.push({ path: [...here, 'origins'], message: `JWT origins with ${got} are ${notSupported('security.jwt-enforced', cluster.profile)}` });
      }
    }
    if (p.namespace !== undefined) {
      const first = seen.get(p.namespace);
      if (first === undefined) seen.set(p.namespace, i);
      else problems.push({ path: [...here, 'namespace'], message: `"${p.namespace}" duplicates namespacePolicies[${first}]: a namespace has one Policy named default` });
    }
  });
  return problems;
}

/** Istio accepts both spellings; giving both with different values is ambiguous. */
function spellingConflicts(p: NamespacePolicyCheck, at: Path): Problem[] {
  const pairs = [
    ['originIsOptional', 'origin_is_optional'],
    ['principalBinding', 'principal_binding'],
  ] as const;
  return pairs.flatMap(([yamlName, protoName]) =>
    p[yamlName] !== undefined && p[protoName] !== undefined && p[yamlName] !== p[protoName]
      ? [{ path: [...at, protoName], message: `conflicts with ${yamlName}: give one of ${yamlName} and ${protoName}` }]
      : [],
  );
}

/**
 * `jaegerAddress` goes with `tracing: jaeger`, and only with it: asmpkg installs no
 * Jaeger (or Zipkin) collector, so spans need the address of the one the user runs.
 */
function jaegerAddressProblems(cluster: SupportCheckInput, at: Path): Problem[] {
  const t = cluster.telemetry;
  const path = [...at, 'telemetry', 'jaegerAddress'];
  if (t?.tracing === 'jaeger' && t.jaegerAddress === undefined) {
    return [{ path, message: 'is required when telemetry.tracing is "jaeger": asmpkg installs no Jaeger collector; give the host:port of your collector\'s Zipkin endpoint (e.g. jaeger-collector.observability:9411)' }];
  }
  if (t?.jaegerAddress === undefined || t.tracing === 'jaeger') return [];
  return [{ path, message: 'applies only when telemetry.tracing is "jaeger"' }];
}

function valueAt(value: unknown, path: readonly string[]): unknown {
  let cur = value;
  for (const part of path) {
    if (typeof cur !== 'object' || cur === null) return undefined;
    cur = (cur as Record<string, unknown>)[part];
  }
  return cur;
}

/** Telemetry choices a profile gets when the config says nothing. */
export interface TelemetryDefaults {
  readonly metrics: string;
  readonly accessLog: string;
  readonly tracing: string;
}

/**
 * Defaults per profile, derived from the matrix: the option whose feature is `default`
 * on the profile, else `off` (no tracing is on by default; on-prem has no default
 * access log sink because Stackdriver Logging is unavailable there).
 */
export function telemetryDefaults(profile: Profile): TelemetryDefaults {
  const metrics = defaultOptionValue('telemetry.metrics', profile);
  if (typeof metrics !== 'string') throw new Error(`support matrix names no default metrics backend for profile ${profile}`);
  return {
    metrics,
    accessLog: String(defaultOptionValue('telemetry.accessLog', profile) ?? 'off'),
    tracing: String(defaultOptionValue('telemetry.tracing', profile) ?? 'off'),
  };
}

/** Mesh-wide mTLS mode a profile gets when the config says nothing (PERMISSIVE). */
export function meshMtlsDefault(profile: Profile): string {
  const mode = defaultOptionValue('mesh.mtls', profile);
  if (typeof mode !== 'string') throw new Error(`support matrix names no default mTLS mode for profile ${profile}`);
  return mode;
}
