/**
 * A Sealed Secrets controller's key pair for tests, and an independent implementation
 * of what the controller does to open a sealed value (its HybridDecrypt). Keys made here
 * exist only in memory for the duration of a test.
 */
import { constants, createDecipheriv, createPrivateKey, KeyObject, privateDecrypt } from 'node:crypto';
import { webcrypto, x509 } from '../../src/certs/x509';

const RSA = { name: 'RSASSA-PKCS1-v1_5', modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' } as const;

export interface SealingPair {
  /** The controller's certificate, PEM: what the config names. */
  readonly certPem: string;
  readonly privateKey: KeyObject;
}

/** A self-signed RSA certificate like the controller's (`kubeseal --fetch-cert`), valid from a day ago. */
export async function sealingPair(options: { notAfter?: Date; notBefore?: Date; bits?: number } = {}): Promise<SealingPair> {
  const alg = { ...RSA, modulusLength: options.bits ?? RSA.modulusLength };
  const keys = (await webcrypto.subtle.generateKey(alg, true, ['sign', 'verify'])) as webcrypto.CryptoKeyPair;
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: '01',
    name: 'O=sealed-secret, CN=sealed-secret',
    notBefore: options.notBefore ?? new Date(Date.now() - 86400_000),
    notAfter: options.notAfter ?? new Date(Date.now() + 365 * 86400_000),
    signingAlgorithm: alg,
    keys,
  });
  const pkcs8 = Buffer.from(await webcrypto.subtle.exportKey('pkcs8', keys.privateKey));
  return { certPem: cert.toString('pem') + '\n', privateKey: createPrivateKey({ key: pkcs8, format: 'der', type: 'pkcs8' }) };
}

/** Opens one sealed value with the controller's private key: the controller's format, read independently. */
export function openSealed(privateKey: KeyObject, label: string, sealed: string): Buffer {
  const bytes = Buffer.from(sealed, 'base64');
  const rsaLength = bytes.readUInt16BE(0);
  const rsa = bytes.subarray(2, 2 + rsaLength);
  const rest = bytes.subarray(2 + rsaLength);
  const sessionKey = privateDecrypt({ key: privateKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256', oaepLabel: Buffer.from(label) }, rsa);
  const decipher = createDecipheriv('aes-256-gcm', sessionKey, Buffer.alloc(12));
  decipher.setAuthTag(rest.subarray(rest.length - 16));
  return Buffer.concat([decipher.update(rest.subarray(0, rest.length - 16)), decipher.final()]);
}

/** A SealedSecret opened back into the Secret it was made from (what the controller creates). */
export function unseal(privateKey: KeyObject, sealed: { metadata: { name: string; namespace: string }; spec: { encryptedData: Record<string, string>; template: { metadata: object; type?: string } } }): object {
  const label = `${sealed.metadata.namespace}/${sealed.metadata.name}`;
  const data: Record<string, string> = {};
  for (const key of Object.keys(sealed.spec.encryptedData).sort()) data[key] = openSealed(privateKey, label, sealed.spec.encryptedData[key]).toString('base64');
  return { apiVersion: 'v1', kind: 'Secret', metadata: sealed.spec.template.metadata, ...(sealed.spec.template.type ? { type: sealed.spec.template.type } : {}), data };
}
