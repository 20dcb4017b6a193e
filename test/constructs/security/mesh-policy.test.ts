import { Chart, Testing } from 'cdk8s';
import { MeshPolicy } from '../../../src/constructs/security/mesh-policy';
import { authnPolicyErrors } from './authn-policy-schema';

function render(props?: ConstructorParameters<typeof MeshPolicy>[2]) {
  const chart = new Chart(Testing.app(), 'test');
  const policy = new MeshPolicy(chart, 'mesh-policy', props);
  return { policy, manifests: Testing.synth(chart) };
}

describe('MeshPolicy', () => {
  test('defaults to the mesh-wide PERMISSIVE policy Istio 1.4 installs', () => {
    const { policy, manifests } = render();
    expect(manifests).toHaveLength(1);
    const [m] = manifests;
    expect(m.apiVersion).toBe('authentication.istio.io/v1alpha1');
    expect(m.kind).toBe('MeshPolicy');
    expect(m.metadata).toEqual({ name: 'default' });
    expect(m.spec).toEqual({ peers: [{ mtls: { mode: 'PERMISSIVE' } }] });
    expect(policy.mtls).toBe('PERMISSIVE');
    expect(authnPolicyErrors(m)).toEqual([]);
    expect(manifests).toMatchSnapshot();
  });

  test('STRICT is written as `mtls: {}` (the proto zero value), as Istio 1.4 docs write it', () => {
    const { manifests } = render({ mtls: 'STRICT', labels: { app: 'security' } });
    const [m] = manifests;
    expect(m.metadata).toEqual({ name: 'default', labels: { app: 'security' } });
    expect(m.spec).toEqual({ peers: [{ mtls: {} }] });
    expect(authnPolicyErrors(m)).toEqual([]);
    expect(manifests).toMatchSnapshot();
  });

  test('is cluster-scoped even in a chart with a namespace', () => {
    const chart = new Chart(Testing.app(), 'test', { namespace: 'istio-system' });
    new MeshPolicy(chart, 'mesh-policy');
    const [m] = Testing.synth(chart);
    // cdk8s copies a chart namespace onto every object; a MeshPolicy must not have one.
    expect(m.metadata).toEqual({ name: 'default' });
    expect(authnPolicyErrors(m)).toEqual([]);
  });

  test('the schema check catches a wrong shape', () => {
    expect(authnPolicyErrors({ apiVersion: 'authentication.istio.io/v1alpha1', kind: 'MeshPolicy', metadata: { name: 'default' }, spec: { peers: [{ mtls: { mode: 'AUTO' } }] } })).not.toEqual([]);
  });
});
