import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { apiVersionFor } from '../../catalog/api-versions';
import type { StringMap } from './types';

export interface PodDisruptionBudgetProps {
  readonly name: string;
  readonly namespace: string;
  readonly kubernetesVersion: string;
  readonly labels?: StringMap;
  /** Pod labels the budget covers. */
  readonly selector: StringMap;
  /** Default 1 (Istio 1.4's default budget) unless `maxUnavailable` is given. */
  readonly minAvailable?: number | string;
  readonly maxUnavailable?: number | string;
}

/** A PodDisruptionBudget; apiVersion from the capabilities table (policy/v1beta1 before 1.21). */
export class PodDisruptionBudget extends Construct {
  readonly apiObject: ApiObject;

  constructor(scope: Construct, id: string, props: PodDisruptionBudgetProps) {
    super(scope, id);
    if (props.minAvailable !== undefined && props.maxUnavailable !== undefined) {
      throw new Error(`PodDisruptionBudget ${props.name}: set minAvailable or maxUnavailable, not both`);
    }
    this.apiObject = new ApiObject(this, 'Resource', {
      apiVersion: apiVersionFor('PodDisruptionBudget', props.kubernetesVersion),
      kind: 'PodDisruptionBudget',
      metadata: { name: props.name, namespace: props.namespace, labels: props.labels ? { ...props.labels } : undefined },
      spec: {
        minAvailable: props.maxUnavailable === undefined ? props.minAvailable ?? 1 : undefined,
        maxUnavailable: props.maxUnavailable,
        selector: { matchLabels: { ...props.selector } },
      },
    });
  }
}
