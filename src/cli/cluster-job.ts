import { statSync } from 'node:fs';
import { INPUT_CAPS, readTextFile } from '../util/input-file';
import * as path from 'node:path';
import { loadAll } from 'js-yaml';
import { clusterSecretObjects } from '../certs/secret-files';
import type { ManifestFile } from '../gitops/package';
import { PlainSecret, PreviousSealed, previousSealed, sealingKey } from '../gitops/sealed-secrets';
import { SEALED_SECRETS_FILE, sealedSecretsFile } from '../gitops/secrets-files';
import {
  CaFilesError,
  CA_FILE_NAMES,
  clusterSecretFiles,
  loadOrCreateCa,
  generateServingCert,
  loadOrCreateServingCert,
  mergeProblems,
  readCaDir,
  SECRETS_DIR,
  secretsRenderedApartFor,
  SERVING_COMPONENTS,
  servingCertsDir,
  validateCaFiles,
} from '../certs';
import type { CaFiles, ClusterSecrets, ResolvedServingCert, ServingCerts, ServingComponent } from '../certs';
import type { ClusterSpec } from '../config/model';
import { meshValuesFor } from '../profiles/mesh-values';
import { IndexInput, sha256 } from '../render/index-file';
import { renderCluster } from '../render/render-cluster';
import type { RenderedFile } from '../render/types';
import type { ErrnoData } from './env-error';
import { CliError } from './io';

/**
 * One cluster's share of a synth: its key material and its package, in memory. Runs on
 * the main thread or on a worker (render-worker.ts), so it takes only plain data.
 */
export interface JobContext {
  readonly outDir: string;
  /** Directory of the config file: relative paths in the config (certificates.dir) start there. */
  readonly configDir: string;
  /** How the config file is named in messages. */
  readonly configName: string;
  /** The Sealed Secrets certificate (PEM, checked), when the fleet's secrets are sealed. */
  readonly sealingCertificate?: string;
}

export interface ClusterResult {
  /** The package's files, paths relative to the cluster's directory, sorted. */
  readonly files: RenderedFile[];
  /** Files outside OUT the package depends on (a user's CA), for the index. */
  readonly inputs: IndexInput[];
  /** Key material made new by this run (`CA`, `sidecar injector certificate`, `galley certificate`). */
  readonly newKeys: string[];
}

/**
 * sha256 of the PEM files of a cluster's secrets/ as the previous run's index records
 * them, by path below secrets/ (`ca-key.pem`, `galley/key.pem`): sets still matching them
 * are ones asmpkg made or fully checked before, so they are only checked for time.
 */
export type RecordedSecrets = Readonly<Record<string, string>>;

/** One cluster to render, as plain data. */
export interface ClusterJob {
  readonly spec: ClusterSpec;
  /** Position in the config, for messages and for ordering the results. */
  readonly index: number;
  readonly recorded?: RecordedSecrets;
  /** Replace the cluster's key material by new (--regenerate-ca naming it). */
  readonly regenerate?: boolean;
}

/** What the main thread hands a worker, and what a worker sends back per cluster. */
export interface WorkerInput {
  readonly jobs: readonly ClusterJob[];
  readonly context: JobContext;
}
export type WorkerMessage =
  | { readonly index: number; readonly result: ClusterResult }
  /** The cluster's bad input (exit 2): the other clusters go on, to report every refusal. */
  | { readonly index: number; readonly refusal: string }
  | { readonly error: { readonly message: string; readonly exitCode?: number; readonly errno?: ErrnoData } };

export async function renderClusterJob({ spec, index, recorded = {}, regenerate = false }: ClusterJob, context: JobContext): Promise<ClusterResult> {
  const result: ClusterResult = { files: [], inputs: [], newKeys: [] };
  const secrets = await clusterSecrets(spec, index, { ...context, regenerate }, recorded, result);
  const plain = spec.delivery?.secrets === 'sealed' && context.sealingCertificate ? (clusterSecretObjects(secrets) as PlainSecret[]) : [];
  const sealed = plain.length > 0 ? [await sealedFile(spec, plain, context.outDir, context.sealingCertificate!)] : [];
  result.files.push(...renderCluster(spec, sealed), ...clusterSecretFiles(secrets));
  result.files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return result;
}

/**
 * The key material a cluster's package keeps in secrets/, as SECRETS_RENDERED_APART
 * lists it for the cluster's platform: on-prem the CA Citadel signs with (Citadel then
 * issues the components' certificates itself); on GKE, which has no Citadel, the webhook
 * serving certificates of the sidecar injector and galley.
 */
/** A job's context with its cluster's choice of new key material. */
type KeyContext = JobContext & { readonly regenerate: boolean };

async function clusterSecrets(spec: ClusterSpec, index: number, req: KeyContext, recorded: RecordedSecrets, result: ClusterResult): Promise<ClusterSecrets> {
  const sets: readonly string[] = secretsRenderedApartFor(spec.profile, meshValuesFor(spec).platform).map((s) => s.set);
  const serving = SERVING_COMPONENTS.filter((c) => sets.includes(c));
  const shared = sharedServingCert(spec, serving);
  const [ca, ...resolved] = await Promise.all([
    sets.includes('ca') ? clusterCa(spec, index, req, recordedIn(recorded, ''), result) : undefined,
    ...serving.map((component) => clusterServingCert(spec, component, req, recordedIn(recorded, servingCertsDir(component)), shared)),
  ]);
  const secrets: { -readonly [K in keyof ClusterSecrets]: ClusterSecrets[K] } = ca ? { ca } : {};
  // In SERVING_COMPONENTS order, whichever finished first, so messages are stable.
  serving.forEach((component, i) => {
    const { certs, generated } = resolved[i] as ResolvedServingCert;
    secrets[component] = certs;
    if (generated) result.newKeys.push(SERVING_KEY_NAMES[component]);
  });
  return secrets;
}

