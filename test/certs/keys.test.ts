/**
 * The node:crypto side of certificate making: key identifiers computed without
 * @peculiar/x509 must be the library's own, byte for byte, and certificates it encodes
 * must carry signatures from the key they name.
 */
import { generateKeyPairSync, X509Certificate } from 'node:crypto';
import { CertKeys, createCertificate, generateCertKeys, keyIdentifier } from '../../src/certs/keys';
import { x509 } from '../../src/certs/x509';

const FROM = new Date('2030-01-01T00:00:00Z');
const TO = new Date('2031-01-01T00:00:00Z');

describe('keyIdentifier', () => {
  it.each([
    ['P-256', () => generateKeyPairSync('ec', { namedCurve: 'P-256' })],
    // Faster than 4096 bits; the identifier is taken the same way for any modulus.
    ['RSA-2048', () => generateKeyPairSync('rsa', { modulusLength: 2048 })],
  ])('is what @peculiar/x509 computes for a %s key', async (_name, generate) => {
    for (let i = 0; i < 5; i++) {
      const { publicKey } = generate();
      const spki = publicKey.export({ type: 'spki', format: 'der' });
      expect(keyIdentifier(publicKey, spki)).toBe((await x509.SubjectKeyIdentifierExtension.create(spki)).keyId);
    }
  });

  it('is what @peculiar/x509 computes for the keys generateCertKeys makes', async () => {
    for (const keys of await Promise.all([generateCertKeys('ecdsa-p256'), generateCertKeys('ecdsa-p256')])) {
      expect(keys.keyId).toBe((await x509.SubjectKeyIdentifierExtension.create(keys.spki)).keyId);
      expect(keys.spki).toEqual(keys.publicKey.export({ type: 'spki', format: 'der' }));
    }
  });

  it('refuses keys whose point it cannot find', () => {
    for (const { publicKey } of [generateKeyPairSync('ed25519'), generateKeyPairSync('ec', { namedCurve: 'P-384' })]) {
      expect(() => keyIdentifier(publicKey, publicKey.export({ type: 'spki', format: 'der' }))).toThrow(/no key identifier/);
    }
  });
});

describe('createCertificate', () => {
  const name = (cn: string) => new x509.Name([{ CN: [cn] }]);
  const make = (keys: CertKeys, signer: CertKeys, subject: string, issuer: string) =>
    createCertificate({ serialNumber: '4001', subject: name(subject), issuer: name(issuer), notBefore: FROM, notAfter: TO, keys, signer, extensions: [] });

  it('encodes the public key of `keys` and signs with `signer` (ECDSA)', async () => {
    const [a, b] = await Promise.all([generateCertKeys('ecdsa-p256'), generateCertKeys('ecdsa-p256')]);
    const root = new X509Certificate(Buffer.from((await make(a, a, 'a', 'a')).rawData));
    const leaf = new X509Certificate(Buffer.from((await make(b, a, 'b', 'a')).rawData));
    expect(root.verify(a.publicKey)).toBe(true);
    expect(leaf.verify(a.publicKey)).toBe(true);
    expect(leaf.verify(b.publicKey)).toBe(false);
    expect(leaf.checkPrivateKey(b.privateKey)).toBe(true);
    expect(leaf.checkIssued(root)).toBe(true);
    expect(leaf.publicKey.export({ type: 'spki', format: 'der' })).toEqual(b.spki);
    const parsed = new x509.X509Certificate(leaf.raw);
    expect(parsed.signatureAlgorithm).toMatchObject({ name: 'ECDSA', hash: { name: 'SHA-256' } });
    expect(await parsed.verify({ publicKey: new x509.X509Certificate(root.raw).publicKey, signatureOnly: true })).toBe(true);
  });
});
