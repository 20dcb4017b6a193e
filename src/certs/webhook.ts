/**
 * Webhook serving certificates of mesh components (the sidecar injector, galley) on
 * clusters without Citadel. The text below tells the injector's story; galley's is the
 * same with its own Service and `istio.istio-galley-service-account` Secret (galley
 * patches `root-cert.pem` into its ValidatingWebhookConfiguration when it reconciles it).
 *
 * The sidecar injector's webhook serving certificate on clusters without Citadel (GKE:
 * Mesh CA issues workload certificates through the node agent, and nothing creates the
 * `istio.istio-sidecar-injector-service-account` Secret the injector mounts).
 *
 * asmpkg makes ONE self-signed serving certificate for the injector's Service, once per
 * cluster, keeps it in the package's `secrets/sidecar-injector/` and reuses it on later
 * renders, as it does for the on-prem CA. `root-cert.pem` and `cert-chain.pem` both hold
 * that certificate and `key.pem` its key. With `--reconcileWebhookConfig=true` the
 * injector patches `root-cert.pem` into its MutatingWebhookConfiguration's caBundle
 * itself, and watches the mounted files, so replacing the Secret needs no other step.
 *
 * Why no CA: a CA whose key is discarded after signing one certificate adds nothing a
 * verifier can use, and each certificate costs about 3 ms of CPU to make with
 * @peculiar/x509 (most of it the library's ASN.1 encoding, see keys.ts), which matters
 * when a fleet's GKE clusters are rendered together. The consumer accepts
 * the self-signed form: the API server (Go crypto/x509) verifies the webhook's
 * certificate against caBundle, and `Certificate.Verify` accepts a leaf that is itself
 * in the roots pool as a chain of one, without requiring CA:TRUE; OpenSSL (Node) trusts
 * a self-signed certificate present in its trust store the same way.
 *
 * Validation still accepts the CA-issued form (root-cert.pem a self-signed CA that
 * issued cert-chain.pem), which earlier asmpkg versions and other tools write.
 */
import { COMPONENTS, ISTIO_NAMESPACE } from '../catalog/components';
import { TD_INJECTOR } from '../catalog/traffic-director';
import type { ComponentId } from '../catalog/components';
import { InputError, Problem } from '../config/problems';
import {
  Certificate,
  checkIsCa,
  checkChainOrder,
  checkValidity,
  issuanceProblem,
  native,
  parseCertificates,
  parsePrivateKey,
  publicKeyMatches,
  Report,
  reportMissing,
  sameCertificate,
  selfSigned,
  signedBy,
  single,
} from './checks';
import { DEFAULT_ORGANIZATION, MAX_NAME_LENGTH, MAX_VALIDITY_DAYS, pemFile, randomSerial, validDays, validityWindow, validName } from './generate';
import { loadOrCreate, PemSet, readExisting, RecordedDigests } from './store';
import { FileProblem, INJECTOR_CERT_FILE_NAMES, InjectorCertFileName, InjectorCerts, ServingCerts } from './types';
import { createCertificate, generateCertKeys, subjectName } from './keys';
import { x509 } from './x509';

/**
 * Lifetime of the serving certificate. Long, because nothing in the cluster renews it
 * (with Citadel gone there is no rotation) and an expired one stops every pod creation
 * in namespaces with injection on (the webhook's failurePolicy is Fail).
 */
export const DEFAULT_INJECTOR_CERT_VALIDITY_DAYS = 1825;

/** Lifetime of any component's serving certificate (see {@link DEFAULT_INJECTOR_CERT_VALIDITY_DAYS}). */
export const DEFAULT_SERVING_CERT_VALIDITY_DAYS = DEFAULT_INJECTOR_CERT_VALIDITY_DAYS;

/**
 * Components that serve a webhook with a certificate asmpkg makes: ASM's sidecar
 * injector and galley on GKE (`istio.<service account>` Secrets), and Traffic
 * Director's sidecar injector (td-sidecar-injector, in istio-control).
 */
