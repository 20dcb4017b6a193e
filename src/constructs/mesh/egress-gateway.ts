import { Construct } from 'constructs';
import { component } from '../../catalog/components';
import type { Deployment, Service, ServiceAccount } from '../k8s';
import { MeshComponentParts } from './component';
import { defaultSecretVolumes, gatewayProxyContainer, gatewayVolumes } from './gateway-proxy';
import type { MeshValues } from './values';

export interface EgressGatewayProps {
  /** Mesh values: release images and platform (SDS vs Citadel secrets). */
  readonly values: MeshValues;
}

/**
 * The optional egress gateway, `istio-egressgateway` (ASM: "egress via egress gateways,
 * optional"): an Envoy that mesh traffic to external services can be routed through,
 * behind a ClusterIP Service. Profiles add it only when `values.egressGateway` is set.
 */
export class EgressGateway extends Construct {
  readonly deployment: Deployment;
  readonly service: Service;
  readonly serviceAccount: ServiceAccount;

  constructor(scope: Construct, id: string, props: EgressGatewayProps) {
    super(scope, id);
    const v = props.values;
    const c = component('egressGateway');
    const parts = new MeshComponentParts(this, c, v.kubernetesVersion);
    const secretVolumes = defaultSecretVolumes('egress');

    this.serviceAccount = parts.serviceAccount();

    this.deployment = parts.deployment({
      containers: [gatewayProxyContainer({ values: v, component: c, secretVolumes })],
      volumes: gatewayVolumes(v, c, secretVolumes),
    });

    this.service = parts.service();
    // from the catalog: an HPA from one pod, and no PodDisruptionBudget (it would block drains at one pod)
    parts.podDisruptionBudget();
    parts.horizontalPodAutoscaler();
  }
}
