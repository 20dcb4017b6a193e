import { randomBytes } from 'node:crypto';
import { InputError, Problem } from '../config/problems';
import { CA_ALGORITHMS, CaAlgorithm, CaFiles } from './types';
import { createCertificate, generateCertKeys, subjectName } from './keys';
import { x509 } from './x509';

/** What a generated root + intermediate CA looks like. */
export interface GenerateCaOptions {
  /** Key and signature algorithm of both certificates. */
  readonly algorithm: CaAlgorithm;
  /** Organization (`O=`) of both subjects. */
  readonly organization: string;
  /**
   * Cluster-specific value, written as the locality (`L=`) of both subjects the way
   * Istio's cert tooling does, so the CAs of different clusters can be told apart.
   */
  readonly cluster: string;
  /** Lifetime of the root certificate in days. @default 3650 (10 years) */
  readonly rootValidityDays?: number;
  /** Lifetime of the intermediate (`ca-cert.pem`) in days. @default 1825 (5 years) */
  readonly caValidityDays?: number;
  /** The current time; injectable so tests get fixed validity periods. @default new Date() */
  readonly now?: Date;
}

export { DEFAULT_CA_ALGORITHM, DEFAULT_CA_VALIDITY_DAYS, DEFAULT_ORGANIZATION, DEFAULT_ROOT_VALIDITY_DAYS } from './types';
import { DEFAULT_CA_VALIDITY_DAYS, DEFAULT_ROOT_VALIDITY_DAYS } from './types';

/**
 * Certificates start this long before `now` so that a node whose clock runs a little
 * behind the machine that generated them does not see them as not yet valid.
 */
export const BACKDATE_MS = 60 * 60 * 1000;

const DAY_MS = 24 * 60 * 60 * 1000;
/** Upper bound on lifetimes: beyond this a typo (days vs. hours) is more likely than intent. */
export const MAX_VALIDITY_DAYS = 36500;
/** X.520 upper bound for organizationName; kept for the cluster value too. */
export const MAX_NAME_LENGTH = 64;

/** Whether `value` can be a subject attribute: 1 to {@link MAX_NAME_LENGTH} printable characters. */
export function validName(value: unknown): value is string {
  return typeof value === 'string' && value.trim() !== '' && value.length <= MAX_NAME_LENGTH && !/[\p{Cc}]/u.test(value);
}

/** Every problem with generation options; empty when they can be used. */
export function generateCaOptionProblems(options: GenerateCaOptions): Problem[] {
  const problems: Problem[] = [];
  if (!(CA_ALGORITHMS as readonly string[]).includes(options.algorithm)) {
    problems.push({ path: ['algorithm'], value: options.algorithm, message: `must be one of ${CA_ALGORITHMS.join(', ')}` });
  }
  for (const field of ['organization', 'cluster'] as const) {
    const value = options[field];
    if (!validName(value)) {
      problems.push({ path: [field], value, message: `must be 1 to ${MAX_NAME_LENGTH} printable characters` });
    }
  }
  const rootDays = options.rootValidityDays ?? DEFAULT_ROOT_VALIDITY_DAYS;
  const caDays = options.caValidityDays ?? DEFAULT_CA_VALIDITY_DAYS;
  for (const [field, days] of [['rootValidityDays', rootDays], ['caValidityDays', caDays]] as const) {
    if (!validDays(days)) {
      problems.push({ path: [field], value: days, message: `must be a whole number of days from 1 to ${MAX_VALIDITY_DAYS}` });
    }
  }
  // An intermediate cannot usefully outlive its root: verifiers stop trusting it when
  // the root expires, which would surprise whoever reads its notAfter.
  if (validDays(rootDays) && validDays(caDays) && caDays > rootDays) {
    problems.push({ path: ['caValidityDays'], value: caDays, message: `must not exceed the root's lifetime (${rootDays} days)` });
  }
  if (options.now !== undefined && Number.isNaN(options.now.getTime())) {
    problems.push({ path: ['now'], message: 'must be a valid date' });
  }
  return problems;
}

