import { Construct } from 'constructs';
import { Namespace } from 'cdk8s-plus-27';
import { ISTIO_NAMESPACE } from '../../catalog/components';
/**
 * The `istio-system` namespace. Labelled `istio-injection: disabled` so the injector
 * never injects the control plane. cdk8s-plus-27's Namespace renders only `v1` fields
 * every supported cluster (1.13 on) knows, so it is used here; workloads are not built
 * with cdk8s-plus-27 because it emits fields 1.13 rejects.
 */
export class IstioNamespace extends Construct {
  readonly name = ISTIO_NAMESPACE;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    new Namespace(this, 'Resource', { metadata: { name: ISTIO_NAMESPACE, labels: { 'istio-injection': 'disabled' } } });
  }
}
