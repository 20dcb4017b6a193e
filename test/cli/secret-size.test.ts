import { stringify } from 'yaml';
import { MAX_SECRET_BYTES, refuseOversizedSecrets, secretDataBytes } from '../../src/cli/secret-size';

const secret = (data: Record<string, string>) =>
  `# header\n${stringify({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'cacerts', namespace: 'istio-system' }, type: 'Opaque', data })}`;
const b64 = (bytes: number) => Buffer.alloc(bytes, 0x41).toString('base64');

describe('a rendered Secret over 1 MiB', () => {
  test('is refused (exit 2) naming the cluster and the file', () => {
    const files = [{ path: 'c1/secrets/cacerts.yaml', content: secret({ 'ca-cert.pem': b64(600_000), 'root-cert.pem': b64(MAX_SECRET_BYTES - 600_000 + 1) }), secret: true }];
    expect(() => refuseOversizedSecrets('c1', files, '/x/out')).toThrow(
      `asmpkg: /x/out/c1/secrets/cacerts.yaml: Secret cacerts of cluster c1 holds ${MAX_SECRET_BYTES + 1} bytes of data; ` +
        'the Kubernetes API server refuses Secrets over 1048576 bytes (1 MiB): check the certificate files it is made from',
    );
    try {
      refuseOversizedSecrets('c1', files, '/x/out');
    } catch (e) {
      expect((e as { exitCode: number }).exitCode).toBe(2);
    }
  });

  test('exactly 1 MiB of data is accepted, though its manifest is larger (base64)', () => {
    const content = secret({ 'ca-cert.pem': b64(MAX_SECRET_BYTES) });
    expect(Buffer.byteLength(content)).toBeGreaterThan(MAX_SECRET_BYTES);
    expect(() => refuseOversizedSecrets('c1', [{ path: 'c1/secrets/cacerts.yaml', content, secret: true }], '/x/out')).not.toThrow();
  });

  test('counts decoded data and stringData as the API server does', () => {
    expect(secretDataBytes({ data: { a: b64(10) }, stringData: { b: 'héllo' } })).toBe(16);
  });
});
