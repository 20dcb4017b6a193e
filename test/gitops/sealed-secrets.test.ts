import { X509Certificate } from 'node:crypto';
import { ASMPKG_KEYS } from '../../src/catalog/gitops';
import { PlainSecret, previousSealed, sealingCertificateProblem, sealingKey, sealSecret } from '../../src/gitops/sealed-secrets';
import { x509 } from '../../src/certs/x509';
import { webcrypto } from '../../src/certs/x509';
import { openSealed, SealingPair, sealingPair, unseal } from '../helpers/sealing';

const SECRET: PlainSecret = {
  apiVersion: 'v1',
  kind: 'Secret',
  metadata: { name: 'istio.istio-galley-service-account', namespace: 'istio-system', annotations: { 'istio.io/service-account.name': 'istio-galley-service-account' } },
  type: 'istio.io/key-and-cert',
  data: { 'cert-chain.pem': Buffer.from('chain\n').toString('base64'), 'key.pem': Buffer.from('secret key bytes \u0000\u00ff').toString('base64') },
};

let pair: SealingPair;
let other: SealingPair;
beforeAll(async () => {
  [pair, other] = await Promise.all([sealingPair(), sealingPair()]);
});

describe('sealing (the controller format, SPEC 15)', () => {
  test('every value opens with the private key to exactly the plain bytes; the Secret comes back whole', () => {
    const sealed = sealSecret(sealingKey(pair.certPem), SECRET);
    expect(sealed.apiVersion).toBe('bitnami.com/v1alpha1');
    expect(sealed.kind).toBe('SealedSecret');
    expect(Object.keys(sealed.spec.encryptedData)).toEqual(['cert-chain.pem', 'key.pem']);
    expect(openSealed(pair.privateKey, 'istio-system/istio.istio-galley-service-account', sealed.spec.encryptedData['key.pem'])).toEqual(Buffer.from(SECRET.data['key.pem'], 'base64'));
    expect(unseal(pair.privateKey, sealed)).toEqual(SECRET);
    // Strict scope: no scope annotation, and the label binds the value to namespace/name.
    expect(JSON.stringify(sealed)).not.toMatch(/namespace-wide|cluster-wide/);
    expect(() => openSealed(pair.privateKey, 'other-ns/istio.istio-galley-service-account', sealed.spec.encryptedData['key.pem'])).toThrow();
  });

  test('the ciphertext layout: 2-byte length of a modulus-sized RSA block, then the value plus a 16-byte GCM tag', () => {
    const value = Buffer.from(SECRET.data['cert-chain.pem'], 'base64');
    const bytes = Buffer.from(sealSecret(sealingKey(pair.certPem), SECRET).spec.encryptedData['cert-chain.pem'], 'base64');
    expect(bytes.readUInt16BE(0)).toBe(256);
    expect(bytes.length).toBe(2 + 256 + value.length + 16);
  });

  test('only the other key pair cannot open it', () => {
    const sealed = sealSecret(sealingKey(pair.certPem), SECRET);
    expect(() => unseal(other.privateKey, sealed)).toThrow();
  });

  test('re-sealing reuses the previous values when Secret and certificate are unchanged, and seals anew otherwise', () => {
    const key = sealingKey(pair.certPem);
    const first = sealSecret(key, SECRET);
    const again = sealSecret(key, SECRET, previousSealed([first]));
    expect(again).toEqual(first);
    // Without the previous output, sealing is randomised.
    expect(sealSecret(key, SECRET).spec.encryptedData).not.toEqual(first.spec.encryptedData);
    const changed = { ...SECRET, data: { ...SECRET.data, 'key.pem': Buffer.from('new key').toString('base64') } };
    const resealed = sealSecret(key, changed, previousSealed([first]));
    expect(resealed.metadata.annotations[ASMPKG_KEYS.sealedFrom]).not.toBe(first.metadata.annotations[ASMPKG_KEYS.sealedFrom]);
    expect(resealed.spec.encryptedData['cert-chain.pem']).not.toBe(first.spec.encryptedData['cert-chain.pem']);
    expect(unseal(pair.privateKey, resealed)).toEqual(changed);
    const newCert = sealSecret(sealingKey(other.certPem), SECRET, previousSealed([first]));
    expect(unseal(other.privateKey, newCert)).toEqual(SECRET);
  });

  test('the recorded digest is not a hash of the key material alone', () => {
    const sealed = sealSecret(sealingKey(pair.certPem), SECRET);
    const digest = sealed.metadata.annotations[ASMPKG_KEYS.sealedFrom];
    const { createHash } = require('node:crypto') as typeof import('node:crypto');
    for (const v of Object.values(SECRET.data)) {
      expect(digest).not.toBe(createHash('sha256').update(Buffer.from(v, 'base64')).digest('hex'));
      expect(digest).not.toBe(createHash('sha256').update(v).digest('hex'));
    }
  });
});

describe('sealing certificate checks', () => {
  test('an RSA certificate in its validity period is accepted', () => {
    expect(sealingCertificateProblem(pair.certPem)).toBeUndefined();
    expect(new X509Certificate(pair.certPem).publicKey.asymmetricKeyType).toBe('rsa');
  });

  test('expired, not yet valid, EC, short RSA and non-certificates are refused with a reason', async () => {
    const expired = await sealingPair({ notBefore: new Date('2020-01-01'), notAfter: new Date('2021-01-01') });
    expect(sealingCertificateProblem(expired.certPem)).toMatch(/^expired on 2021-01-01/);
    const future = await sealingPair({ notBefore: new Date(Date.now() + 10 * 86400_000) });
    expect(sealingCertificateProblem(future.certPem)).toMatch(/^is not valid before/);
    const short = await sealingPair({ bits: 1024 });
    expect(sealingCertificateProblem(short.certPem)).toMatch(/1024-bit RSA key; at least 2048/);
    const ec = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;
    const keys = (await webcrypto.subtle.generateKey(ec, true, ['sign', 'verify'])) as webcrypto.CryptoKeyPair;
    const ecCert = await x509.X509CertificateGenerator.createSelfSigned({ serialNumber: '01', name: 'CN=ec', notBefore: new Date(Date.now() - 1000), notAfter: new Date(Date.now() + 86400_000), signingAlgorithm: ec, keys });
    expect(sealingCertificateProblem(ecCert.toString('pem'))).toMatch(/has a ec key; .*RSA/);
    expect(sealingCertificateProblem('not a certificate')).toMatch(/is not a PEM X.509 certificate/);
  });
});
