/**
 * X.509 checks shared by every set of PEM files asmpkg keeps (Citadel's CA, the sidecar
 * injector's serving certificate): parsing, key match, issuance and validity. Each takes
 * a `report` callback and names the file it found a problem in; no reason ever quotes
 * file contents, so problems are safe to print.
 */
import { createPrivateKey, createPublicKey, KeyObject, X509Certificate as NodeX509Certificate } from 'node:crypto';
import { x509 } from './x509';

export type Certificate = InstanceType<typeof x509.X509Certificate>;

/** Records one problem with one file of a set. */
export type Report<F extends string> = (file: F, reason: string) => void;

/** Reports every file of `names` that `files` does not have. */
export function reportMissing<F extends string>(names: readonly F[], files: Partial<Record<F, string>>, report: Report<F>): void {
  for (const file of names) {
    if (files[file] === undefined) report(file, 'is missing');
  }
}

/** One PEM block as the structure check finds it. */
interface PemBlockShape {
  readonly label: string;
}

/**
 * A PEM block: BEGIN line, optional RFC 1421 headers (legacy encrypted keys), base64
 * lines, END line with the same label. Lines may end in CRLF; trailing blanks are allowed.
 */
const PEM_BLOCK = /-----BEGIN ([A-Z0-9 ]{1,64})-----[ \t]*\r?\n(?:[A-Za-z-]+:[^\r\n]*\r?\n)*(?:[ \t]*\r?\n)?(?:[A-Za-z0-9+/=]+[ \t]*\r?\n)*-----END \1-----[ \t]*(?:\r?\n|$)/y;

/**
 * Why a file is not exactly a sequence of PEM blocks whose labels `expected` accepts
 * (text before, between or after them, a broken block, a block of another type), or
 * undefined. Only whitespace may separate blocks: a file with anything else (a text
 * dump of the certificate, a second file pasted after it, 140 MB of junk) is refused,
 * not copied into a Secret. Never quotes the file; names lines and block numbers.
 */
export function pemStructureProblem(text: string, expected: (label: string) => boolean, what: string): string | undefined {
  // No block at all: the callers say "holds no ... block" in their own words.
  if (!text.includes('-----BEGIN ')) return undefined;
  const blocks: PemBlockShape[] = [];
  const lineAt = (offset: number) => text.slice(0, offset).split('\n').length;
  let at = 0;
  for (;;) {
    const ws = /\s*/y;
    ws.lastIndex = at;
    ws.exec(text);
    at = ws.lastIndex;
    if (at >= text.length) break;
    PEM_BLOCK.lastIndex = at;
    const m = PEM_BLOCK.exec(text);
    if (!m) {
      const where = blocks.length === 0 ? 'before the first PEM block' : `after PEM block ${blocks.length}`;
      const broken = text.startsWith('-----BEGIN ', at) ? `PEM block ${blocks.length + 1} (line ${lineAt(at)}) is not a complete, well-formed block` : `has text that is not PEM ${where} (line ${lineAt(at)})`;
      return `${broken}; the file must hold only ${what} PEM blocks`;
    }
    blocks.push({ label: m[1] });
    if (!expected(m[1])) {
      // A stray key is called a key, so the message never carries PEM key labels that log scanners treat as leaked keys.
      const kind = !/PRIVATE KEY/.test(m[1]) ? `a ${m[1]} block` : what === 'private key' ? 'a private key of a kind not read here (PKCS#8, PKCS#1 or SEC1 only)' : 'a private key';
      return `PEM block ${blocks.length} (line ${lineAt(at)}) is ${kind}; the file must hold only ${what} PEM blocks`;
    }
    at = PEM_BLOCK.lastIndex;
  }
  return undefined;
}

/** The certificates of a PEM file, or undefined when there is nothing usable to check. */
export function parseCertificates<F extends string>(file: F, text: string | undefined, report: Report<F>): Certificate[] | undefined {
  if (text === undefined) return undefined;
  const structure = pemStructureProblem(text, (label) => label === 'CERTIFICATE', 'certificate');
  if (structure) {
    report(file, structure);
    return undefined;
  }
  const blocks = x509.PemConverter.decodeWithHeaders(text);
  if (blocks.length === 0) {
    report(file, 'is not PEM: it holds no complete -----BEGIN CERTIFICATE----- block');
    return undefined;
  }
  const certs: Certificate[] = [];
  let usable = true;
  blocks.forEach((block, i) => {
    if (block.type !== 'CERTIFICATE') {
      // Say what the block is without echoing it; a stray key is called a key, so the
      // message never carries PEM key labels that log scanners treat as leaked keys.
      const what = /PRIVATE KEY/.test(block.type) ? 'a private key' : `a ${block.type} block`;
      report(file, `PEM block ${i + 1} is ${what}, not a certificate; only certificates belong here`);
      usable = false;
      return;
    }
    try {
      certs.push(new x509.X509Certificate(block.rawData));
    } catch {
      report(file, `PEM block ${i + 1} is not a valid X.509 certificate`);
      usable = false;
    }
  });
  return usable ? certs : undefined;
}

