import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { featureReason } from '../../catalog/support-matrix';
import { AUTHN_API_VERSION, DEFAULT_POLICY_NAME, JwtOrigin, MtlsMode, PrincipalBinding, jwtJson, peerFor } from './mesh-policy';

/** Properties for `NamespacePolicy`. */
export interface NamespacePolicyProps {
  /** Namespace the policy covers (and lives in). */
  readonly namespace: string;

  /**
   * Peer mTLS mode for the namespace, overriding the mesh's.
   * @default - no peer authentication: the namespace accepts plaintext (Istio 1.4 semantics of an empty `peers`)
   */
  readonly mtls?: MtlsMode;

  /**
   * JWT origin authentication. ASM 1.4 supports it only with `originIsOptional: true`
   * and `principalBinding: 'USE_ORIGIN'`; anything else throws.
   * @default - no origin authentication
   */
  readonly origins?: readonly JwtOrigin[];

  /**
   * Accept requests whose JWT is missing or invalid (authorization decides later).
   * @default - unset (false)
   */
  readonly originIsOptional?: boolean;

  /**
   * Which identity becomes the request principal.
   * @default - unset (USE_PEER)
   */
  readonly principalBinding?: PrincipalBinding;

  /**
   * Labels of the resource.
   * @default - none
   */
  readonly labels?: Readonly<Record<string, string>>;
}

/**
 * A namespace-wide authentication policy: `Policy` named `default` in its namespace,
 * with no `targets` (ASM 1.4 does not support service-level policy, so there is no prop
 * for them).
 */
export class NamespacePolicy extends ApiObject {
  constructor(scope: Construct, id: string, props: NamespacePolicyProps) {
    if (props.namespace === '') throw new Error('NamespacePolicy: namespace must not be empty');
    const origins = props.origins ?? [];
    // Config validation refuses this first; the check here keeps the construct honest
    // when used directly.
    if (origins.length > 0 && (props.originIsOptional !== true || props.principalBinding !== 'USE_ORIGIN')) {
      throw new Error(`NamespacePolicy ${props.namespace}: JWT origins need originIsOptional: true and principalBinding: USE_ORIGIN (${featureReason('security.jwt-enforced')})`);
    }
    const spec: Record<string, unknown> = {};
    if (props.mtls !== undefined) spec.peers = [peerFor(props.mtls)];
    if (origins.length > 0) spec.origins = origins.map((jwt) => ({ jwt: jwtJson(jwt) }));
    if (props.originIsOptional !== undefined) spec.originIsOptional = props.originIsOptional;
    if (props.principalBinding !== undefined) spec.principalBinding = props.principalBinding;
    super(scope, id, {
      apiVersion: AUTHN_API_VERSION,
      kind: 'Policy',
      metadata: {
        name: DEFAULT_POLICY_NAME,
        namespace: props.namespace,
        ...(props.labels && Object.keys(props.labels).length > 0 ? { labels: { ...props.labels } } : {}),
      },
      spec,
    });
  }
}
