/**
 * The files of a CA that Citadel reads from the `cacerts` Secret (SPEC 8). The names
 * are the Secret's keys and also the file names Istio's own cert tooling writes, so a
 * directory made by either can be read by the other.
 */
export const CA_FILE_NAMES = ['ca-cert.pem', 'ca-key.pem', 'root-cert.pem', 'cert-chain.pem'] as const;

export type CaFileName = (typeof CA_FILE_NAMES)[number];

/** PEM text of each CA file, keyed by file name. `ca-key.pem` is key material. */
export type CaFiles = Readonly<Record<CaFileName, string>>;

/** The one file whose content is a private key; everything else is public. */
export const CA_KEY_FILE: CaFileName = 'ca-key.pem';

/** One reason a set of PEM files cannot be used, and the file it is about. Never carries key material. */
export interface FileProblem<F extends string = string> {
  readonly file: F;
  readonly reason: string;
}

/** One reason a set of CA files cannot be used. Never carries key material. */
export type CaProblem = FileProblem<CaFileName>;

/** Key algorithms offered for a generated CA. */
export const CA_ALGORITHMS = ['rsa-4096', 'ecdsa-p256'] as const;

export type CaAlgorithm = (typeof CA_ALGORITHMS)[number];

/** `ca-cert.pem: certificate has expired ...` */
export function formatCaProblem(problem: CaProblem): string {
  return `${problem.file}: ${problem.reason}`;
}

/**
 * The files of the sidecar injector's webhook serving certificate, as Citadel writes
 * them into the `istio.<service account>` Secret and the injector reads them
 * (`--caCertFile`, `--tlsCertFile`, `--tlsKeyFile`). The names are the Secret's keys.
 */
export const INJECTOR_CERT_FILE_NAMES = ['root-cert.pem', 'cert-chain.pem', 'key.pem'] as const;

export type InjectorCertFileName = (typeof INJECTOR_CERT_FILE_NAMES)[number];

/** PEM text of each file of the injector's certificate set. `key.pem` is key material. */
export type InjectorCerts = Readonly<Record<InjectorCertFileName, string>>;

/** The one file of the injector's set whose content is a private key. */
export const INJECTOR_KEY_FILE: InjectorCertFileName = 'key.pem';

/** The files of any component's serving certificate set (galley's too): the injector's names. */
export const SERVING_CERT_FILE_NAMES = INJECTOR_CERT_FILE_NAMES;
/** PEM text of each file of a component's serving certificate set. */
export type ServingCerts = InjectorCerts;
/** The one file of a serving certificate set whose content is a private key. */
export const SERVING_KEY_FILE = INJECTOR_KEY_FILE;

/** Lifetimes of a generated root and intermediate CA, in days. */
export const DEFAULT_ROOT_VALIDITY_DAYS = 3650;
export const DEFAULT_CA_VALIDITY_DAYS = 1825;
/** Key algorithm of a generated CA: RSA, which every Citadel and client of 1.4 handles. */
export const DEFAULT_CA_ALGORITHM: CaAlgorithm = 'rsa-4096';
/** Organization (`O=`) of generated certificates. */
export const DEFAULT_ORGANIZATION = 'asmpkg';
