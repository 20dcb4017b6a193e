/**
 * Test-only builders for CA files that break one rule each. Keys made here exist only
 * in memory for the duration of a test.
 */
import { webcrypto, x509 } from '../../src/certs/x509';
import { CaFiles } from '../../src/certs/types';

export const EC = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;

export type KeyPair = webcrypto.CryptoKeyPair;

export async function keyPair(): Promise<KeyPair> {
  return (await webcrypto.subtle.generateKey(EC, true, ['sign', 'verify'])) as KeyPair;
}

export interface CertSpec {
  subject: string;
  keys: KeyPair;
  /** Issuer certificate and its keys; self-signed when absent. */
  issuer?: { cert: x509.X509Certificate; keys: KeyPair };
  /** Overrides the issuer name written into the certificate. */
  issuerName?: string;
  ca?: boolean;
  keyUsage?: number;
  notBefore?: Date;
  notAfter?: Date;
}

export const FROM = new Date('2030-01-01T00:00:00Z');
export const TO = new Date('2035-01-01T00:00:00Z');
/** A time inside FROM..TO. */
export const DURING = new Date('2031-06-01T00:00:00Z');

export async function cert(spec: CertSpec): Promise<x509.X509Certificate> {
  const extensions: x509.Extension[] = [];
  if (spec.ca !== undefined) extensions.push(new x509.BasicConstraintsExtension(spec.ca, undefined, true));
  if (spec.keyUsage !== undefined) extensions.push(new x509.KeyUsagesExtension(spec.keyUsage, true));
  return x509.X509CertificateGenerator.create({
    serialNumber: '0102',
    subject: spec.subject,
    issuer: spec.issuerName ?? spec.issuer?.cert.subject ?? spec.subject,
    notBefore: spec.notBefore ?? FROM,
    notAfter: spec.notAfter ?? TO,
    signingAlgorithm: EC,
    publicKey: spec.keys.publicKey,
    signingKey: (spec.issuer?.keys ?? spec.keys).privateKey,
    extensions,
  });
}

export const CA_USAGE = x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign;

export function pem(...certs: x509.X509Certificate[]): string {
  return certs.map((c) => c.toString('pem') + '\n').join('');
}

export async function keyPem(keys: KeyPair): Promise<string> {
  return x509.PemConverter.encode(await webcrypto.subtle.exportKey('pkcs8', keys.privateKey), 'PRIVATE KEY') + '\n';
}

/** A valid two-level CA built from explicit parts, so tests can swap one part out. */
export interface Parts {
  rootKeys: KeyPair;
  root: x509.X509Certificate;
  caKeys: KeyPair;
  ca: x509.X509Certificate;
}

export async function parts(names = { root: 'CN=Test Root CA', ca: 'CN=Test Intermediate CA' }): Promise<Parts> {
  const rootKeys = await keyPair();
  const root = await cert({ subject: names.root, keys: rootKeys, ca: true, keyUsage: CA_USAGE });
  const caKeys = await keyPair();
  const ca = await cert({ subject: names.ca, keys: caKeys, issuer: { cert: root, keys: rootKeys }, ca: true, keyUsage: CA_USAGE });
  return { rootKeys, root, caKeys, ca };
}

export async function files(p: Parts): Promise<CaFiles> {
  return {
    'ca-cert.pem': pem(p.ca),
    'ca-key.pem': await keyPem(p.caKeys),
    'root-cert.pem': pem(p.root),
    'cert-chain.pem': pem(p.ca, p.root),
  };
}
