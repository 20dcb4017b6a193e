/**
 * Facts about the GitOps controllers and secret operators asmpkg writes objects for
 * (SPEC section 15): API versions, the namespaces they run in, the annotations they read.
 */

export const GITOPS_ENGINES = ['argocd', 'flux', 'configsync'] as const;
export type GitopsEngine = (typeof GITOPS_ENGINES)[number];

export const SECRETS_MODES = ['files', 'sealed', 'external'] as const;
export type SecretsMode = (typeof SECRETS_MODES)[number];

export const SECRET_STORE_KINDS = ['ClusterSecretStore', 'SecretStore'] as const;
export type SecretStoreKind = (typeof SECRET_STORE_KINDS)[number];

export const ARGOCD = {
  apiVersion: 'argoproj.io/v1alpha1',
  /** Where Argo CD runs and reads its Applications and ApplicationSets. */
  namespace: 'argocd',
  project: 'default',
  syncWaveAnnotation: 'argocd.argoproj.io/sync-wave',
  syncOptionsAnnotation: 'argocd.argoproj.io/sync-options',
} as const;

export const FLUX = {
  sourceApiVersion: 'source.toolkit.fluxcd.io/v1',
  kustomizeApiVersion: 'kustomize.toolkit.fluxcd.io/v1',
  namespace: 'flux-system',
  interval: '10m',
  gitInterval: '1m',
  /** How long a stage may take to become ready before Flux reports it failed. */
  timeout: '10m',
} as const;

export const CONFIG_SYNC = {
  apiVersion: 'configsync.gke.io/v1beta1',
  namespace: 'config-management-system',
  /** The RootSync name Config Sync's own installation uses. */
  rootSyncName: 'root-sync',
  dependsOnAnnotation: 'config.kubernetes.io/depends-on',
  /** Leave the object in the cluster when it leaves the repository (Config Sync's Delete=false). */
  deletionAnnotation: 'client.lifecycle.config.k8s.io/deletion',
  deletionDetach: 'detach',
} as const;

export const SEALED_SECRETS = {
  apiVersion: 'bitnami.com/v1alpha1',
  kind: 'SealedSecret',
  /** The controller's default namespace; `kubeseal --fetch-cert` reads the certificate from it. */
  controllerNamespace: 'kube-system',
  /** Length of the AES-256-GCM session key, and of GCM's nonce (always zero: each key is used once). */
  sessionKeyBytes: 32,
  nonceBytes: 12,
} as const;

export const EXTERNAL_SECRETS = {
  apiVersion: 'external-secrets.io/v1beta1',
  kind: 'ExternalSecret',
  refreshInterval: '1h',
} as const;

export const KUSTOMIZE = {
  apiVersion: 'kustomize.config.k8s.io/v1beta1',
  kind: 'Kustomization',
} as const;

/** Labels and annotations asmpkg itself puts on GitOps objects. */
export const ASMPKG_KEYS = {
  wave: 'asmpkg.dev/wave',
  /** HMAC of the plain Secret and the sealing certificate a SealedSecret was made from. */
  sealedFrom: 'asmpkg.dev/sealed-from',
} as const;
