import type { ClusterSpec } from '../config/model';
import { ARGOCD, CONFIG_SYNC, FLUX, SEALED_SECRETS } from '../catalog/gitops';
import type { Upload } from './external-secrets';
import { CLUSTER_KUSTOMIZATION } from './package';
import { EXTERNAL_SECRETS_FILE, SEALED_SECRETS_FILE } from './secrets-files';

/**
 * The part of a cluster's INSTALL.md about delivery: how its key material reaches the
 * cluster without secrets/ entering Git, and what the GitOps controller applies.
 */
export function deliveryGuide(spec: ClusterSpec, uploads: readonly Upload[]): string {
  const d = spec.delivery;
  if (!d) return '';
  const out: string[] = [];
  if (d.secrets === 'sealed') {
    out.push(
      '## Secrets in Git: sealed',
      '',
      `\`${SEALED_SECRETS_FILE}\` holds the Secrets of secrets/ sealed to the cluster's Sealed Secrets controller (strict scope): commit it; secrets/ stays out of Git. Install the controller once (namespace \`${SEALED_SECRETS.controllerNamespace}\`) with the key pair whose certificate the config names. Re-rendering keeps the sealed values as long as the Secrets and the certificate are unchanged.`,
      '',
    );
  }
  if (d.secrets === 'external' && d.store) {
    out.push(
      '## Secrets in Git: External Secrets',
      '',
      `\`${EXTERNAL_SECRETS_FILE}\` holds ExternalSecrets that the External Secrets operator fills from Google Secret Manager through the ${d.store.kind} \`${d.store.name}\`. Upload the key material kept in secrets/ once, and again after \`--regenerate-ca\` (run from this directory, with gcloud set to the project of the store):`,
      '',
      '```sh',
      ...uploads.map(
        (u) =>
          `gcloud secrets describe ${u.secretManagerName} >/dev/null 2>&1 || gcloud secrets create ${u.secretManagerName} --replication-policy=automatic\n` +
          `gcloud secrets versions add ${u.secretManagerName} --data-file=${u.file}`,
      ),
      '```',
      '',
      'Secret Manager names: `<cluster>_<secret>_<key>`, dots as hyphens.',
      '',
    );
  }
  if (d.engine) {
    const how: Record<NonNullable<typeof d.engine>, string> = {
      argocd: `Argo CD applies \`${CLUSTER_KUSTOMIZATION}\` of this directory (ApplicationSet in gitops/argocd/); each object's \`${ARGOCD.syncWaveAnnotation}\` orders the stages.`,
      flux: `Flux applies each applied directory (crds/ first, then in-cluster/, then the others) as a Kustomization depending on the one before (gitops/flux/, namespace \`${FLUX.namespace}\`).`,
      configsync: `Config Sync applies \`${CLUSTER_KUSTOMIZATION}\` of this directory (RootSync in gitops/configsync/); \`${CONFIG_SYNC.dependsOnAnnotation}\` annotations order the stages.`,
    };
    out.push(
      '## GitOps',
      '',
      `${how[d.engine]} Order: CRDs, then the namespace and Secrets, then the control plane, then the policies. Rollout wave ${d.wave}.`,
      '',
      d.secrets === 'files'
        ? 'Secrets mode is `files`: the controller gets no key material from Git. Apply the Secrets of secrets/ with kubectl (step above) before the first sync, or the control plane waits for them.'
        : 'Commit everything here except secrets/ (its .gitignore keeps it out).',
      '',
    );
  }
  return out.join('\n');
}
