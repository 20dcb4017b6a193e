import { z } from 'zod';
import { MATRIX_PROFILES, OptionField, optionFeatures } from '../catalog/support-matrix';

/**
 * Config schema for the mesh option blocks (`mesh:`, `telemetry:`, `cni:`).
 *
 * Enums here are "loose": they accept every value the support matrix knows for the
 * field, supported or not, so that a refused value (`tracing: zipkin`, `mtls: AUTO`)
 * reaches `supportProblems`, whose message names the feature and the reason. Only
 * values the matrix has never heard of get the generic enum message.
 */

/** Values a field accepts besides the matrix's: `off` turns the feature off. */
const EXTRA_VALUES: Partial<Record<OptionField, readonly string[]>> = {
  'telemetry.accessLog': ['off'],
  'telemetry.tracing': ['off'],
};

/** Every value the schema accepts for a field: the matrix's, supported or not, then extras. */
export function optionValues(field: OptionField): string[] {
  const fromMatrix = optionFeatures(field).map((f) => String(f.option!.value));
  return [...fromMatrix, ...(EXTRA_VALUES[field] ?? [])];
}

/**
 * The values a field may take on some profile: what messages list and the JSON Schema
 * offers for completion (a value refused everywhere, like `mtls: AUTO`, is not offered).
 */
export function supportedOptionValues(field: OptionField): string[] {
  const fromMatrix = optionFeatures(field)
    .filter((f) => MATRIX_PROFILES.some((p) => f.status[p] !== 'unsupported'))
    .map((f) => String(f.option!.value));
  return [...fromMatrix, ...(EXTRA_VALUES[field] ?? [])];
}

function looseEnum(field: OptionField) {
  const values = optionValues(field);
  const message = `must be one of ${supportedOptionValues(field).join(', ')}`;
  return z
    .string({ error: message })
    .refine((v) => values.includes(v), { error: message })
    .meta({ enum: supportedOptionValues(field) });
}

/**
 * A boolean option the matrix knows by its `true` value (`cni`, `kiali`): the JSON Schema
 * offers only the values supported on some profile (`false` where `true` is refused
 * everywhere); the CLI still takes `true` so its refusal can name the feature.
 */
function looseBoolean(field: OptionField) {
  const trueSupported = supportedOptionValues(field).includes('true');
  return z.boolean({ error: 'must be true or false' }).meta({ enum: trueSupported ? [true, false] : [false] });
}

/** A port 1-65535 in a regular expression, for host:port fields and the JSON Schema. */
const PORT = '(?:6553[0-5]|655[0-2][0-9]|65[0-4][0-9]{2}|6[0-4][0-9]{3}|[1-5][0-9]{4}|[1-9][0-9]{0,3})';

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
/** host:port of a Jaeger collector's Zipkin-compatible endpoint. */
const HOST_PORT = /^[A-Za-z0-9]([-A-Za-z0-9.]*[A-Za-z0-9])?:[0-9]{1,5}$/;

const stringMatchSchema = z.strictObject({
  exact: z.string().optional(),
  prefix: z.string().optional(),
  suffix: z.string().optional(),
  regex: z.string().optional(),
});

/** A JWT origin, in Istio 1.4's `Jwt` field names (authentication/v1alpha1/policy.proto). */
export const jwtSchema = z.strictObject({
  issuer: z.string({ error: 'must be the JWT issuer (a URL or email)' }).min(1, { error: 'must not be empty' }),
  jwksUri: z.url({ error: 'must be the URL of the issuer JSON Web Key Set' }).optional(),
  /** Inline JSON Web Key Set, instead of jwksUri. */
  jwks: z.string().min(1).optional(),
  audiences: z.array(z.string().min(1)).optional(),
  jwtHeaders: z.array(z.string().min(1)).optional(),
  jwtParams: z.array(z.string().min(1)).optional(),
  triggerRules: z
    .array(z.strictObject({ excludedPaths: z.array(stringMatchSchema).optional(), includedPaths: z.array(stringMatchSchema).optional() }))
    .optional(),
});

/**
 * A namespace-wide authentication policy (`Policy` named `default`). Both Istio's YAML
 * names and the proto names the seed quotes (`origin_is_optional`, `principal_binding`)
 * are accepted; `normalizeNamespacePolicy` folds them.
 */
