import { Chart, Testing } from 'cdk8s';
import { NamespacePolicy, NamespacePolicyProps } from '../../../src/constructs/security/namespace-policy';
import { authnPolicyErrors } from './authn-policy-schema';

function render(props: NamespacePolicyProps) {
  const chart = new Chart(Testing.app(), 'test');
  new NamespacePolicy(chart, 'policy', props);
  return Testing.synth(chart);
}

const JWT = {
  issuer: 'https://securetoken.google.com/my-project',
  audiences: ['my-project'],
  jwksUri: 'https://www.googleapis.com/service_accounts/v1/jwk/securetoken@system.gserviceaccount.com',
  triggerRules: [{ excludedPaths: [{ exact: '/healthz' }] }],
};

describe('NamespacePolicy', () => {
  test('namespace-wide STRICT mTLS: Policy named default in its namespace, no targets', () => {
    const manifests = render({ namespace: 'istio-test', mtls: 'STRICT' });
    expect(manifests).toHaveLength(1);
    const [m] = manifests;
    expect(m.apiVersion).toBe('authentication.istio.io/v1alpha1');
    expect(m.kind).toBe('Policy');
    expect(m.metadata).toEqual({ name: 'default', namespace: 'istio-test' });
    // Seed slide 34: `peers: - mtls: {}`.
    expect(m.spec).toEqual({ peers: [{ mtls: {} }] });
    expect(authnPolicyErrors(m)).toEqual([]);
    expect(manifests).toMatchSnapshot();
  });

  test('PERMISSIVE names its mode', () => {
    const [m] = render({ namespace: 'legacy', mtls: 'PERMISSIVE' });
    expect(m.spec).toEqual({ peers: [{ mtls: { mode: 'PERMISSIVE' } }] });
    expect(authnPolicyErrors(m)).toEqual([]);
  });

  test('JWT origin in the one form ASM supports: optional origin, USE_ORIGIN binding', () => {
    const manifests = render({
      namespace: 'shop',
      mtls: 'PERMISSIVE',
      origins: [JWT],
      originIsOptional: true,
      principalBinding: 'USE_ORIGIN',
      labels: { team: 'payments' },
    });
    const [m] = manifests;
    expect(m.metadata).toEqual({ name: 'default', namespace: 'shop', labels: { team: 'payments' } });
    expect(m.spec).toEqual({
      peers: [{ mtls: { mode: 'PERMISSIVE' } }],
      origins: [{ jwt: JWT }],
      originIsOptional: true,
      principalBinding: 'USE_ORIGIN',
    });
    expect(authnPolicyErrors(m)).toEqual([]);
    expect(manifests).toMatchSnapshot();
  });

  test('without mtls there are no peers (the namespace accepts plaintext)', () => {
    const [m] = render({ namespace: 'open' });
    expect(m.spec).toEqual({});
    expect(authnPolicyErrors(m)).toEqual([]);
  });

  test('leaves out empty JWT lists', () => {
    const [m] = render({ namespace: 'a', origins: [{ issuer: 'i', audiences: [], jwtHeaders: [] }], originIsOptional: true, principalBinding: 'USE_ORIGIN' });
    expect(m.spec.origins).toEqual([{ jwt: { issuer: 'i' } }]);
  });

  test.each<[string, Partial<NamespacePolicyProps>]>([
    ['originIsOptional unset', { principalBinding: 'USE_ORIGIN' }],
    ['originIsOptional false', { originIsOptional: false, principalBinding: 'USE_ORIGIN' }],
    ['principalBinding USE_PEER', { originIsOptional: true, principalBinding: 'USE_PEER' }],
  ])('refuses JWT that ASM does not support: %s', (_name, extra) => {
    expect(() => render({ namespace: 'a', origins: [JWT], ...extra })).toThrow(/feature security\.jwt-enforced/);
  });

  test('refuses an empty namespace', () => {
    expect(() => render({ namespace: '' })).toThrow(/namespace must not be empty/);
  });
});
