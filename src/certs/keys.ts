/**
 * Key pairs of the certificates asmpkg makes, and certificates signed with them, with
 * node:crypto's synchronous calls where @peculiar/x509 would use WebCrypto. Node's
 * WebCrypto runs each call as a job on libuv's thread pool and settles a promise when
 * it is done, and Node 20 makes CryptoKeys slowly: in a render loop a P-256 key pair
 * cost about 0.45 ms through WebCrypto against 0.1 ms in the call. A serving
 * certificate made through WebCrypto alone took six such round trips (generate, export
 * the SPKI twice, digest, sign, export PKCS#8), about 2 ms of its 5.5.
 *
 * The keys stay node:crypto KeyObjects. X509CertificateGenerator.create takes the
 * public key as SubjectPublicKeyInfo bytes, and signs through the crypto provider it is
 * given: {@link createCertificate} gives it one that signs with node:crypto, and a
 * signing key that carries the KeyObject (create reads only the key's `algorithm` and
 * hands the key to the provider's `sign`). The library still encodes every certificate.
 */
import { createHash, generateKeyPair, generateKeyPairSync, KeyObject, sign } from 'node:crypto';
import { promisify } from 'node:util';
import { x509 } from './x509';

/** Key pair algorithms of the certificates asmpkg makes. */
export type CertKeyAlgorithm = 'ecdsa-p256' | 'rsa-4096';

/** A key pair and what certificates need of its public key, computed once. */
export class CertKeys {
  /** DER SubjectPublicKeyInfo, which create() takes instead of exporting the key itself. */
  readonly spki: Buffer;
  /** Hex key identifier, as {@link keyIdentifier}: the subjectKeyIdentifier of its certificates, the authorityKeyIdentifier of those it signs. */
  readonly keyId: string;
  /** What create() takes as the signing key (see {@link SigningKey}). */
  readonly signingKey: SigningKey;

  constructor(
    readonly algorithm: CertKeyAlgorithm,
    readonly publicKey: KeyObject,
    readonly privateKey: KeyObject,
  ) {
    this.spki = publicKey.export({ type: 'spki', format: 'der' });
    this.keyId = keyIdentifier(publicKey, this.spki);
    this.signingKey = new SigningKey(SIGNING_ALGORITHMS[algorithm], privateKey);
  }

  /** The private key as PKCS#8 PEM (64-column base64, LF, a final newline). */
  privateKeyPem(): string {
    return this.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
  }
}

const generateKeyPairAsync = promisify(generateKeyPair);

/**
 * A new key pair. P-256 is generated in the call (about 0.06 ms, less than a trip to
 * the thread pool); RSA-4096 on libuv's threads, as it takes seconds, so that callers can
 * make several at once.
 */
export async function generateCertKeys(algorithm: CertKeyAlgorithm): Promise<CertKeys> {
  const { publicKey, privateKey } =
    algorithm === 'ecdsa-p256'
      ? generateKeyPairSync('ec', { namedCurve: 'P-256' })
      : await generateKeyPairAsync('rsa', { modulusLength: 4096, publicExponent: 0x10001 });
  return new CertKeys(algorithm, publicKey, privateKey);
}

/**
 * The key identifier @peculiar/x509 computes (PublicKey.getKeyIdentifier, behind
 * SubjectKeyIdentifierExtension.create and AuthorityKeyIdentifierExtension.create):
 * SHA-1 of the contents of the subjectPublicKey BIT STRING (RFC 5280 4.2.1.2, method 1).
 * An RSA key's are its PKCS#1 RSAPublicKey, which Node exports as such. A P-256 key's
 * are its uncompressed point (SEC 1 2.3.3: 0x04, x, y; 65 bytes), and that BIT STRING
 * ends `spki`, its SubjectPublicKeyInfo.
 *
 * Not from the JWK export, which has x and y as well: Node 20 holds a key's lock while
 * it builds the JWK's strings, and a garbage collection meanwhile that frees the job
 * that generated the key takes the same lock, hanging the process. (Its DER and PEM
 * exports, and signing, make their results after letting go of the lock.)
 */
export function keyIdentifier(publicKey: KeyObject, spki: Buffer): string {
  const sha1 = createHash('sha1');
  if (publicKey.asymmetricKeyType === 'rsa') {
    sha1.update(publicKey.export({ type: 'pkcs1', format: 'der' }));
  } else {
    const point = spki.subarray(spki.length - P256_POINT_LENGTH);
    const header = spki.subarray(spki.length - P256_POINT_LENGTH - P256_BIT_STRING_HEADER.length, spki.length - P256_POINT_LENGTH);
    if (publicKey.asymmetricKeyType !== 'ec' || !header.equals(P256_BIT_STRING_HEADER) || point[0] !== 0x04) {
      throw new Error(`no key identifier for this ${publicKey.asymmetricKeyType} key`);
    }
    sha1.update(point);
  }
  return sha1.digest('hex');
}
/** The BIT STRING's tag, length (66) and unused-bits count (0) before a P-256 point. */
const P256_BIT_STRING_HEADER = Buffer.from([0x03, 0x42, 0x00]);
const P256_POINT_LENGTH = 65;

