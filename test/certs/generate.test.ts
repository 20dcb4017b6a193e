import { createPrivateKey, X509Certificate } from 'node:crypto';
import { InputError } from '../../src/config/problems';
import { BACKDATE_MS, generateCa, GenerateCaOptions } from '../../src/certs/generate';
import { CA_FILE_NAMES, CaAlgorithm, CaFiles } from '../../src/certs/types';
import { validateCaFiles } from '../../src/certs/validate';
import { webcrypto, x509 } from '../../src/certs/x509';
import { keyPair } from './build';

const NOW = new Date('2030-03-04T05:06:07.890Z');
const NOW_S = new Date('2030-03-04T05:06:07.000Z').getTime();
const DAY = 24 * 60 * 60 * 1000;

/** Splits a PEM bundle into Node certificates, the independent verifier of these tests. */
function nodeCerts(bundle: string): X509Certificate[] {
  return (bundle.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----\n/g) ?? []).map(
    (block) => new X509Certificate(block),
  );
}

const cases: { algorithm: CaAlgorithm; keyType: string; details: Record<string, unknown> }[] = [
  { algorithm: 'ecdsa-p256', keyType: 'ec', details: { namedCurve: 'prime256v1' } },
  { algorithm: 'rsa-4096', keyType: 'rsa', details: { modulusLength: 4096 } },
];

