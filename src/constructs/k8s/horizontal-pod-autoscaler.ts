import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { apiVersionFor } from '../../catalog/api-versions';
import type { StringMap } from './types';

export interface HorizontalPodAutoscalerProps {
  readonly name: string;
  readonly namespace: string;
  readonly kubernetesVersion: string;
  readonly labels?: StringMap;
  /** The Deployment scaled. */
  readonly target: { readonly kind: 'Deployment'; readonly name: string };
  readonly minReplicas: number;
  readonly maxReplicas: number;
  /** Target average CPU utilization in percent of requests (Istio 1.4: 80). */
  readonly cpuTargetAverageUtilization: number;
}

/**
 * A CPU-based HorizontalPodAutoscaler; apiVersion from the capabilities table
 * (autoscaling/v2beta1 metric shape until 1.23, autoscaling/v2 after).
 */
export class HorizontalPodAutoscaler extends Construct {
  readonly apiObject: ApiObject;

  constructor(scope: Construct, id: string, props: HorizontalPodAutoscalerProps) {
    super(scope, id);
    if (props.minReplicas < 1 || props.maxReplicas < props.minReplicas) {
      throw new Error(`HorizontalPodAutoscaler ${props.name}: need 1 <= minReplicas <= maxReplicas`);
    }
    const apiVersion = apiVersionFor('HorizontalPodAutoscaler', props.kubernetesVersion);
    const resource =
      apiVersion === 'autoscaling/v2beta1'
        ? { name: 'cpu', targetAverageUtilization: props.cpuTargetAverageUtilization }
        : { name: 'cpu', target: { type: 'Utilization', averageUtilization: props.cpuTargetAverageUtilization } };
    this.apiObject = new ApiObject(this, 'Resource', {
      apiVersion,
      kind: 'HorizontalPodAutoscaler',
      metadata: { name: props.name, namespace: props.namespace, labels: props.labels ? { ...props.labels } : undefined },
      spec: {
        maxReplicas: props.maxReplicas,
        minReplicas: props.minReplicas,
        scaleTargetRef: {
          apiVersion: apiVersionFor('Deployment', props.kubernetesVersion),
          kind: props.target.kind,
          name: props.target.name,
        },
        metrics: [{ type: 'Resource', resource }],
      },
    });
  }
}
