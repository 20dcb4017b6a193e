import { z } from 'zod';
import { GITOPS_ENGINES, SECRETS_MODES, SECRET_STORE_KINDS } from '../catalog/gitops';
import type { Problem } from './problems';

/**
 * How a fleet is delivered: the GitOps controller that applies the packages (`gitops:`)
 * and how their key material reaches the clusters (`secrets:`). Fleet-wide blocks of the
 * config, beside `clusters:`; a cluster only says where its controller reaches it
 * (`gitops.destination`) and in which wave it rolls out (`wave`).
 */

/** Kubernetes object names (DNS-1123 subdomain). */
const K8S_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
/** A Git remote: https://, ssh://, git:// or scp-like git@host:path. */
const GIT_URL = /^(?:(?:https?|ssh|git):\/\/[^\s/]+\/\S*|[A-Za-z0-9._-]+@[A-Za-z0-9.-]+:\S+)$/;
/** A Git branch name, conservatively (git check-ref-format without the rarer corners). */
const BRANCH = /^(?!\/|.*\/$|.*\.\.|.*\/\.|\.|.*\.lock$|.*@\{)[A-Za-z0-9._/-]+$/;
/** A relative POSIX path inside the repository, or `.` for its root. */
const REPO_PATH = /^(?:\.|(?!\/)(?!.*(?:^|\/)\.\.?(?:\/|$))[A-Za-z0-9._-]+(?:\/[A-Za-z0-9._-]+)*)$/;

export const MAX_WAVE = 1000;

export const gitopsSchema = z
  .strictObject({
    engine: z.enum(GITOPS_ENGINES, { error: `must be one of ${GITOPS_ENGINES.join(', ')}` }).describe('The GitOps controller that applies the packages'),
    repoURL: z.string({ error: 'must be a Git URL' }).regex(GIT_URL, { error: 'must be a Git URL (https://host/repo.git, ssh://..., or git@host:repo.git)' }).describe('The Git repository the rendered output is committed to'),
    revision: z
      .string({ error: 'must be a branch name' })
      .regex(BRANCH, { error: 'must be a Git branch name (letters, digits, . _ - /)' })
      .describe('Branch the controllers follow; default main')
      .optional(),
    path: z
      .string({ error: 'must be a path' })
      .regex(REPO_PATH, { error: 'must be a relative path inside the repository without .. (or . for its root)' })
      .describe('Where the output directory lives inside the repository; default . (its root)')
      .optional(),
    secretRef: z
      .string({ error: 'must be a name' })
      .max(253, { error: 'must be at most 253 characters' })
      .regex(K8S_NAME, { error: 'must be a Kubernetes object name (lowercase letters, digits, - and .)' })
      .describe('A private repository: the Secret with its credentials (Flux GitRepository in flux-system; Config Sync RootSync in config-management-system, token for https, ssh for ssh URLs)')
      .optional(),
  })
  .describe('GitOps delivery: asmpkg writes the controller objects to OUT/gitops/<engine>/');

export const secretsSchema = z
  .strictObject({
    mode: z
      .enum(SECRETS_MODES, { error: `must be one of ${SECRETS_MODES.join(', ')}` })
      .describe('files: key material only in OUT/<cluster>/secrets/ (never committed); sealed: also as SealedSecrets safe to commit; external: ExternalSecrets reading Google Secret Manager')
      .optional(),
    sealingCertificate: z.string({ error: 'must be a path' }).min(1, { error: 'must not be empty' }).describe("mode sealed: the Sealed Secrets controller's public certificate (PEM; kubeseal --fetch-cert), relative to the config").optional(),
    store: z
      .strictObject({
        kind: z.enum(SECRET_STORE_KINDS, { error: `must be ${SECRET_STORE_KINDS.join(' or ')}` }),
        name: z.string({ error: 'must be a name' }).max(253, { error: 'must be at most 253 characters' }).regex(K8S_NAME, { error: 'must be a Kubernetes object name (lowercase letters, digits, - and .)' }),
      })
      .describe('mode external: the External Secrets store that reads Google Secret Manager')
      .optional(),
  })
  .describe('How the packages’ key material reaches the clusters');

/** Per-cluster fields. */
export const clusterDeliveryFields = {
  gitops: z
    .strictObject({
      destination: z
        .string({ error: 'must be a name' })
        .max(253, { error: 'must be at most 253 characters' })
        .regex(K8S_NAME, { error: 'must be a Kubernetes object name (lowercase letters, digits, - and .)' })
        .describe('Argo CD cluster name, or the Flux kubeconfig Secret; default the cluster name (Argo CD), <name>-kubeconfig (Flux)')
        .optional(),
    })
    .describe('Where the GitOps controller reaches this cluster')
    .optional(),
  wave: z
    .number({ error: 'must be a whole number' })
    .int({ error: 'must be a whole number' })
    .min(0, { error: 'must not be negative' })
    .max(MAX_WAVE, { error: `must be at most ${MAX_WAVE}` })
    .describe('Rollout wave: lower waves are applied (and healthy) first; default 0')
    .optional(),
};

export type GitopsInput = z.output<typeof gitopsSchema>;
export type SecretsInput = z.output<typeof secretsSchema>;

/** A cluster as far as delivery rules need it. */
interface DeliveryClusterInput {
  readonly name?: unknown;
  readonly gitops?: { readonly destination?: string };
  readonly wave?: number;
}

/**
 * Rules across the fleet-level blocks and the clusters; each problem names the field.
 * Runs on shapes that already passed their schemas.
 */
export function deliveryProblems(gitops: GitopsInput | undefined, secrets: SecretsInput | undefined, clusters: readonly { at: readonly (string | number)[]; cluster: DeliveryClusterInput }[]): Problem[] {
  const problems: Problem[] = [];
  const mode = secrets?.mode ?? 'files';
  if (secrets) {
    if (mode === 'sealed' && secrets.sealingCertificate === undefined) {
      problems.push({ path: ['secrets', 'sealingCertificate'], message: "is required for mode sealed: the Sealed Secrets controller's public certificate (kubeseal --fetch-cert > cert.pem)" });
    }
    if (mode !== 'sealed' && secrets.sealingCertificate !== undefined) {
      problems.push({ path: ['secrets', 'sealingCertificate'], value: secrets.sealingCertificate, message: `applies to mode sealed; mode is ${mode}` });
    }
    if (mode === 'external' && secrets.store === undefined) {
      problems.push({ path: ['secrets', 'store'], message: 'is required for mode external: the SecretStore or ClusterSecretStore that reads Google Secret Manager' });
    }
    if (mode !== 'external' && secrets.store !== undefined) {
      problems.push({ path: ['secrets', 'store'], value: secrets.store, message: `applies to mode external; mode is ${mode}` });
    }
  }
  if (gitops?.engine === 'argocd' && gitops.secretRef !== undefined) {
    problems.push({ path: ['gitops', 'secretRef'], value: gitops.secretRef, message: 'does not apply to engine argocd: Argo CD takes repository credentials from its own repository Secrets (argocd repo add)' });
  }
  for (const { at, cluster } of clusters) {
    if (gitops === undefined) {
      if (cluster.gitops !== undefined) problems.push({ path: [...at, 'gitops'], value: cluster.gitops, message: 'applies with a top-level gitops: block; there is none' });
      if (cluster.wave !== undefined) problems.push({ path: [...at, 'wave'], value: cluster.wave, message: 'applies with a top-level gitops: block; there is none' });
      continue;
    }
    if (gitops.engine === 'configsync' && cluster.gitops?.destination !== undefined) {
      problems.push({
        path: [...at, 'gitops', 'destination'],
        value: cluster.gitops.destination,
        message: 'does not apply to engine configsync: each cluster runs its own Config Sync, which applies to that cluster',
      });
    }
    if (cluster.name === GITOPS_DIR) {
      problems.push({ path: [...at, 'name'], value: cluster.name, message: `is taken with gitops: the controller objects are written to OUT/${GITOPS_DIR}/` });
    }
  }
  return problems;
}

/** The top-level output directory of the GitOps controller objects. */
export const GITOPS_DIR = 'gitops';