export const SERVING_COMPONENTS = ['sidecarInjector', 'galley', 'tdSidecarInjector'] as const;
export type ServingComponent = (typeof SERVING_COMPONENTS)[number];
/** The serving components of ASM's mesh (catalog components in istio-system). */
export type MeshServingComponent = Exclude<ServingComponent, 'tdSidecarInjector'> & ComponentId;

/** How a component is named in messages. */
const SERVING_LABELS: Readonly<Record<ServingComponent, string>> = {
  sidecarInjector: 'the sidecar injector',
  galley: 'galley',
  tdSidecarInjector: 'the Traffic Director sidecar injector',
};

/** The Service (name, namespace) the API server calls each component's webhook on. */
const SERVING_SERVICES: Readonly<Record<ServingComponent, { readonly name: string; readonly namespace: string }>> = {
  sidecarInjector: { name: COMPONENTS.sidecarInjector.service!.name, namespace: ISTIO_NAMESPACE },
  galley: { name: COMPONENTS.galley.service!.name, namespace: ISTIO_NAMESPACE },
  tdSidecarInjector: { name: TD_INJECTOR.name, namespace: TD_INJECTOR.namespace },
};


/** Options for {@link generateServingCert}. */
export interface GenerateServingCertOptions {
  /** Cluster the set is for, written as the locality (`L=`) of the subject. */
  readonly cluster: string;
  /** Organization (`O=`) of the subject. @default 'asmpkg' */
  readonly organization?: string;
  /** Lifetime of the serving certificate in days. @default 1825 */
  readonly validityDays?: number;
  /** The current time; injectable so tests get fixed validity periods. @default new Date() */
  readonly now?: Date;
}

/** Options for {@link generateInjectorCerts}. */
export type GenerateInjectorCertsOptions = GenerateServingCertOptions;

/** Options for checking an existing set. */
export interface ValidateServingCertOptions {
  /** The time validity is checked against. @default new Date() */
  readonly now?: Date;
}

export type ValidateInjectorCertsOptions = ValidateServingCertOptions;

/**
 * DNS names of a component's Service (from the catalog), the name the API server dials
 * first: the serving certificate's subjectAltNames. Cluster domain `cluster.local`.
 */
export function servingDnsNames(component: ServingComponent): string[] {
  const { name, namespace } = SERVING_SERVICES[component];
  const host = `${name}.${namespace}`;
  return [`${host}.svc`, `${host}.svc.cluster.local`, host, name];
}

/** DNS names of the injector's Service: {@link servingDnsNames} of the injector. */
export function injectorDnsNames(): string[] {
  return servingDnsNames('sidecarInjector');
}

/** The name the API server verifies when it calls the webhook (`<service>.<namespace>.svc`). */
function requiredDnsName(component: ServingComponent): string {
  const { name, namespace } = SERVING_SERVICES[component];
  return `${name}.${namespace}.svc`;
}

/** Every problem with generation options; empty when they can be used. */
export function generateServingCertOptionProblems(options: GenerateServingCertOptions): Problem[] {
  const problems: Problem[] = [];
  for (const field of ['organization', 'cluster'] as const) {
    const value = field === 'organization' ? options.organization ?? DEFAULT_ORGANIZATION : options.cluster;
    if (!validName(value)) problems.push({ path: [field], value, message: `must be 1 to ${MAX_NAME_LENGTH} printable characters` });
  }
  const days = options.validityDays ?? DEFAULT_SERVING_CERT_VALIDITY_DAYS;
  if (!validDays(days)) problems.push({ path: ['validityDays'], value: days, message: `must be a whole number of days from 1 to ${MAX_VALIDITY_DAYS}` });
  if (options.now !== undefined && Number.isNaN(options.now.getTime())) problems.push({ path: ['now'], message: 'must be a valid date' });
  return problems;
}

/** {@link generateServingCertOptionProblems}, by its earlier name. */
export const generateInjectorCertsOptionProblems = generateServingCertOptionProblems;