describe.each(cases)('generateCa($algorithm)', ({ algorithm, keyType, details }) => {
  const options: GenerateCaOptions = { algorithm, organization: 'Example Org', cluster: 'onprem-1', now: NOW };
  let ca: CaFiles;
  let root: X509Certificate;
  let inter: X509Certificate;

  // RSA-4096 key generation takes seconds: one CA per algorithm for all tests below.
  beforeAll(async () => {
    ca = await generateCa(options);
    [root] = nodeCerts(ca['root-cert.pem']);
    [inter] = nodeCerts(ca['ca-cert.pem']);
  });

  it('writes a self-signed root CA', () => {
    expect(root.ca).toBe(true);
    expect(root.subject).toBe('O=Example Org\nL=onprem-1\nCN=Root CA');
    expect(root.issuer).toBe(root.subject);
    expect(root.verify(root.publicKey)).toBe(true);
    expect(root.publicKey.asymmetricKeyType).toBe(keyType);
    expect(root.publicKey.asymmetricKeyDetails).toMatchObject(details);
  });

  it('writes an intermediate CA issued and signed by the root, whose key is ca-key.pem', () => {
    expect(inter.ca).toBe(true);
    expect(inter.subject).toBe('O=Example Org\nL=onprem-1\nCN=Intermediate CA');
    expect(inter.issuer).toBe(root.subject);
    expect(inter.verify(root.publicKey)).toBe(true);
    expect(inter.checkIssued(root)).toBe(true);
    expect(inter.verify(inter.publicKey)).toBe(false);
    const key = createPrivateKey(ca['ca-key.pem']);
    expect(inter.checkPrivateKey(key)).toBe(true);
    expect(root.checkPrivateKey(key)).toBe(false);
    expect(key.asymmetricKeyType).toBe(keyType);
    expect(ca['ca-key.pem']).toMatch(/^-----BEGIN PRIVATE\x20KEY-----\n[\s\S]+\n-----END PRIVATE\x20KEY-----\n$/);
  });

  it('makes an intermediate that can sign workload certificates', async () => {
    // What Citadel does with it: sign a leaf. OpenSSL's checkIssued (via Node) also
    // requires the issuer's keyUsage to allow certificate signing.
    const der = createPrivateKey(ca['ca-key.pem']).export({ type: 'pkcs8', format: 'der' });
    const caKey = await webcrypto.subtle.importKey('pkcs8', der, importParams(algorithm), false, ['sign']);
    const leafKeys = await keyPair();
    const issuer = new x509.X509Certificate(ca['ca-cert.pem']);
    const leaf = await x509.X509CertificateGenerator.create({
      subject: 'CN=workload',
      issuer: issuer.subjectName,
      notBefore: NOW,
      notAfter: new Date(NOW.getTime() + DAY),
      publicKey: leafKeys.publicKey,
      signingKey: caKey,
      signingAlgorithm: { name: importParams(algorithm).name, hash: 'SHA-256' },
    });
    const nodeLeaf = new X509Certificate(leaf.toString('pem'));
    expect(nodeLeaf.checkIssued(inter)).toBe(true);
    expect(nodeLeaf.verify(inter.publicKey)).toBe(true);
  });

  it('writes cert-chain.pem as the intermediate then the root', () => {
    const chain = nodeCerts(ca['cert-chain.pem']);
    expect(chain.map((c) => c.fingerprint256)).toEqual([inter.fingerprint256, root.fingerprint256]);
    expect(ca['cert-chain.pem']).toBe(ca['ca-cert.pem'] + ca['root-cert.pem']);
  });

  it('uses the clock it is given: backdated start, 10 and 5 years by default', () => {
    const start = new Date(NOW_S - BACKDATE_MS);
    expect(new Date(root.validFrom)).toEqual(start);
    expect(new Date(inter.validFrom)).toEqual(start);
    expect(new Date(root.validTo)).toEqual(new Date(NOW_S + 3650 * DAY));
    expect(new Date(inter.validTo)).toEqual(new Date(NOW_S + 1825 * DAY));
  });

  it('uses 16-byte positive serials, different for each certificate', () => {
    for (const cert of [root, inter]) {
      expect(cert.serialNumber).toMatch(/^[4-7][0-9A-F]{31}$/);
    }
    expect(root.serialNumber).not.toBe(inter.serialNumber);
  });

  it('marks both as CAs with the extensions Citadel and verifiers expect', () => {
    // Critical flags and pathLen are not exposed by Node; read them back with the parser.
    const r = new x509.X509Certificate(ca['root-cert.pem']);
    const i = new x509.X509Certificate(ca['ca-cert.pem']);
    const rootBc = r.getExtension(x509.BasicConstraintsExtension)!;
    const interBc = i.getExtension(x509.BasicConstraintsExtension)!;
    expect([rootBc.ca, rootBc.critical, rootBc.pathLength]).toEqual([true, true, undefined]);
    expect([interBc.ca, interBc.critical, interBc.pathLength]).toEqual([true, true, 0]);
    for (const cert of [r, i]) {
      const ku = cert.getExtension(x509.KeyUsagesExtension)!;
      expect(ku.critical).toBe(true);
      expect(ku.usages & x509.KeyUsageFlags.keyCertSign).toBeTruthy();
      expect(ku.usages & x509.KeyUsageFlags.cRLSign).toBeTruthy();
    }
    const rootSki = r.getExtension(x509.SubjectKeyIdentifierExtension)!.keyId;
    expect(i.getExtension(x509.AuthorityKeyIdentifierExtension)!.keyId).toBe(rootSki);
    expect(i.getExtension(x509.SubjectKeyIdentifierExtension)!.keyId).not.toBe(rootSki);
    expect(i.signatureAlgorithm).toMatchObject({ hash: { name: 'SHA-256' } });
  });

  it('writes the key identifiers @peculiar/x509 computes for each key, and its PEM encoding of ca-key.pem', async () => {
    const r = new x509.X509Certificate(ca['root-cert.pem']);
    const i = new x509.X509Certificate(ca['ca-cert.pem']);
    expect(r.getExtension(x509.SubjectKeyIdentifierExtension)!.keyId).toBe((await x509.SubjectKeyIdentifierExtension.create(r.publicKey)).keyId);
    expect(i.getExtension(x509.SubjectKeyIdentifierExtension)!.keyId).toBe((await x509.SubjectKeyIdentifierExtension.create(i.publicKey)).keyId);
    expect(i.getExtension(x509.AuthorityKeyIdentifierExtension)!.keyId).toBe((await x509.AuthorityKeyIdentifierExtension.create(r.publicKey)).keyId);
    expect(r.extensions.map((e) => [e.type, e.critical])).toEqual([
      ['2.5.29.19', true],
      ['2.5.29.15', true],
      ['2.5.29.14', false],
    ]);
    expect(i.extensions.map((e) => [e.type, e.critical])).toEqual([
      ['2.5.29.19', true],
      ['2.5.29.15', true],
      ['2.5.29.14', false],
      ['2.5.29.35', false],
    ]);
    const der = createPrivateKey(ca['ca-key.pem']).export({ type: 'pkcs8', format: 'der' });
    expect(ca['ca-key.pem']).toBe(x509.PemConverter.encode(der, 'PRIVATE KEY') + '\n');
  });

  it('passes its own validation', async () => {
    expect(await validateCaFiles(ca, { now: NOW })).toEqual([]);
  });

  it('puts private key text only in ca-key.pem', () => {
    for (const file of CA_FILE_NAMES) {
      if (file === 'ca-key.pem') expect(ca[file]).toContain('PRIVATE KEY');
      else expect(ca[file]).not.toContain('PRIVATE KEY');
    }
  });
});