// The same for every CA, and their constructors encode ASN.1: built once. create()
// only reads their encoded bytes.
const ROOT_EXTENSIONS: readonly x509.Extension[] = [
  new x509.BasicConstraintsExtension(true, undefined, true),
  new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
];
const INTERMEDIATE_EXTENSIONS: readonly x509.Extension[] = [
  // pathLen 0: Citadel issues workload (leaf) certificates only, never more CAs.
  new x509.BasicConstraintsExtension(true, 0, true),
  new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign | x509.KeyUsageFlags.digitalSignature, true),
];

/**
 * A new self-signed root CA and an intermediate CA signed by it, as the four files
 * Citadel reads: `ca-cert.pem` (intermediate), `ca-key.pem` (its PKCS#8 key),
 * `root-cert.pem`, and `cert-chain.pem` (intermediate then root).
 * Throws InputError (exit code 2) when the options are unusable.
 */
export async function generateCa(options: GenerateCaOptions): Promise<CaFiles> {
  const problems = generateCaOptionProblems(options);
  if (problems.length > 0) throw new InputError(problems);

  const { start, end } = validityWindow(options.now ?? new Date());
  const rootEnd = end(options.rootValidityDays ?? DEFAULT_ROOT_VALIDITY_DAYS);
  const caEnd = end(options.caValidityDays ?? DEFAULT_CA_VALIDITY_DAYS);

  // Both key pairs at once: RSA-4096 generation takes seconds, on libuv's threads.
  const [rootKeys, caKeys] = await Promise.all([generateCertKeys(options.algorithm), generateCertKeys(options.algorithm)]);

  const rootName = subjectName(options.organization, options.cluster, 'Root CA');
  const root = await createCertificate({
    serialNumber: randomSerial(),
    subject: rootName,
    issuer: rootName,
    notBefore: start,
    notAfter: rootEnd,
    keys: rootKeys,
    signer: rootKeys,
    extensions: [...ROOT_EXTENSIONS, new x509.SubjectKeyIdentifierExtension(rootKeys.keyId)],
  });

  const ca = await createCertificate({
    serialNumber: randomSerial(),
    subject: subjectName(options.organization, options.cluster, 'Intermediate CA'),
    // The root's own encoded name, so issuer and subject match byte for byte.
    issuer: root.subjectName,
    notBefore: start,
    notAfter: caEnd,
    keys: caKeys,
    signer: rootKeys,
    extensions: [
      ...INTERMEDIATE_EXTENSIONS,
      new x509.SubjectKeyIdentifierExtension(caKeys.keyId),
      new x509.AuthorityKeyIdentifierExtension(rootKeys.keyId),
    ],
  });

  const caPem = pemFile(ca.toString('pem'));
  const rootPem = pemFile(root.toString('pem'));
  return {
    'ca-cert.pem': caPem,
    'ca-key.pem': pemFile(caKeys.privateKeyPem()),
    'root-cert.pem': rootPem,
    'cert-chain.pem': caPem + rootPem,
  };
}

/**
 * Validity of certificates made at `now`: they start {@link BACKDATE_MS} before it and
 * end `days` after it. X.509 times have whole seconds; truncating keeps the stored
 * dates equal to ours.
 */
export function validityWindow(now: Date): { start: Date; end: (days: number) => Date } {
  const start = new Date(Math.floor((now.getTime() - BACKDATE_MS) / 1000) * 1000);
  const nowSeconds = Math.floor(now.getTime() / 1000) * 1000;
  return { start, end: (days) => new Date(nowSeconds + days * DAY_MS) };
}

/** Whether `days` is a usable lifetime: a whole number from 1 to {@link MAX_VALIDITY_DAYS}. */
export function validDays(days: number): boolean {
  return Number.isInteger(days) && days >= 1 && days <= MAX_VALIDITY_DAYS;
}

/**
 * 16 random bytes as a positive DER INTEGER. The top bit is cleared (a set bit would
 * make it negative) and the next one set, so no leading zero byte is ever needed:
 * strict DER parsers such as Go's (Citadel) reject non-minimal integers.
 */
export function randomSerial(): string {
  const bytes = randomBytes(16);
  bytes[0] = (bytes[0] & 0x3f) | 0x40;
  return bytes.toString('hex');
}

/** PEM text as a file: LF line ends and one trailing newline. */
export function pemFile(pem: string): string {
  return pem.replace(/\r\n/g, '\n').trimEnd() + '\n';
}