/**
 * A new self-signed serving certificate for a component's Service (ECDSA P-256), as the
 * three files of the component's `istio.<service account>` Secret: `root-cert.pem` (the webhook's caBundle) and
 * `cert-chain.pem` (what the component serves) both hold the certificate, `key.pem` its
 * PKCS#8 key. Subject `O=<organization>, L=<cluster>, CN=<service>.<namespace>.svc`;
 * subjectAltNames {@link servingDnsNames}; basicConstraints CA:FALSE and keyUsage
 * digitalSignature (both critical: it signs TLS handshakes, never certificates);
 * extendedKeyUsage serverAuth; a subjectKeyIdentifier (no authorityKeyIdentifier: it
 * would only repeat it). One certificate, not a CA plus a certificate it signs: see
 * the module comment. Throws InputError on bad options.
 */
export async function generateServingCert(
  component: ServingComponent | readonly ServingComponent[],
  options: GenerateServingCertOptions,
): Promise<ServingCerts> {
  const problems = generateServingCertOptionProblems(options);
  if (problems.length > 0) throw new InputError(problems);

  const { start, end } = validityWindow(options.now ?? new Date());
  const organization = options.organization ?? DEFAULT_ORGANIZATION;
  // Several components: one certificate naming all their Services (see loadOrCreateServingCert).
  const dnsNames = (typeof component === 'string' ? [component] : component).flatMap(servingDnsNames);
  const keys = await generateCertKeys('ecdsa-p256');
  const name = subjectName(organization, options.cluster, dnsNames[0]);
  const cert = await createCertificate({
    serialNumber: randomSerial(),
    subject: name,
    issuer: name,
    notBefore: start,
    notAfter: end(options.validityDays ?? DEFAULT_SERVING_CERT_VALIDITY_DAYS),
    keys,
    signer: keys,
    extensions: [...servingExtensions(dnsNames), new x509.SubjectKeyIdentifierExtension(keys.keyId)],
  });

  const pem = pemFile(cert.toString('pem'));
  return {
    'root-cert.pem': pem,
    'cert-chain.pem': pem,
    'key.pem': pemFile(keys.privateKeyPem()),
  };
}

/**
 * The extensions of a serving certificate other than its subjectKeyIdentifier, by DNS
 * names. The same for every certificate naming the same Services, and building them
 * (ASN.1 encoding) cost about 1 ms a certificate: built once per set of names and reused;
 * create() only reads their encoded bytes. The sets are the few combinations of
 * {@link SERVING_COMPONENTS}, so the cache stays small.
 */
function servingExtensions(dnsNames: readonly string[]): readonly x509.Extension[] {
  const key = dnsNames.join(' ');
  let extensions = SERVING_EXTENSIONS.get(key);
  if (!extensions) {
    extensions = [
      new x509.BasicConstraintsExtension(false, undefined, true),
      // ECDSA keys sign the TLS handshake; keyEncipherment is for RSA key transport only.
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
      new x509.SubjectAlternativeNameExtension(dnsNames.map((value) => ({ type: 'dns' as const, value }))),
    ];
    SERVING_EXTENSIONS.set(key, extensions);
  }
  return extensions;
}
const SERVING_EXTENSIONS = new Map<string, readonly x509.Extension[]>();

/** The injector's serving certificate: {@link generateServingCert} of the injector. */
export function generateInjectorCerts(options: GenerateInjectorCertsOptions): Promise<InjectorCerts> {
  return generateServingCert('sidecarInjector', options);
}

/**
 * Every reason a set cannot serve the component's webhook, or an empty list when it
 * can. Two shapes are accepted:
 * - self-signed (what {@link generateInjectorCerts} writes): root-cert.pem is the first
 *   certificate of cert-chain.pem, and that certificate is self-signed (its signature
 *   verifies with its own key);
 * - CA-issued (earlier asmpkg versions, other tools): root-cert.pem is a self-signed CA;
 *   each certificate of cert-chain.pem is followed by its issuer and the last one is,
 *   or was issued by, root-cert.pem.
 * Either way the files are there and parse, the serving certificate (the first of
 * cert-chain.pem) is not a CA, is for TLS servers, names the component's Service the API server
 * calls and matches key.pem, and every certificate is valid at `now`. Works on
 * contents in memory; safe-to-print reasons.
 */