/**
 * The cluster's Secrets sealed for Git. The previous output's SealedSecrets are read
 * back so that values sealed from the same Secret and certificate are kept as they are.
 */
async function sealedFile(spec: ClusterSpec, secrets: readonly PlainSecret[], outDir: string, certificate: string): Promise<ManifestFile> {
  const previousFile = path.join(outDir, spec.name, SEALED_SECRETS_FILE);
  const previousText = await readTextFile(previousFile, previousFile, { maxBytes: INPUT_CAPS.packageFile }).catch(() => undefined);
  let previous: PreviousSealed | undefined;
  if (previousText !== undefined) {
    try {
      // js-yaml: an order of magnitude faster than `yaml` here, which counts across a fleet.
      previous = previousSealed(loadAll(previousText));
    } catch {
      previous = undefined;
    }
  }
  return sealedSecretsFile(secrets, sealingKey(certificate), previous);
}

/** The recorded digests of the files directly in `subdir` of secrets/ ('' for secrets/ itself), by file name. */
function recordedIn(recorded: RecordedSecrets, subdir: string): Record<string, string> {
  const prefix = subdir === '' ? '' : `${subdir}/`;
  const found: Record<string, string> = {};
  for (const [file, digest] of Object.entries(recorded)) {
    const name = file.slice(prefix.length);
    if (file.startsWith(prefix) && !name.includes('/')) found[name] = digest;
  }
  return found;
}

/** How a new serving certificate is named in synth's messages. */
const SERVING_KEY_NAMES: Readonly<Record<ServingComponent, string>> = {
  sidecarInjector: 'sidecar injector certificate',
  galley: 'galley certificate',
  tdSidecarInjector: 'Traffic Director sidecar injector certificate',
};

/**
 * A component's webhook serving certificate of a GKE cluster: generated once, kept in
 * OUT/<cluster>/secrets/<sidecar-injector|galley>/ and reused; new with --regenerate-ca.
 */
async function clusterServingCert(
  spec: ClusterSpec,
  component: ServingComponent,
  req: KeyContext,
  recorded: Record<string, string>,
  generate: () => Promise<ServingCerts>,
): Promise<ResolvedServingCert> {
  try {
    return await loadOrCreateServingCert(
      path.join(req.outDir, spec.name, SECRETS_DIR, servingCertsDir(component)),
      component,
      { cluster: spec.name, organization: spec.certificates.organization },
      { regenerate: req.regenerate, generate, recorded },
    );
  } catch (e) {
    throw refusal(e, spec.name);
  }
}

/**
 * One new serving certificate for all of a cluster's webhook components (made at most
 * once, only if some component needs a new one). Galley and the injector are both
 * istio-system control-plane pods with cluster-wide rights already, so one key for the
 * two costs no isolation worth having, and halves what a fleet spends on certificates.
 */
function sharedServingCert(spec: ClusterSpec, components: readonly ServingComponent[]): () => Promise<ServingCerts> {
  let made: Promise<ServingCerts> | undefined;
  return () => (made ??= generateServingCert(components, { cluster: spec.name, organization: spec.certificates.organization }));
}

/** A CaFilesError as the CLI's exit-2 refusal, one line per problem; anything else as is. */
function refusal(e: unknown, cluster: string): unknown {
  if (!(e instanceof CaFilesError)) return e;
  return new CliError(
    e.problems.map((p) => `asmpkg: ${path.join(e.dir, p.file)}: ${p.reason} (fix or remove it, or pass --regenerate-ca ${cluster})`).join('\n'),
    2,
  );
}

/**
 * The CA of an on-prem cluster: the user's, or one generated once and kept. The user's
 * is always fully checked: it lives outside OUT, so no earlier run vouches for it.
 */
async function clusterCa(spec: ClusterSpec, index: number, req: KeyContext, recorded: Record<string, string>, result: ClusterResult): Promise<CaFiles> {
  const field = `clusters[${index}].certificates.dir`;
  const userDir = spec.certificates.dir;
  if (userDir) {
    const dir = path.resolve(req.configDir, userDir);
    // Said once, rather than "is missing" for each of the four files.
    const stat = statSync(dir, { throwIfNoEntry: false });
    if (!stat?.isDirectory()) {
      throw new CliError(`asmpkg: ${req.configName}: ${field} = ${JSON.stringify(userDir)}: ${stat ? 'is not a directory' : 'no such directory'} (give the directory holding ca-cert.pem, ca-key.pem, root-cert.pem and cert-chain.pem)`, 2);
    }
    const { files, problems: readProblems } = await readCaDir(dir);
    const problems = mergeProblems(readProblems, await validateCaFiles(files));
    if (problems.length > 0) {
      throw new CliError(problems.map((p) => `asmpkg: ${req.configName}: ${field}: ${path.join(userDir, p.file)}: ${p.reason}`).join('\n'), 2);
    }
    for (const name of CA_FILE_NAMES) result.inputs.push({ path: path.relative(req.configDir, path.join(dir, name)), sha256: sha256(files[name]!) });
    return files as CaFiles;
  }
  try {
    const { ca, generated } = await loadOrCreateCa(
      path.join(req.outDir, spec.name, SECRETS_DIR),
      {
        algorithm: spec.certificates.algorithm,
        organization: spec.certificates.organization,
        cluster: spec.name,
        rootValidityDays: spec.certificates.rootValidityDays,
        caValidityDays: spec.certificates.validityDays,
      },
      { regenerate: req.regenerate, recorded },
    );
    if (generated) result.newKeys.push('CA');
    return ca;
  } catch (e) {
    throw refusal(e, spec.name);
  }
}

