import { PACKAGE_DIRS } from '../catalog/layout';
import type { SecretRenderedApart } from '../certs';
import type { ClusterSpec } from '../config/model';
import { externalSecrets, Upload } from './external-secrets';
import type { ManifestFile } from './package';
import { PlainSecret, PreviousSealed, sealSecret, SealingKey } from './sealed-secrets';

/**
 * Where a package holds its Secrets in a form safe for Git: in-cluster/, right after
 * the namespace and before the components that mount them, so every route that applies
 * in-cluster/ (kubectl in file order, a GitOps controller) gets them in time.
 */
export const SEALED_SECRETS_FILE = `${PACKAGE_DIRS.inCluster}/05-sealed-secrets.yaml`;
export const EXTERNAL_SECRETS_FILE = `${PACKAGE_DIRS.inCluster}/05-external-secrets.yaml`;

/** The SealedSecrets of a cluster's plain Secrets (see sealSecret for reuse). */
export function sealedSecretsFile(secrets: readonly PlainSecret[], key: SealingKey, previous?: PreviousSealed): ManifestFile {
  return {
    path: SEALED_SECRETS_FILE,
    header: [
      'The Secrets of secrets/, sealed to the Sealed Secrets controller of the cluster (strict',
      'scope): safe to commit; only that controller can open them. Needs the controller installed.',
    ].join('\n'),
    manifests: secrets.map((s) => sealSecret(key, s, previous)),
  };
}

/** The ExternalSecrets of a cluster's Secrets kept apart, and what must be uploaded for them. */
export function externalSecretsFile(spec: ClusterSpec, apart: readonly SecretRenderedApart[]): { file: ManifestFile; uploads: Upload[] } | undefined {
  const store = spec.delivery?.store;
  if (spec.delivery?.secrets !== 'external' || !store || apart.length === 0) return undefined;
  const { objects, uploads } = externalSecrets(spec.name, apart, store);
  return {
    file: {
      path: EXTERNAL_SECRETS_FILE,
      header: [
        `The Secrets of secrets/, built by the External Secrets operator from Google Secret Manager`,
        `(${store.kind} ${store.name}); upload the kept files first (INSTALL.md). Safe to commit.`,
      ].join('\n'),
      manifests: objects,
    },
    uploads,
  };
}