export async function validateServingCert(
  component: ServingComponent,
  files: Partial<Record<InjectorCertFileName, string>>,
  options: ValidateServingCertOptions = {},
): Promise<FileProblem<InjectorCertFileName>[]> {
  const now = options.now ?? new Date();
  const problems: FileProblem<InjectorCertFileName>[] = [];
  const report: Report<InjectorCertFileName> = (file, reason) => {
    problems.push({ file, reason });
  };

  reportMissing(INJECTOR_CERT_FILE_NAMES, files, report);
  const root = single('root-cert.pem', parseCertificates('root-cert.pem', files['root-cert.pem'], report), report);
  const chain = parseCertificates('cert-chain.pem', files['cert-chain.pem'], report);
  const key = parsePrivateKey('key.pem', files['key.pem'], report, SERVING_LABELS[component]);
  const leaf = chain?.[0];
  // The self-signed shape: the caBundle is the serving certificate itself.
  const rootIsLeaf = Boolean(root && leaf && sameCertificate(root, leaf));

  let rootSelfSigned = false;
  if (root) {
    rootSelfSigned = await selfSigned(root);
    if (!rootSelfSigned) report('root-cert.pem', `is not self-signed (subject "${root.subject}", issuer "${root.issuer}")`);
  }

  if (chain && leaf) {
    checkServing(component, leaf, report);
    if (key && !publicKeyMatches(key, leaf)) report('key.pem', 'does not match the public key of the first certificate of cert-chain.pem');
    await checkChainOrder('cert-chain.pem', chain, report);
  }

  if (root && !rootIsLeaf) {
    if (root.getExtension(x509.BasicConstraintsExtension)?.ca) {
      // The CA-issued shape.
      checkIsCa('root-cert.pem', root, false, report);
      const last = chain?.[chain.length - 1];
      if (last && !sameCertificate(last, root)) {
        const reason = await issuanceProblem(root, last);
        if (reason) report('cert-chain.pem', `is not issued by root-cert.pem: certificate ${chain!.length} ("${last.subject}"): ${reason}`);
      }
    } else if (leaf) {
      // Not a CA, so it can only be the serving certificate of a self-signed set, and it
      // is not. A damaged signature on either side already says why; otherwise say so.
      const leafDamaged = leaf.issuer === leaf.subject && !(await signedBy(leaf, leaf));
      if (leafDamaged) report('cert-chain.pem', `the serving certificate ("${leaf.subject}") names itself as its issuer, but its signature does not verify with its own public key`);
      const sameKey = Buffer.from(root.publicKey.rawData).equals(Buffer.from(leaf.publicKey.rawData));
      if (!(sameKey && (leafDamaged || !rootSelfSigned))) {
        report(
          'root-cert.pem',
          `is neither a CA certificate (basicConstraints CA:TRUE is missing, "${root.subject}") nor the serving certificate, the first certificate of cert-chain.pem ("${leaf.subject}"), as in a self-signed set`,
        );
      }
    }
  }

  checkValidity<InjectorCertFileName>(
    [
      // In the self-signed shape both files hold one certificate: report it once.
      ['root-cert.pem', root && !rootIsLeaf ? [root] : undefined],
      ['cert-chain.pem', chain],
    ],
    now,
    report,
  );
  return problems;
}

/** {@link validateServingCert} of the injector. */
export function validateInjectorCerts(
  files: Partial<Record<InjectorCertFileName, string>>,
  options: ValidateInjectorCertsOptions = {},
): Promise<FileProblem<InjectorCertFileName>[]> {
  return validateServingCert('sidecarInjector', files, options);
}

/**
 * The serving certificate: not a CA, usable by a TLS server, and for the component's
 * Service. Read through OpenSSL when it parses the certificate (cheaper than decoding
 * @peculiar/x509's extensions, which matters over a fleet), else through @peculiar/x509.
 */
