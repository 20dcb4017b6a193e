import { Testing } from 'cdk8s';
import { CacertsSecret } from '../../../src/constructs/security/cacerts-secret';
import { CaFiles } from '../../../src/certs/types';

/** Placeholder text: the construct only encodes it, it never parses certificates. */
const CA: CaFiles = {
  'ca-cert.pem': 'ca cert\n',
  'ca-key.pem': 'ca key\n',
  'root-cert.pem': 'root cert\n',
  'cert-chain.pem': 'chain\n',
};

describe('CacertsSecret', () => {
  it('renders the cacerts Secret in istio-system with each file base64-encoded', () => {
    const chart = Testing.chart();
    const secret = new CacertsSecret(chart, 'cacerts', { ca: CA });
    const manifests = Testing.synth(chart);
    expect(manifests).toEqual([
      {
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name: 'cacerts', namespace: 'istio-system' },
        type: 'Opaque',
        data: {
          'ca-cert.pem': Buffer.from('ca cert\n').toString('base64'),
          'ca-key.pem': Buffer.from('ca key\n').toString('base64'),
          'cert-chain.pem': Buffer.from('chain\n').toString('base64'),
          'root-cert.pem': Buffer.from('root cert\n').toString('base64'),
        },
      },
    ]);
    expect([secret.name, secret.namespace]).toEqual(['cacerts', 'istio-system']);
  });

  it('keeps the name cacerts, which Citadel looks up, while namespace and labels are settable', () => {
    const chart = Testing.chart();
    new CacertsSecret(chart, 'x', { ca: CA, namespace: 'mesh-system', labels: { 'app.kubernetes.io/part-of': 'asm' } });
    const [manifest] = Testing.synth(chart);
    expect(manifest.metadata).toEqual({ name: 'cacerts', namespace: 'mesh-system', labels: { 'app.kubernetes.io/part-of': 'asm' } });
  });

  it('encodes data keys in a fixed order whatever order the files come in', () => {
    const reversed = Object.fromEntries(Object.entries(CA).reverse()) as unknown as CaFiles;
    const chart = Testing.chart();
    new CacertsSecret(chart, 'x', { ca: reversed });
    expect(Object.keys(Testing.synth(chart)[0].data)).toEqual(['ca-cert.pem', 'ca-key.pem', 'cert-chain.pem', 'root-cert.pem']);
  });
});
