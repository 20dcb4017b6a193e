import { IstioNamespace } from '../../../src/constructs/mesh/namespace';
import { render } from '../../helpers/mesh-values';

test('istio-system, never injected', () => {
  expect(render((c) => new IstioNamespace(c, 'ns'))).toEqual([
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'istio-system', labels: { 'istio-injection': 'disabled' } }, spec: {} },
  ]);
});