function checkServing(component: ServingComponent, leaf: Certificate, report: Report<InjectorCertFileName>): void {
  const fast = native(leaf);
  const isCa = fast ? fast.ca : Boolean(leaf.getExtension(x509.BasicConstraintsExtension)?.ca);
  if (isCa) report('cert-chain.pem', `starts with a CA certificate ("${leaf.subject}"); it must start with the serving certificate`);
  const eku = fast ? fast.keyUsage : leaf.getExtension(x509.ExtendedKeyUsageExtension)?.usages.map(String);
  if (eku && !eku.includes(x509.ExtendedKeyUsage.serverAuth)) {
    report('cert-chain.pem', 'extendedKeyUsage of the serving certificate does not include serverAuth');
  }
  const names = fast
    ? (fast.subjectAltName ?? '').split(', ').filter((n) => n.startsWith('DNS:')).map((n) => n.slice(4))
    : (leaf.getExtension(x509.SubjectAlternativeNameExtension)?.names.items ?? []).filter((n) => n.type === 'dns').map((n) => n.value);
  const wanted = requiredDnsName(component);
  if (!names.includes(wanted)) {
    report('cert-chain.pem', `the serving certificate is not for ${wanted}, the name the API server calls the webhook by (its DNS names: ${names.join(', ') || 'none'})`);
  }
}

const pemSet = (component: ServingComponent): PemSet<InjectorCertFileName> => ({
  names: INJECTOR_CERT_FILE_NAMES,
  validate: (files, options) => validateServingCert(component, files, options),
});
const SERVING_CERT_SETS: Readonly<Record<ServingComponent, PemSet<InjectorCertFileName>>> = {
  sidecarInjector: pemSet('sidecarInjector'),
  galley: pemSet('galley'),
  tdSidecarInjector: pemSet('tdSidecarInjector'),
};

/** A component's set as {@link loadOrCreate} handles it. */
export function servingCertSet(component: ServingComponent): PemSet<InjectorCertFileName> {
  return SERVING_CERT_SETS[component];
}

/** The injector's set as {@link loadOrCreate} handles it. */
export const INJECTOR_CERT_SET: PemSet<InjectorCertFileName> = SERVING_CERT_SETS.sidecarInjector;

/** Reads and checks a component's set in a directory: absent, valid (with the files) or invalid (with problems). */
export function readExistingServingCert(dir: string, component: ServingComponent, options: ValidateServingCertOptions = {}) {
  return readExisting(dir, servingCertSet(component), options);
}

/** Reads and checks the injector's set in a directory (see {@link readExistingServingCert}). */
export function readExistingInjectorCerts(dir: string, options: ValidateInjectorCertsOptions = {}) {
  return readExistingServingCert(dir, 'sidecarInjector', options);
}

/** The set to render and whether it is new (and so must be written). */
export interface ResolvedServingCert {
  readonly certs: ServingCerts;
  readonly generated: boolean;
}
export type ResolvedInjectorCerts = ResolvedServingCert;

/**
 * A component's certificates for a cluster: the set already in `dir` when it is
 * complete and valid (so re-rendering gives byte-identical output), otherwise (none
 * there, or `regenerate`) a new one. Writes nothing: the caller writes the
 * `clusterSecretFiles` of the result. Like the CA store, it refuses (CaFilesError,
 * exit 2) a partial, tampered or expired set instead of silently replacing it.
 * `recorded`: see readExisting in store.ts.
 */
export async function loadOrCreateServingCert(
  dir: string,
  component: ServingComponent,
  options: GenerateServingCertOptions,
  {
    regenerate = false,
    generate,
    recorded,
  }: { regenerate?: boolean; generate?: () => Promise<ServingCerts>; recorded?: RecordedDigests<InjectorCertFileName> } = {},
): Promise<ResolvedServingCert> {
  // `generate` lets a caller hand several components one new certificate naming all
  // their Services: a certificate costs milliseconds to make, and a fleet makes many.
  const make = generate ?? (() => generateServingCert(component, options));
  const { files, generated } = await loadOrCreate(dir, servingCertSet(component), make, { regenerate, now: options.now, recorded });
  return { certs: files, generated };
}

/** {@link loadOrCreateServingCert} of the injector. */
export function loadOrCreateInjectorCerts(
  dir: string,
  options: GenerateInjectorCertsOptions,
  flags: { regenerate?: boolean } = {},
): Promise<ResolvedInjectorCerts> {
  return loadOrCreateServingCert(dir, 'sidecarInjector', options, flags);
}
