import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';

/**
 * Field shapes of Istio 1.4's authentication policy (`authentication.istio.io/v1alpha1`,
 * istio/api `authentication/v1alpha1/policy.proto`), in the camelCase names Istio's
 * YAML uses. Shared by `MeshPolicy` and `NamespacePolicy`.
 */

export const AUTHN_API_VERSION = 'authentication.istio.io/v1alpha1';

/** Istio names the mesh-wide and every namespace-wide policy `default`. */
export const DEFAULT_POLICY_NAME = 'default';

/** Peer mTLS modes ASM 1.4 supports (auto-mTLS is not one of them). */
export type MtlsMode = 'PERMISSIVE' | 'STRICT';

export type PrincipalBinding = 'USE_PEER' | 'USE_ORIGIN';

/** `StringMatch`: one of exact, prefix, suffix, regex. */
export interface StringMatch {
  readonly exact?: string;
  readonly prefix?: string;
  readonly suffix?: string;
  readonly regex?: string;
}

/** JWT origin authentication (`Jwt` message). */
export interface JwtOrigin {
  /** Issuer of the token (`iss`), a URL or an email. */
  readonly issuer: string;
  /** Accepted audiences; empty accepts the service name. */
  readonly audiences?: readonly string[];
  /** URL of the issuer's JSON Web Key Set. */
  readonly jwksUri?: string;
  /** Inline JSON Web Key Set, instead of `jwksUri`. */
  readonly jwks?: string;
  /** Headers the token may come in (default: `Authorization: Bearer`). */
  readonly jwtHeaders?: readonly string[];
  /** Query parameters the token may come in (default: `access_token`). */
  readonly jwtParams?: readonly string[];
  /** Paths that trigger (or skip) validation. */
  readonly triggerRules?: readonly { readonly excludedPaths?: readonly StringMatch[]; readonly includedPaths?: readonly StringMatch[] }[];
}

/**
 * One peer entry. STRICT is the proto's zero value, so Istio 1.4 (its install charts and
 * docs) writes STRICT as `mtls: {}` and only PERMISSIVE names its mode; we do the same so
 * rendered policies read like upstream's.
 */
export function peerFor(mode: MtlsMode): { mtls: { mode?: 'PERMISSIVE' } } {
  return mode === 'PERMISSIVE' ? { mtls: { mode: 'PERMISSIVE' } } : { mtls: {} };
}

/** Copies a JWT origin into plain JSON with keys in proto field order, leaving out unset fields. */
export function jwtJson(jwt: JwtOrigin): Record<string, unknown> {
  const out: Record<string, unknown> = { issuer: jwt.issuer };
  if (jwt.audiences?.length) out.audiences = [...jwt.audiences];
  if (jwt.jwksUri !== undefined) out.jwksUri = jwt.jwksUri;
  if (jwt.jwks !== undefined) out.jwks = jwt.jwks;
  if (jwt.jwtHeaders?.length) out.jwtHeaders = [...jwt.jwtHeaders];
  if (jwt.jwtParams?.length) out.jwtParams = [...jwt.jwtParams];
  if (jwt.triggerRules?.length) out.triggerRules = jwt.triggerRules.map((r) => ({ ...r }));
  return out;
}

/** Properties for `MeshPolicy`. */
export interface MeshPolicyProps {
  /**
   * Peer mTLS mode for the whole mesh.
   * @default 'PERMISSIVE' (ASM's default; STRICT is optional)
   */
  readonly mtls?: MtlsMode;

  /**
   * Labels of the resource.
   * @default - none
   */
  readonly labels?: Readonly<Record<string, string>>;
}

/**
 * The mesh-wide authentication policy: `MeshPolicy` named `default`, cluster-scoped.
 * Istio 1.4 reads only this name; any other MeshPolicy is ignored. ASM supports it
 * without targets and origins (mesh-level peer authentication only).
 */
export class MeshPolicy extends ApiObject {
  /** The peer mTLS mode rendered. */
  readonly mtls: MtlsMode;

  constructor(scope: Construct, id: string, props: MeshPolicyProps = {}) {
    const mtls = props.mtls ?? 'PERMISSIVE';
    super(scope, id, {
      apiVersion: AUTHN_API_VERSION,
      kind: 'MeshPolicy',
      metadata: {
        name: DEFAULT_POLICY_NAME,
        ...(props.labels && Object.keys(props.labels).length > 0 ? { labels: { ...props.labels } } : {}),
      },
      spec: { peers: [peerFor(mtls)] },
    });
    this.mtls = mtls;
  }

  /** Cluster-scoped: drops the namespace cdk8s copies from a namespaced chart. */
  override toJson(): any {
    const json = super.toJson();
    if (json.metadata) delete json.metadata.namespace;
    return json;
  }
}
