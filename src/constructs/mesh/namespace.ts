import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { apiVersionFor } from '../../catalog/api-versions';
import { ISTIO_NAMESPACE } from '../../catalog/components';
import type { MeshValues } from './values';

export interface IstioNamespaceProps {
  readonly values: MeshValues;
}

/**
 * The `istio-system` namespace. Labelled `istio-injection: disabled` so the injector
 * never injects the control plane.
 */
export class IstioNamespace extends Construct {
  readonly name = ISTIO_NAMESPACE;

  constructor(scope: Construct, id: string, props: IstioNamespaceProps) {
    super(scope, id);
    const labels: Record<string, string> = { 'istio-injection': 'disabled' };
    new ApiObject(this, 'Resource', {
      apiVersion: apiVersionFor('Namespace', props.values.kubernetesVersion),
      kind: 'Namespace',
      metadata: { name: ISTIO_NAMESPACE, labels },
    });
  }
}