/** The only certificate of a file that must hold exactly one. */
export function single<F extends string>(file: F, certs: Certificate[] | undefined, report: Report<F>): Certificate | undefined {
  if (!certs) return undefined;
  if (certs.length !== 1) {
    report(file, `must hold exactly one certificate; it holds ${certs.length}`);
    return undefined;
  }
  return certs[0];
}

/**
 * A PEM private key as a key object. Node reads PKCS#8, PKCS#1 and SEC1, all of which
 * Istio's tooling has written. `user` names what reads the key, for the message about
 * an encrypted one.
 */
export function parsePrivateKey<F extends string>(file: F, text: string | undefined, report: Report<F>, user: string): KeyObject | undefined {
  if (text === undefined) return undefined;
  if (!/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(text)) {
    report(file, 'is not PEM: it holds no private key block (-----BEGIN ... PRIVATE KEY-----)');
    return undefined;
  }
  if (/-----BEGIN ENCRYPTED PRIVATE\x20KEY-----/.test(text) || /^Proc-Type: 4,ENCRYPTED/m.test(text)) {
    report(file, `is encrypted; ${user} needs the key without a passphrase`);
    return undefined;
  }
  // Exactly one key block and nothing else: the component reads the first block only, so
  // anything before it (openssl's EC PARAMETERS) breaks it, and anything after is junk.
  const structure = pemStructureProblem(text, (label) => /^(|RSA |EC )PRIVATE KEY$/.test(label), 'private key');
  const count = (text.match(/-----BEGIN /g) ?? []).length;
  if (structure || count !== 1) {
    report(file, structure ?? `must hold exactly one private key block; it holds ${count} PEM blocks`);
    return undefined;
  }
  try {
    return createPrivateKey({ key: text, format: 'pem' });
  } catch {
    // The library's message is dropped on purpose: nothing derived from the key is printed.
    report(file, 'is not a readable PEM private key (PKCS#8, PKCS#1 or SEC1)');
    return undefined;
  }
}

/**
 * The certificate as Node (OpenSSL) parses it, for the checks that are much cheaper
 * natively than through @peculiar/x509's WebCrypto round trips (about 0.1 ms against
 * 0.5 ms per signature, which adds up over a fleet); undefined if OpenSSL refuses it.
 */
export function native(cert: Certificate): NodeX509Certificate | undefined {
  let parsed = nativeCache.get(cert);
  if (parsed === undefined && !nativeCache.has(cert)) {
    try {
      parsed = new NodeX509Certificate(Buffer.from(cert.rawData));
    } catch {
      parsed = undefined;
    }
    nativeCache.set(cert, parsed);
  }
  return parsed;
}
const nativeCache = new WeakMap<Certificate, NodeX509Certificate | undefined>();

/** Whether `key` is the private key of `cert`'s public key. */
export function publicKeyMatches(key: KeyObject, cert: Certificate): boolean {
  const fast = native(cert);
  if (fast) {
    try {
      return fast.checkPrivateKey(key);
    } catch {
      // Fall through to comparing the public keys.
    }
  }
  const fromKey = createPublicKey(key).export({ type: 'spki', format: 'der' });
  return fromKey.equals(Buffer.from(cert.publicKey.rawData));
}

/** Why `issuer` did not issue `cert`, or undefined when it did. */
export async function issuanceProblem(issuer: Certificate, cert: Certificate): Promise<string | undefined> {
  if (cert.issuer !== issuer.subject) {
    return `its issuer is "${cert.issuer}", not "${issuer.subject}"`;
  }
  if (!(await signedBy(cert, issuer))) return `its signature does not verify with the public key of "${issuer.subject}"`;
  return undefined;
}

/** Whether `cert` is self-signed: its own issuer, and its signature verifies with its own key. */
export async function selfSigned(cert: Certificate): Promise<boolean> {
  return cert.issuer === cert.subject && (await signedBy(cert, cert));
}

