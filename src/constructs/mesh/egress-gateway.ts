import { Construct } from 'constructs';
import { component, ISTIO_NAMESPACE } from '../../catalog/components';
import { Deployment, HorizontalPodAutoscaler, PodDisruptionBudget, Service, ServiceAccount } from '../k8s';
import { defaultSecretVolumes, gatewayProxyContainer, gatewayVolumes } from './gateway-proxy';
import { GATEWAY_AUTOSCALE } from './ingress-gateway';
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
    const k8s = v.kubernetesVersion;
    const labels = c.labels;
    const secretVolumes = defaultSecretVolumes('egress');

    this.serviceAccount = new ServiceAccount(this, 'ServiceAccount', {
      name: c.serviceAccount,
      namespace: ISTIO_NAMESPACE,
      labels,
      kubernetesVersion: k8s,
    });

    this.deployment = new Deployment(this, 'Deployment', {
      name: c.workloadName,
      namespace: ISTIO_NAMESPACE,
      kubernetesVersion: k8s,
      labels,
      selector: c.selector,
      serviceAccountName: c.serviceAccount,
      containers: [gatewayProxyContainer({ values: v, component: c, secretVolumes })],
      volumes: gatewayVolumes(v, c, secretVolumes),
    });

    this.service = new Service(this, 'Service', {
      spec: c.service!,
      namespace: ISTIO_NAMESPACE,
      selector: c.selector,
      labels,
      kubernetesVersion: k8s,
    });

    new PodDisruptionBudget(this, 'Pdb', {
      name: c.workloadName,
      namespace: ISTIO_NAMESPACE,
      kubernetesVersion: k8s,
      labels,
      selector: c.labels,
      minAvailable: 1,
    });

    new HorizontalPodAutoscaler(this, 'Hpa', {
      name: c.workloadName,
      namespace: ISTIO_NAMESPACE,
      kubernetesVersion: k8s,
      labels,
      target: { kind: 'Deployment', name: c.workloadName },
      ...GATEWAY_AUTOSCALE,
    });
  }
}