/** What {@link createCertificate} takes: create()'s parameters, with keys instead of the key and algorithm fields. */
export interface CreateCertificateParams {
  readonly serialNumber: string;
  readonly subject: x509.Name;
  readonly issuer: x509.Name;
  readonly notBefore: Date;
  readonly notAfter: Date;
  /** The key pair the certificate is for. */
  readonly keys: CertKeys;
  /** The key pair that signs it: `keys` when self-signed, else the issuer's. SHA-256 with its algorithm. */
  readonly signer: CertKeys;
  readonly extensions: x509.Extension[];
}

/** A certificate encoded and signed by @peculiar/x509, signed with node:crypto (see the module comment). */
export function createCertificate(params: CreateCertificateParams): Promise<x509.X509Certificate> {
  const { keys, signer, ...rest } = params;
  return x509.X509CertificateGenerator.create(
    {
      ...rest,
      publicKey: keys.spki,
      // create() reads the key's algorithm and passes the key to SYNC_SIGNER, nothing else.
      signingKey: signer.signingKey as unknown as CryptoKeyParam,
      signingAlgorithm: { name: signer.signingKey.algorithm.name, hash: 'SHA-256' },
    },
    SYNC_SIGNER,
  );
}
type CreateParams = Parameters<typeof x509.X509CertificateGenerator.create>[0];
type CryptoKeyParam = Extract<CreateParams, { signingKey: unknown }>['signingKey'];
type CryptoProvider = NonNullable<Parameters<typeof x509.X509CertificateGenerator.create>[1]>;

/**
 * A private key as create() uses its signing key: `algorithm` is what a CryptoKey of the
 * same key would report (create merges it into the signature algorithm it encodes), and
 * the KeyObject is what {@link SYNC_SIGNER} signs with.
 */
class SigningKey {
  constructor(
    readonly algorithm: SigningKeyAlgorithm,
    readonly keyObject: KeyObject,
  ) {}
}

type SigningKeyAlgorithm =
  | { readonly name: 'ECDSA'; readonly namedCurve: 'P-256' }
  | { readonly name: 'RSASSA-PKCS1-v1_5'; readonly modulusLength: number; readonly publicExponent: Uint8Array; readonly hash: { readonly name: 'SHA-256' } };

const SIGNING_ALGORITHMS: Readonly<Record<CertKeyAlgorithm, SigningKeyAlgorithm>> = {
  'ecdsa-p256': { name: 'ECDSA', namedCurve: 'P-256' },
  'rsa-4096': { name: 'RSASSA-PKCS1-v1_5', modulusLength: 4096, publicExponent: new Uint8Array([1, 0, 1]), hash: { name: 'SHA-256' } },
};

/**
 * create()'s crypto provider: signs in the call, in WebCrypto's output format (ECDSA as
 * r||s, which the library re-encodes as DER). Given a serial number and the public key
 * as SPKI bytes, create uses nothing else of its provider.
 */
const SYNC_SIGNER = {
  subtle: {
    async sign(algorithm: { name: string; hash?: string | { name: string } }, key: unknown, data: ArrayBuffer): Promise<ArrayBuffer> {
      const hash = typeof algorithm.hash === 'string' ? algorithm.hash : algorithm.hash?.name;
      if (!(key instanceof SigningKey) || hash !== 'SHA-256' || key.algorithm.name !== algorithm.name) {
        throw new TypeError(`cannot sign with ${algorithm.name} and ${hash}`);
      }
      const signature =
        algorithm.name === 'ECDSA'
          ? sign('sha256', new Uint8Array(data), { key: key.keyObject, dsaEncoding: 'ieee-p1363' })
          : sign('sha256', new Uint8Array(data), key.keyObject);
      return signature.buffer.slice(signature.byteOffset, signature.byteOffset + signature.byteLength) as ArrayBuffer;
    },
  },
} as unknown as CryptoProvider;

/**
 * A certificate subject of O, L and CN, in that order, as openssl-made Istio CAs have
 * them. Each value is handed to @peculiar/x509 as a typed string: given plain strings,
 * its JSON form would read a leading `#` as hex DER and strip quotes and backslashes,
 * so an organization such as `a "b" c` would become `b`. The string type is the one it
 * picks for plain strings (PrintableString when the value allows it, else UTF8String).
 */
export function subjectName(organization: string, locality: string, commonName: string): x509.Name {
  const typed = (value: string) => (x509.Name.isPrintableString(value) ? { printableString: value } : { utf8String: value });
  return new x509.Name([{ O: [typed(organization)] }, { L: [typed(locality)] }, { CN: [typed(commonName)] }]);
}
