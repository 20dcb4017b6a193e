import { Construct } from 'constructs';
import { component } from '../../catalog/components';
import { imageRef } from '../../catalog/release';
import type { Container, Deployment, Service, ServiceAccount } from '../k8s';
import { MeshComponentParts } from './component';
import { defaultSecretVolumes, gatewayProxyContainer, gatewayVolumes } from './gateway-proxy';
import { NON_ROOT } from './security-context';
import type { MeshValues } from './values';

export interface IngressGatewayProps {
  /** Mesh values: release images, platform (SDS vs Citadel secrets), ingress VIP and pinned NodePorts. */
  readonly values: MeshValues;
}

/** Gateway SDS socket directory shared by the `ingress-sds` and `istio-proxy` containers. */
const GATEWAY_SDS_PATH = '/var/run/ingress_gateway';

/**
 * The ingress gateway, `istio-ingressgateway`: Envoy as the mesh's edge proxy behind a
 * LoadBalancer Service with exactly the seed's ports (SPEC section 5). Beside the proxy
 * runs `ingress-sds` (node-agent-k8s in gateway mode), which serves Gateway TLS keys
 * from Kubernetes secrets, so the gateway may read secrets in its namespace.
 */
export class IngressGateway extends Construct {
  readonly deployment: Deployment;
  readonly service: Service;
  readonly serviceAccount: ServiceAccount;

  constructor(scope: Construct, id: string, props: IngressGatewayProps) {
    super(scope, id);
    const v = props.values;
    const c = component('ingressGateway');
    const parts = new MeshComponentParts(this, c, v.kubernetesVersion);
    const secretVolumes = defaultSecretVolumes('ingress');

    this.serviceAccount = parts.serviceAccount();

    const sds: Container = {
      name: 'ingress-sds',
      image: imageRef(v.release, 'nodeAgent', v.hub, v.tag),
      resources: parts.resources('ingress-sds'),
      env: [
        { name: 'ENABLE_WORKLOAD_SDS', value: 'false' },
        { name: 'ENABLE_INGRESS_GATEWAY_SDS', value: 'true' },
        { name: 'INGRESS_GATEWAY_NAMESPACE', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } } },
      ],
      // its socket (made 0666) is in an emptyDir: it needs no root, unlike the proxy beside it
      volumeMounts: [{ name: 'ingressgatewaysdsudspath', mountPath: GATEWAY_SDS_PATH }],
      securityContext: NON_ROOT,
    };
    const proxy = gatewayProxyContainer({
      values: v,
      component: c,
      secretVolumes,
      extraEnv: [{ name: 'ISTIO_META_USER_SDS', value: 'true' }],
      extraVolumeMounts: [{ name: 'ingressgatewaysdsudspath', mountPath: GATEWAY_SDS_PATH }],
    });

    this.deployment = parts.deployment({
      containers: [sds, proxy],
      volumes: [{ name: 'ingressgatewaysdsudspath', emptyDir: {} }, ...gatewayVolumes(v, c, secretVolumes)],
    });

    this.service = parts.service({ loadBalancerIP: v.ingress.loadBalancerIP, nodePorts: v.ingress.nodePorts });

    // Gateway SDS reads the TLS secrets Gateways name (credentialName) in istio-system.
    parts.role('SdsRole', {
      name: `${c.workloadName}-sds`,
      labels: { release: c.labels.release },
      rules: [{ apiGroups: [''], resources: ['secrets'], verbs: ['get', 'watch', 'list'] }],
    });

    parts.podDisruptionBudget();
    parts.horizontalPodAutoscaler();
  }
}
