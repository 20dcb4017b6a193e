/**
 * Traffic Director's sidecar injector serving certificate: the same generator and checks
 * as ASM's webhooks, for the Service istio-sidecar-injector in istio-control, kept in
 * secrets/td-sidecar-injector/ and loaded as the Secret the td-sidecar-injector reads.
 */
import { X509Certificate } from 'node:crypto';
import { parseAllDocuments } from 'yaml';
import { clusterSecretFiles, secretsRenderedApartFor, TD_INJECTOR_CERTS_MANIFEST } from '../../src/certs/secret-files';
import { generateServingCert, servingDnsNames, validateServingCert } from '../../src/certs/webhook';

describe('the Traffic Director injector certificate', () => {
  let certs: Awaited<ReturnType<typeof generateServingCert>>;
  beforeAll(async () => {
    certs = await generateServingCert('tdSidecarInjector', { cluster: 'td-gke' });
  });

  test('names istio-sidecar-injector.istio-control.svc (subject and SAN), serverAuth, not a CA', () => {
    expect(servingDnsNames('tdSidecarInjector')[0]).toBe('istio-sidecar-injector.istio-control.svc');
    const x = new X509Certificate(certs['cert-chain.pem']);
    expect(x.subject).toContain('CN=istio-sidecar-injector.istio-control.svc');
    expect(x.subjectAltName).toContain('DNS:istio-sidecar-injector.istio-control.svc');
    expect(x.ca).toBe(false);
    expect(x.keyUsage).toContain('1.3.6.1.5.5.7.3.1');
  });

  test('validates for the TD injector; an ASM injector certificate does not', async () => {
    expect(await validateServingCert('tdSidecarInjector', certs)).toEqual([]);
    const asm = await generateServingCert('sidecarInjector', { cluster: 'td-gke' });
    expect(await validateServingCert('tdSidecarInjector', asm)).toEqual([
      expect.objectContaining({ file: 'cert-chain.pem', reason: expect.stringContaining('is not for istio-sidecar-injector.istio-control.svc') }),
    ]);
  });

  test('secrets/: the Secret istio-sidecar-injector in istio-control with key.pem, cert.pem, ca-cert.pem; the key 0600', () => {
    const files = clusterSecretFiles({ tdSidecarInjector: certs });
    expect(files.map((f) => [f.path, f.mode, f.secret ?? false])).toEqual([
      ['secrets/.gitignore', 0o644, false],
      ['secrets/td-sidecar-injector-certs.yaml', 0o600, true],
      ['secrets/td-sidecar-injector/cert-chain.pem', 0o644, false],
      ['secrets/td-sidecar-injector/key.pem', 0o600, true],
      ['secrets/td-sidecar-injector/root-cert.pem', 0o644, false],
    ]);
    const manifest = files.find((f) => f.path === TD_INJECTOR_CERTS_MANIFEST)!.content;
    const [secret] = parseAllDocuments(manifest).map((d) => d.toJS());
    expect(secret.metadata).toEqual({ name: 'istio-sidecar-injector', namespace: 'istio-control' });
    expect(secret.type).toBe('Opaque');
    const decoded = (k: string) => Buffer.from(secret.data[k], 'base64').toString('utf8');
    expect(Object.keys(secret.data).sort()).toEqual(['ca-cert.pem', 'cert.pem', 'key.pem']);
    expect(decoded('cert.pem')).toBe(certs['cert-chain.pem']);
    expect(decoded('ca-cert.pem')).toBe(certs['root-cert.pem']);
    expect(decoded('key.pem')).toBe(certs['key.pem']);
  });

  test('which profiles keep which secrets', () => {
    expect(secretsRenderedApartFor('traffic-director', 'gke').map((s) => s.set)).toEqual(['tdSidecarInjector']);
    expect(secretsRenderedApartFor('istio-on-gke', 'gke')).toEqual([]);
    expect(secretsRenderedApartFor('gke', 'gke').map((s) => s.set)).toEqual(['sidecarInjector', 'galley']);
    expect(secretsRenderedApartFor('onprem', 'onprem').map((s) => s.set)).toEqual(['ca']);
  });
});
