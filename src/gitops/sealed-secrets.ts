import { constants, createCipheriv, createHmac, KeyObject, publicEncrypt, randomBytes, X509Certificate } from 'node:crypto';
import { ASMPKG_KEYS, SEALED_SECRETS } from '../catalog/gitops';

/**
 * Sealed Secrets (SPEC section 15): a Secret encrypted to the controller's public key so
 * it can be committed; only the controller, holding the private key, opens it. Each value
 * is sealed on its own, exactly as the controller's hybrid scheme expects:
 *
 *   base64( len(rsa) as 2 bytes big-endian ‖ rsa ‖ aes )
 *   rsa = RSA-OAEP(SHA-256, label = "NAMESPACE/NAME")(session key)   (strict scope)
 *   aes = AES-256-GCM(session key, 12-byte zero nonce)(value) ‖ 16-byte tag
 *
 * A fresh random session key per value makes the zero nonce safe.
 */

/** A plain Secret as asmpkg renders it: base64 `data`, sorted keys. */
export interface PlainSecret {
  readonly apiVersion: 'v1';
  readonly kind: 'Secret';
  readonly metadata: { readonly name: string; readonly namespace: string; readonly annotations?: Record<string, string>; readonly labels?: Record<string, string> };
  readonly type?: string;
  readonly data: Readonly<Record<string, string>>;
}

export interface SealedSecretObject {
  readonly apiVersion: typeof SEALED_SECRETS.apiVersion;
  readonly kind: typeof SEALED_SECRETS.kind;
  readonly metadata: { readonly name: string; readonly namespace: string; readonly annotations: Record<string, string> };
  readonly spec: {
    readonly encryptedData: Record<string, string>;
    readonly template: { readonly metadata: PlainSecret['metadata']; readonly type?: string };
  };
}

/** The controller's certificate, parsed once per process: its key and what identifies it. */
export interface SealingKey {
  readonly publicKey: KeyObject;
  /** The certificate's DER bytes: part of what a sealed value is recorded as made from. */
  readonly der: Buffer;
}

/** Why a certificate cannot seal, or undefined when it can. Checked once, before rendering. */
export function sealingCertificateProblem(pem: string, now: Date = new Date()): string | undefined {
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(pem);
  } catch {
    return 'is not a PEM X.509 certificate (fetch it with kubeseal --fetch-cert)';
  }
  const type = cert.publicKey.asymmetricKeyType;
  if (type !== 'rsa') return `has a ${type ?? 'non-RSA'} key; the Sealed Secrets controller's certificate is RSA (RSA-OAEP seals the session keys)`;
  const bits = cert.publicKey.asymmetricKeyDetails?.modulusLength ?? 0;
  if (bits < 2048) return `has a ${bits}-bit RSA key; at least 2048 bits are required`;
  if (new Date(cert.validTo) < now) return `expired on ${new Date(cert.validTo).toISOString()}; fetch the controller's current certificate (kubeseal --fetch-cert)`;
  if (new Date(cert.validFrom) > now) return `is not valid before ${new Date(cert.validFrom).toISOString()}`;
  return undefined;
}

const keys = new Map<string, SealingKey>();

/** The sealing key of a certificate that passed {@link sealingCertificateProblem}; parsed once per process. */
export function sealingKey(pem: string): SealingKey {
  let key = keys.get(pem);
  if (!key) {
    const cert = new X509Certificate(pem);
    key = { publicKey: cert.publicKey, der: cert.raw };
    keys.set(pem, key);
  }
  return key;
}

/** Seals one value for a Secret `namespace/name` (strict scope). */
export function sealValue(key: SealingKey, label: string, value: Buffer): string {
  const sessionKey = randomBytes(SEALED_SECRETS.sessionKeyBytes);
  const rsa = publicEncrypt({ key: key.publicKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256', oaepLabel: Buffer.from(label, 'utf8') }, sessionKey);
  const cipher = createCipheriv('aes-256-gcm', sessionKey, Buffer.alloc(SEALED_SECRETS.nonceBytes));
  const aes = Buffer.concat([cipher.update(value), cipher.final(), cipher.getAuthTag()]);
  const length = Buffer.alloc(2);
  length.writeUInt16BE(rsa.length);
  return Buffer.concat([length, rsa, aes]).toString('base64');
}

/**
 * What a sealed Secret was made from: an HMAC of the sealing certificate keyed with the
 * plain Secret. It changes when either changes, and it reveals nothing usable about
 * the Secret (whose private key alone has far more entropy than the digest).
 */
export function sealedFrom(key: SealingKey, secret: PlainSecret): string {
  return createHmac('sha256', JSON.stringify(secret)).update(key.der).digest('hex');
}

/** A previous run's SealedSecret, by `namespace/name`, to reuse when nothing changed. */
export type PreviousSealed = ReadonlyMap<string, { readonly from?: string; readonly encryptedData: Readonly<Record<string, string>> }>;

/**
 * Seals a Secret. If the previous output holds a SealedSecret made from the same Secret
 * with the same certificate, its values are reused: sealing is randomised, so sealing
 * again would change every byte in Git while changing nothing in the cluster.
 */
export function sealSecret(key: SealingKey, secret: PlainSecret, previous?: PreviousSealed): SealedSecretObject {
  const { name, namespace } = secret.metadata;
  const from = sealedFrom(key, secret);
  const before = previous?.get(`${namespace}/${name}`);
  const keysOf = Object.keys(secret.data).sort();
  const reusable = before?.from === from && keysOf.every((k) => typeof before.encryptedData[k] === 'string') && Object.keys(before.encryptedData).length === keysOf.length;
  const encryptedData: Record<string, string> = {};
  for (const k of keysOf) encryptedData[k] = reusable ? before!.encryptedData[k] : sealValue(key, `${namespace}/${name}`, Buffer.from(secret.data[k], 'base64'));
  return {
    apiVersion: SEALED_SECRETS.apiVersion,
    kind: SEALED_SECRETS.kind,
    metadata: { name, namespace, annotations: { [ASMPKG_KEYS.sealedFrom]: from } },
    spec: {
      encryptedData,
      template: { metadata: secret.metadata, ...(secret.type ? { type: secret.type } : {}) },
    },
  };
}

/** Reads the SealedSecrets of a previous run's file (parsed YAML documents); anything else is ignored. */
export function previousSealed(docs: readonly unknown[]): PreviousSealed {
  const found = new Map<string, { from?: string; encryptedData: Record<string, string> }>();
  for (const doc of docs) {
    const d = doc as Partial<SealedSecretObject> | null;
    if (d?.kind !== SEALED_SECRETS.kind || !d.metadata || !d.spec?.encryptedData) continue;
    found.set(`${d.metadata.namespace}/${d.metadata.name}`, { from: d.metadata.annotations?.[ASMPKG_KEYS.sealedFrom], encryptedData: d.spec.encryptedData });
  }
  return found;
}
