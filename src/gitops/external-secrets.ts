import { CA_FILE_NAMES, SERVING_CERT_FILE_NAMES, SERVING_COMPONENTS } from '../certs';
import type { CaFiles, ClusterSecrets, SecretRenderedApart, ServingCerts } from '../certs';
import { clusterSecretObjects, secretKeyFiles } from '../certs/secret-files';
import { EXTERNAL_SECRETS } from '../catalog/gitops';
import type { DeliverySpec } from '../config/model';
import type { PlainSecret } from './sealed-secrets';

/**
 * External Secrets (SPEC section 15): instead of the key material, the package holds an
 * ExternalSecret per Secret, and the External Secrets operator builds the Secret from
 * Google Secret Manager, where the kept files of secrets/ are uploaded once.
 */

/**
 * The Secret Manager secret holding one key of one Secret of one cluster:
 * `<cluster>_<secret>_<key>`, dots as hyphens (Secret Manager names allow letters,
 * digits, `-` and `_`; cluster names, Secret names and keys never contain `_`, so the
 * parts stay apart). For example `asm-gke_istio-istio-galley-service-account_key-pem`.
 */
export function secretManagerName(cluster: string, secret: string, key: string): string {
  return [cluster, secret, key].map((part) => part.replace(/\./g, '-')).join('_');
}

/**
 * The shape of each Secret a platform keeps apart, from the same constructs that render
 * them, filled with empty values: names, type, annotations and keys, no key material.
 */
function secretShapes(apart: readonly SecretRenderedApart[]): PlainSecret[] {
  const empty = <K extends string>(names: readonly K[]) => Object.fromEntries(names.map((n) => [n, ''])) as Record<K, string>;
  const secrets: { -readonly [K in keyof ClusterSecrets]: ClusterSecrets[K] } = {};
  for (const a of apart) {
    if (a.set === 'ca') secrets.ca = empty(CA_FILE_NAMES) as CaFiles;
    else if ((SERVING_COMPONENTS as readonly string[]).includes(a.set)) secrets[a.set] = empty(SERVING_CERT_FILE_NAMES) as ServingCerts;
  }
  return clusterSecretObjects(secrets) as PlainSecret[];
}

export interface ExternalSecretObject {
  readonly apiVersion: typeof EXTERNAL_SECRETS.apiVersion;
  readonly kind: typeof EXTERNAL_SECRETS.kind;
  readonly metadata: { readonly name: string; readonly namespace: string };
  readonly spec: {
    readonly refreshInterval: string;
    readonly secretStoreRef: { readonly kind: string; readonly name: string };
    readonly target: { readonly name: string; readonly creationPolicy: 'Owner'; readonly template: { readonly type?: string; readonly metadata?: { readonly annotations?: Record<string, string>; readonly labels?: Record<string, string> } } };
    readonly data: { readonly secretKey: string; readonly remoteRef: { readonly key: string } }[];
  };
}

/** One key of one Secret to upload: where it is kept and the Secret Manager secret it goes to. */
export interface Upload {
  readonly file: string;
  readonly secretManagerName: string;
}

/** The ExternalSecrets of a cluster's Secrets kept apart, and the uploads they read. */
export function externalSecrets(cluster: string, apart: readonly SecretRenderedApart[], store: NonNullable<DeliverySpec['store']>): { objects: ExternalSecretObject[]; uploads: Upload[] } {
  const shapes = secretShapes(apart);
  const objects: ExternalSecretObject[] = [];
  const uploads: Upload[] = [];
  for (const shape of shapes) {
    const a = apart.find((x) => x.name === shape.metadata.name && x.namespace === shape.metadata.namespace);
    if (!a) continue;
    const files = new Map(secretKeyFiles(a).map((k) => [k.key, k.file]));
    const keys = Object.keys(shape.data).sort();
    for (const key of keys) uploads.push({ file: files.get(key)!, secretManagerName: secretManagerName(cluster, shape.metadata.name, key) });
    const { annotations, labels } = shape.metadata;
    objects.push({
      apiVersion: EXTERNAL_SECRETS.apiVersion,
      kind: EXTERNAL_SECRETS.kind,
      metadata: { name: shape.metadata.name, namespace: shape.metadata.namespace },
      spec: {
        refreshInterval: EXTERNAL_SECRETS.refreshInterval,
        secretStoreRef: { kind: store.kind, name: store.name },
        target: {
          name: shape.metadata.name,
          creationPolicy: 'Owner',
          template: {
            ...(shape.type ? { type: shape.type } : {}),
            ...(annotations || labels ? { metadata: { ...(annotations ? { annotations } : {}), ...(labels ? { labels } : {}) } } : {}),
          },
        },
        data: keys.map((key) => ({ secretKey: key, remoteRef: { key: secretManagerName(cluster, shape.metadata.name, key) } })),
      },
    });
  }
  return { objects, uploads };
}