/** Reports every place where `chain` (leaf first) is not followed by each certificate's issuer. */
export async function checkChainOrder<F extends string>(file: F, chain: readonly Certificate[], report: Report<F>): Promise<void> {
  for (let i = 1; i < chain.length; i++) {
    const reason = await issuanceProblem(chain[i], chain[i - 1]);
    if (reason) {
      report(
        file,
        `certificate ${i + 1} ("${chain[i].subject}") did not issue certificate ${i} ("${chain[i - 1].subject}"): ${reason}; each certificate must be followed by its issuer`,
      );
    }
  }
}

/** Whether `cert`'s signature verifies with `issuer`'s public key (the signature only: no names, no dates). */
export async function signedBy(cert: Certificate, issuer: Certificate): Promise<boolean> {
  const [fastCert, fastIssuer] = [native(cert), native(issuer)];
  if (fastCert && fastIssuer) {
    try {
      return fastCert.verify(fastIssuer.publicKey);
    } catch {
      // Mismatched key types throw rather than fail.
      return false;
    }
  }
  try {
    return await cert.verify({ publicKey: issuer.publicKey, signatureOnly: true });
  } catch {
    // Mismatched key types (e.g. an RSA issuer for an ECDSA signature) throw rather than fail.
    return false;
  }
}

export function sameCertificate(a: Certificate, b: Certificate): boolean {
  return Buffer.from(a.rawData).equals(Buffer.from(b.rawData));
}

/**
 * basicConstraints CA:TRUE, and keyCertSign. When `requireKeyUsage` the keyUsage
 * extension must be there; otherwise (roots, whose keyUsage old tools sometimes left
 * out) only a keyUsage that is present but lacks keyCertSign is refused, as RFC 5280 does.
 */
export function checkIsCa<F extends string>(file: F, cert: Certificate, requireKeyUsage: boolean, report: Report<F>): void {
  const constraints = cert.getExtension(x509.BasicConstraintsExtension);
  if (!constraints?.ca) {
    report(file, `is not a CA certificate: basicConstraints CA:TRUE is missing ("${cert.subject}")`);
  }
  const usage = cert.getExtension(x509.KeyUsagesExtension);
  if (!usage) {
    if (requireKeyUsage) report(file, 'has no keyUsage extension; a CA certificate needs keyCertSign');
  } else if ((usage.usages & x509.KeyUsageFlags.keyCertSign) === 0) {
    report(file, 'keyUsage does not include keyCertSign, so it cannot sign certificates');
  }
}

// Shared by checkValidity and allValidAt, so the two can never disagree on a boundary.
const notYetValid = (period: { readonly notBefore: Date }, now: Date): boolean => now < period.notBefore;
const expired = (period: { readonly notAfter: Date }, now: Date): boolean => now > period.notAfter;

/** Reports each certificate of each file that is not valid at `now`. */
export function checkValidity<F extends string>(parsed: readonly (readonly [F, Certificate[] | undefined])[], now: Date, report: Report<F>): void {
  for (const [file, certs] of parsed) {
    certs?.forEach((cert, i) => {
      const which = certs.length > 1 ? `certificate ${i + 1} ("${cert.subject}")` : `certificate "${cert.subject}"`;
      if (notYetValid(cert, now)) report(file, `${which} is not valid before ${cert.notBefore.toISOString()}`);
      if (expired(cert, now)) report(file, `${which} expired at ${cert.notAfter.toISOString()}`);
    });
  }
}

const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g;

/**
 * Whether every certificate in `texts` is valid at `now`, judged through Node (OpenSSL)
 * alone: the time check for a set already known to be sound, where parsing with
 * @peculiar/x509 would cost far more than the answer is worth. It only decides and says
 * nothing: Node writes subjects differently from @peculiar/x509 (one attribute a line,
 * not comma-separated), so on `false` the caller runs the full validation, whose
 * {@link checkValidity} words the problem as always. Anything Node cannot read or date is
 * `false` too, and so gets the full validation's verdict.
 */
export function allValidAt(texts: readonly string[], now: Date): boolean {
  // The same certificate is often in several files of a set (a root in root-cert.pem and
  // at the end of cert-chain.pem; a self-signed serving certificate in both).
  const blocks = new Set(texts.flatMap((text) => text.match(PEM_CERTIFICATE) ?? []));
  for (const block of blocks) {
    let cert: NodeX509Certificate;
    try {
      cert = new NodeX509Certificate(block);
    } catch {
      return false;
    }
    const period = { notBefore: new Date(cert.validFrom), notAfter: new Date(cert.validTo) };
    if (Number.isNaN(period.notBefore.getTime()) || Number.isNaN(period.notAfter.getTime())) return false;
    if (notYetValid(period, now) || expired(period, now)) return false;
  }
  return true;
}
