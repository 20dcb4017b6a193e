import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { apiVersionFor } from '../../catalog/api-versions';
import type { StringMap } from './types';

export interface ServiceAccountProps {
  readonly name: string;
  readonly namespace: string;
  readonly labels?: StringMap;
  /** e.g. `iam.gke.io/gcp-service-account` (Workload Identity). */
  readonly annotations?: StringMap;
  /** Kubernetes `MAJOR.MINOR`; default `1.13` (ServiceAccount is `v1` everywhere). */
  readonly kubernetesVersion?: string;
}

/** A ServiceAccount a component's pods run as. */
export class ServiceAccount extends Construct {
  readonly name: string;
  readonly namespace: string;
  readonly apiObject: ApiObject;

  constructor(scope: Construct, id: string, props: ServiceAccountProps) {
    super(scope, id);
    this.name = props.name;
    this.namespace = props.namespace;
    this.apiObject = new ApiObject(this, 'Resource', {
      apiVersion: apiVersionFor('ServiceAccount', props.kubernetesVersion ?? '1.13'),
      kind: 'ServiceAccount',
      metadata: {
        name: props.name,
        namespace: props.namespace,
        labels: props.labels ? { ...props.labels } : undefined,
        annotations: props.annotations && Object.keys(props.annotations).length > 0 ? { ...props.annotations } : undefined,
      },
    });
  }
}
