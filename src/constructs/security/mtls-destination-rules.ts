import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';

/** `networking.istio.io` version of Istio 1.4's DestinationRule. */
const DESTINATION_RULE_API_VERSION = 'networking.istio.io/v1alpha3';

export interface MtlsDestinationRulesProps {
  /** Namespace of the rules: `istio-system` for the mesh, else the policy's namespace. */
  readonly namespace: string;
  /** Hosts whose clients must originate Istio mTLS, e.g. `*.local` or `*.shop.svc.cluster.local`. */
  readonly host: string;
  /**
   * Also exempt the Kubernetes API server, which has no sidecar: without it, workloads
   * talking to the API server would be sent mTLS it cannot speak. Mesh-wide only.
   */
  readonly apiServerHost?: string;
}

/**
 * The client half of STRICT mTLS. An authentication policy only tells servers to demand
 * mTLS; Istio 1.4 without auto-mTLS (which ASM does not support) needs DestinationRules
 * telling clients to send it, as Istio's own `global.mtls.enabled` install renders them.
 */
export class MtlsDestinationRules extends Construct {
  constructor(scope: Construct, id: string, props: MtlsDestinationRulesProps) {
    super(scope, id);
    new ApiObject(this, 'default', {
      apiVersion: DESTINATION_RULE_API_VERSION,
      kind: 'DestinationRule',
      metadata: { name: 'default', namespace: props.namespace },
      spec: { host: props.host, trafficPolicy: { tls: { mode: 'ISTIO_MUTUAL' } } },
    });
    if (props.apiServerHost) {
      new ApiObject(this, 'api-server', {
        apiVersion: DESTINATION_RULE_API_VERSION,
        kind: 'DestinationRule',
        metadata: { name: 'api-server', namespace: props.namespace },
        spec: { host: props.apiServerHost, trafficPolicy: { tls: { mode: 'DISABLE' } } },
      });
    }
  }
}