export const namespacePolicySchema = z.strictObject({
  namespace: z.string({ error: 'must be a namespace name' }).regex(DNS_LABEL, { error: 'must be a namespace name (lowercase letters, digits, hyphens)' }),
  /** Peer mTLS mode of the namespace; omit to require no peer authentication. */
  mtls: looseEnum('mesh.mtls').optional(),
  origins: z.array(jwtSchema).min(1, { error: 'must list at least one JWT origin, or be left out' }).optional(),
  originIsOptional: z.boolean({ error: 'must be true or false' }).optional(),
  origin_is_optional: z.boolean({ error: 'must be true or false' }).optional(),
  principalBinding: z.enum(['USE_PEER', 'USE_ORIGIN'], { error: 'must be USE_PEER or USE_ORIGIN' }).optional(),
  principal_binding: z.enum(['USE_PEER', 'USE_ORIGIN'], { error: 'must be USE_PEER or USE_ORIGIN' }).optional(),
  /** Accepted only so the support rule can refuse it by name (service-level policy). */
  targets: z.array(z.unknown()).meta({ maxItems: 0 }).optional(),
}).meta({
  // JWT origins only with originIsOptional: true and principalBinding: USE_ORIGIN (either spelling)
  if: { required: ['origins'] },
  then: {
    allOf: [
      { anyOf: [{ required: ['originIsOptional'], properties: { originIsOptional: { const: true } } }, { required: ['origin_is_optional'], properties: { origin_is_optional: { const: true } } }] },
      { anyOf: [{ required: ['principalBinding'], properties: { principalBinding: { const: 'USE_ORIGIN' } } }, { required: ['principal_binding'], properties: { principal_binding: { const: 'USE_ORIGIN' } } }] },
    ],
  },
});

export const meshSchema = z.strictObject({
  /** Mesh-wide peer mTLS mode (MeshPolicy `default`). */
  mtls: looseEnum('mesh.mtls').optional(),
  namespacePolicies: z.array(namespacePolicySchema).optional(),
  outboundTrafficPolicy: z.enum(['ALLOW_ANY', 'REGISTRY_ONLY'], { error: 'must be ALLOW_ANY or REGISTRY_ONLY' }).optional(),
  egressGateway: z.boolean({ error: 'must be true or false' }).optional(),
});

export const telemetrySchema = z.strictObject({
  metrics: looseEnum('telemetry.metrics').optional(),
  accessLog: looseEnum('telemetry.accessLog').optional(),
  tracing: looseEnum('telemetry.tracing').optional(),
  /** Jaeger collector (`host:port`) when tracing is `jaeger`. */
  jaegerAddress: z
    .string({ error: 'must be host:port' })
    .regex(HOST_PORT, { error: 'must be host:port, e.g. jaeger-collector.observability:9411', abort: true })
    .refine((v) => {
      const port = Number(v.slice(v.lastIndexOf(':') + 1));
      return port >= 1 && port <= 65535;
    }, { error: 'must name a port from 1 to 65535' })
    .meta({ pattern: `^[A-Za-z0-9]([-A-Za-z0-9.]*[A-Za-z0-9])?:${PORT}$` })
    .optional(),
  /** Accepted only so that `kiali: true` is refused by name (ASM 1.4 has no Kiali). */
  kiali: looseBoolean('telemetry.kiali').optional(),
}).meta({
  // asmpkg installs no collector: tracing to Jaeger needs its address (support-rules.ts)
  if: { required: ['tracing'], properties: { tracing: { const: 'jaeger' } } },
  then: { required: ['jaegerAddress'] },
});

/** The fields this module adds to a cluster entry; spread into the cluster schema. */
export const meshOptionFields = {
  mesh: meshSchema.optional(),
  telemetry: telemetrySchema.optional(),
  /** Istio CNI; accepted only so that `cni: true` is refused by name. */
  cni: looseBoolean('cni').optional(),
};

export type NamespacePolicyInput = z.output<typeof namespacePolicySchema>;
export type JwtInput = z.output<typeof jwtSchema>;

/** A namespace policy with the proto spellings folded into Istio's YAML names. */
export interface NormalizedNamespacePolicy {
  readonly namespace: string;
  readonly mtls?: string;
  readonly origins?: readonly JwtInput[];
  readonly originIsOptional?: boolean;
  readonly principalBinding?: 'USE_PEER' | 'USE_ORIGIN';
}

/** Folds `origin_is_optional`/`principal_binding` into `originIsOptional`/`principalBinding` (the YAML name wins). */
export function normalizeNamespacePolicy(p: NamespacePolicyInput): NormalizedNamespacePolicy {
  const originIsOptional = p.originIsOptional ?? p.origin_is_optional;
  const principalBinding = p.principalBinding ?? p.principal_binding;
  return {
    namespace: p.namespace,
    ...(p.mtls !== undefined ? { mtls: p.mtls } : {}),
    ...(p.origins !== undefined ? { origins: p.origins } : {}),
    ...(originIsOptional !== undefined ? { originIsOptional } : {}),
    ...(principalBinding !== undefined ? { principalBinding } : {}),
  };
}
