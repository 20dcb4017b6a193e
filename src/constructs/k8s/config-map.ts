import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { apiVersionFor } from '../../catalog/api-versions';
import type { StringMap } from './types';

export interface ConfigMapProps {
  readonly name: string;
  readonly namespace: string;
  readonly labels?: StringMap;
  readonly annotations?: StringMap;
  /** Keys and their text (written in key order as given). */
  readonly data: StringMap;
}

/** A ConfigMap of text data. */
export class ConfigMap extends Construct {
  readonly name: string;
  readonly apiObject: ApiObject;

  constructor(scope: Construct, id: string, props: ConfigMapProps) {
    super(scope, id);
    this.name = props.name;
    this.apiObject = new ApiObject(this, 'Resource', {
      apiVersion: apiVersionFor('ConfigMap', '1.13'),
      kind: 'ConfigMap',
      metadata: { name: props.name, namespace: props.namespace, labels: props.labels ? { ...props.labels } : undefined, annotations: props.annotations ? { ...props.annotations } : undefined },
      data: { ...props.data },
    });
  }
}