describe('generateCa options', () => {
  const base: GenerateCaOptions = { algorithm: 'ecdsa-p256', organization: 'o', cluster: 'c', now: NOW };

  it('honours validity in days', async () => {
    const ca = await generateCa({ ...base, rootValidityDays: 30, caValidityDays: 7 });
    expect(new Date(nodeCerts(ca['root-cert.pem'])[0].validTo)).toEqual(new Date(NOW_S + 30 * DAY));
    expect(new Date(nodeCerts(ca['ca-cert.pem'])[0].validTo)).toEqual(new Date(NOW_S + 7 * DAY));
  });

  it.each([
    ['quotes', 'Example "Mesh" Team'],
    ['a leading #', '#platform'],
    ['backslashes and DN punctuation', 'a\\b, c+d; <e>'],
    ['non-ASCII', 'Équipe maillage'],
  ])('writes an organization with %s into both subjects as given', async (_what, organization) => {
    const ca = await generateCa({ ...base, organization, cluster: organization });
    for (const file of ['root-cert.pem', 'ca-cert.pem'] as const) {
      const cert = new x509.X509Certificate(ca[file]);
      expect(cert.subjectName.getField('O')).toEqual([organization]);
      expect(cert.subjectName.getField('L')).toEqual([organization]);
    }
    expect(await validateCaFiles(ca, { now: NOW })).toEqual([]);
  });

  it('generates a new CA each time', async () => {
    const [a, b] = await Promise.all([generateCa(base), generateCa(base)]);
    expect(a['ca-key.pem']).not.toBe(b['ca-key.pem']);
    expect(a['root-cert.pem']).not.toBe(b['root-cert.pem']);
  });

  it.each([
    [{ algorithm: 'rsa-2048' as CaAlgorithm }, 'algorithm', 'must be one of rsa-4096, ecdsa-p256'],
    [{ organization: '' }, 'organization', 'must be 1 to 64 printable characters'],
    [{ cluster: 'x'.repeat(65) }, 'cluster', 'must be 1 to 64 printable characters'],
    [{ rootValidityDays: 0 }, 'rootValidityDays', 'must be a whole number of days from 1 to 36500'],
    [{ caValidityDays: 1.5 }, 'caValidityDays', 'must be a whole number of days from 1 to 36500'],
    [{ rootValidityDays: 10, caValidityDays: 11 }, 'caValidityDays', "must not exceed the root's lifetime (10 days)"],
  ])('refuses %j with an InputError naming %s', async (override, field, message) => {
    const error = await generateCa({ ...base, ...override }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).exitCode).toBe(2);
    expect((error as InputError).problems).toEqual([expect.objectContaining({ path: [field], message })]);
  });
});

function importParams(algorithm: CaAlgorithm): { name: string; hash?: string; namedCurve?: string } {
  return algorithm === 'rsa-4096' ? { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' } : { name: 'ECDSA', namedCurve: 'P-256' };
}
