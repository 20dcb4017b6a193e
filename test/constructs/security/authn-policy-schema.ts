/**
 * JSON schema of Istio 1.4's authentication policy (`authentication.istio.io/v1alpha1`
 * Policy and MeshPolicy), restated from istio/api release-1.4
 * `authentication/v1alpha1/policy.proto` because @kubernetes-models/istio does not carry
 * this API. camelCase names, unknown fields refused, enums as the proto declares them.
 * Tests only.
 */
import Ajv from 'ajv';

const strict = (properties: Record<string, unknown>, required: string[] = []) => ({ type: 'object', additionalProperties: false, properties, required });
const strings = { type: 'array', items: { type: 'string' } };
const stringMatch = { type: 'object', additionalProperties: false, maxProperties: 1, properties: { exact: { type: 'string' }, prefix: { type: 'string' }, suffix: { type: 'string' }, regex: { type: 'string' } } };

const jwt = strict({
  issuer: { type: 'string' },
  audiences: strings,
  jwksUri: { type: 'string' },
  jwks: { type: 'string' },
  jwtHeaders: strings,
  jwtParams: strings,
  triggerRules: { type: 'array', items: strict({ excludedPaths: { type: 'array', items: stringMatch }, includedPaths: { type: 'array', items: stringMatch } }) },
});

const mutualTls = strict({ allowTls: { type: 'boolean' }, mode: { enum: ['STRICT', 'PERMISSIVE'] } });

const policySpec = strict({
  targets: { type: 'array', items: strict({ name: { type: 'string' }, labels: { type: 'object', additionalProperties: { type: 'string' } }, ports: { type: 'array' } }, ['name']) },
  // PeerAuthenticationMethod is a oneof: exactly one of mtls, jwt.
  peers: { type: 'array', items: { ...strict({ mtls: mutualTls, jwt }), minProperties: 1, maxProperties: 1 } },
  peerIsOptional: { type: 'boolean' },
  origins: { type: 'array', items: strict({ jwt }, ['jwt']) },
  originIsOptional: { type: 'boolean' },
  principalBinding: { enum: ['USE_PEER', 'USE_ORIGIN'] },
});

const metadata = { type: 'object', properties: { name: { type: 'string' }, namespace: { type: 'string' }, labels: { type: 'object' } }, required: ['name'] };

const ajv = new Ajv({ allErrors: true, strict: false });

const validatePolicy = ajv.compile(
  strict({ apiVersion: { const: 'authentication.istio.io/v1alpha1' }, kind: { const: 'Policy' }, metadata: { ...metadata, required: ['name', 'namespace'] }, spec: policySpec }, ['apiVersion', 'kind', 'metadata', 'spec']),
);
const validateMeshPolicy = ajv.compile(
  strict(
    {
      apiVersion: { const: 'authentication.istio.io/v1alpha1' },
      kind: { const: 'MeshPolicy' },
      // Cluster-scoped: no namespace.
      metadata: { ...metadata, not: { required: ['namespace'] } },
      spec: policySpec,
    },
    ['apiVersion', 'kind', 'metadata', 'spec'],
  ),
);

/** Schema errors of a rendered policy, as `path message` lines; empty when valid. */
export function authnPolicyErrors(obj: { readonly kind?: unknown; readonly [field: string]: unknown }): string[] {
  const validate = obj.kind === 'MeshPolicy' ? validateMeshPolicy : validatePolicy;
  return validate(obj) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message}`);
}
