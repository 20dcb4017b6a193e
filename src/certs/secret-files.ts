import { PACKAGE_DIRS } from '../catalog/layout';
import type { Profile } from '../catalog/profiles';
import { TD_INJECTOR } from '../catalog/traffic-director';
import { App, Chart } from 'cdk8s';
import { ISTIO_NAMESPACE } from '../catalog/components';
import type { MeshValues } from '../constructs/mesh/values';
import { CACERTS_SECRET_NAME, CacertsSecret } from '../constructs/security/cacerts-secret';
import { GALLEY_CERTS_SECRET_NAME, INJECTOR_CERTS_SECRET_NAME, ServingCertsSecret } from '../constructs/security/webhook-cert-secret';
import { RenderedFile } from '../render/types';
import { stringifyYaml } from '../util/yaml';
import { CA_FILE_NAMES, CA_KEY_FILE, CaFiles, InjectorCerts, SERVING_CERT_FILE_NAMES, SERVING_KEY_FILE, ServingCerts } from './types';
import { SERVING_COMPONENTS, ServingComponent } from './webhook';

/** Directory of a cluster's package that holds key material; never committed. */
export const SECRETS_DIR = PACKAGE_DIRS.secrets;

/** Directory below {@link SECRETS_DIR} that keeps the sidecar injector's certificate files. */
export const INJECTOR_CERTS_DIR = 'sidecar-injector';

/** Directory below {@link SECRETS_DIR} that keeps galley's webhook certificate files. */
export const GALLEY_CERTS_DIR = 'galley';

/** The `cacerts` Secret manifest (on-prem), relative to the cluster's output directory. */
export const CACERTS_MANIFEST = `${SECRETS_DIR}/cacerts.yaml`;

/** The injector's certificate Secret manifest (GKE), relative to the cluster's output directory. */
export const INJECTOR_CERTS_MANIFEST = `${SECRETS_DIR}/sidecar-injector-certs.yaml`;

/** Directory below {@link SECRETS_DIR} that keeps Traffic Director's sidecar injector certificate files. */
export const TD_INJECTOR_CERTS_DIR = 'td-sidecar-injector';

/** Traffic Director's injector certificate Secret manifest, relative to the cluster's output directory. */
export const TD_INJECTOR_CERTS_MANIFEST = `${SECRETS_DIR}/td-sidecar-injector-certs.yaml`;

/** Galley's certificate Secret manifest (GKE), relative to the cluster's output directory. */
export const GALLEY_CERTS_MANIFEST = `${SECRETS_DIR}/galley-certs.yaml`;

const SECRET_MODE = 0o600;
const PUBLIC_MODE = 0o644;

/** A Secret a package gets from its `secrets/` directory instead of `in-cluster/`. */
export interface SecretRenderedApart {
  /** Which file set of `secrets/` it is made from. */
  readonly set: 'ca' | ServingComponent;
  readonly name: string;
  readonly namespace: string;
  /** Its manifest, relative to the cluster's output directory. */
  readonly manifest: string;
}

/**
 * The Secrets a package of each platform holds in `secrets/` rather than in
 * `in-cluster/`, because they carry key material: on-prem the CA Citadel signs with;
 * on GKE, where no Citadel creates the `istio.*` Secrets, the webhook serving
 * certificates of the sidecar injector and galley. What render-fleet generates follows
 * from this list.
 */
export const SECRETS_RENDERED_APART: Readonly<Record<MeshValues['platform'], readonly SecretRenderedApart[]>> = {
  onprem: [{ set: 'ca', name: CACERTS_SECRET_NAME, namespace: ISTIO_NAMESPACE, manifest: CACERTS_MANIFEST }],
  gke: [
    { set: 'sidecarInjector', name: INJECTOR_CERTS_SECRET_NAME, namespace: ISTIO_NAMESPACE, manifest: INJECTOR_CERTS_MANIFEST },
    { set: 'galley', name: GALLEY_CERTS_SECRET_NAME, namespace: ISTIO_NAMESPACE, manifest: GALLEY_CERTS_MANIFEST },
  ],
};

const CACERTS_HEADER = [
  'The CA Citadel signs workload certificates with (GKE on-prem). Holds the CA private',
  'key: apply it with `kubectl apply -f` before `istioctl manifest apply`; never commit it.',
];

/** Where each component's serving certificate set is kept in `secrets/`, and how its manifest is introduced. */
const SERVING_CERT_FILES: Readonly<Record<ServingComponent, { readonly dir: string; readonly manifest: string; readonly id: string; readonly header: readonly string[] }>> = {
  sidecarInjector: {
    dir: INJECTOR_CERTS_DIR,
    manifest: INJECTOR_CERTS_MANIFEST,
    id: 'sidecar-injector-certs',
    header: [
      "The sidecar injector's webhook serving certificate (GKE: no Citadel creates it). Holds",
      'its private key: apply it with `kubectl apply -f` once istio-system exists, before the',
      'components; never commit it. The injector patches root-cert.pem into its webhook caBundle.',
    ],
  },
  galley: {
    dir: GALLEY_CERTS_DIR,
    manifest: GALLEY_CERTS_MANIFEST,
    id: 'galley-certs',
    header: [
      "Galley's validating webhook serving certificate (GKE: no Citadel creates it). Holds",
      'its private key: apply it with `kubectl apply -f` once istio-system exists, before the',
      'components; never commit it. Galley patches root-cert.pem into its webhook caBundle.',
    ],
  },
  tdSidecarInjector: {
    dir: TD_INJECTOR_CERTS_DIR,
    manifest: TD_INJECTOR_CERTS_MANIFEST,
    id: 'td-sidecar-injector-certs',
    header: [
      "Traffic Director's sidecar injector webhook serving certificate. Holds its private key:",
      'apply it with `kubectl apply -f` once istio-control exists, before the injector;',
      'never commit it. The injector patches ca-cert.pem into its webhook caBundle.',
    ],
  },
};

/**
 * The Secrets a cluster's package keeps in `secrets/`, by profile: ASM's by platform
 * ({@link SECRETS_RENDERED_APART}), Traffic Director's injector certificate, and none
 * for the Istio on GKE add-on (Google runs its webhooks).
 */
export function secretsRenderedApartFor(profile: Profile, platform: MeshValues['platform']): readonly SecretRenderedApart[] {
  if (profile === 'istio-on-gke') return [];
  if (profile === 'traffic-director') {
    return [{ set: 'tdSidecarInjector', name: TD_INJECTOR.certSecret, namespace: TD_INJECTOR.namespace, manifest: TD_INJECTOR_CERTS_MANIFEST }];
  }
  return SECRETS_RENDERED_APART[platform];
}

/** Directory below {@link SECRETS_DIR} that keeps a component's serving certificate files. */
export function servingCertsDir(component: ServingComponent): string {
  return SERVING_CERT_FILES[component].dir;
}

/** Key material found for a cluster, by set; a package has either or both. */
export interface ClusterSecrets {
  /** Citadel's plugged-in CA (on-prem). */
  readonly ca?: CaFiles;
  /** The sidecar injector's serving certificate (GKE). */
  readonly sidecarInjector?: InjectorCerts;
  /** Galley's webhook serving certificate (GKE). */
  readonly galley?: ServingCerts;
  /** Traffic Director's sidecar injector serving certificate. */
  readonly tdSidecarInjector?: ServingCerts;
}

/**
 * The files of a package's `secrets/` directory: for each set, the Secret manifest and
 * the PEM files (so the next render reuses them, see loadOrCreateCa and
 * loadOrCreateServingCert), plus a `.gitignore` of `*` so none of it is committed by
 * accident. Paths are relative to the cluster's output directory, sorted; key material
 * is marked `secret` with mode 0600 and must never be printed. Empty when there are no sets.
 */
export function clusterSecretFiles(secrets: ClusterSecrets): RenderedFile[] {
  if (!secrets.ca && !SERVING_COMPONENTS.some((c) => secrets[c])) return [];
  const files: RenderedFile[] = [
    {
      path: `${SECRETS_DIR}/.gitignore`,
      content: '# Key material: generated by asmpkg, never committed.\n*\n',
      mode: PUBLIC_MODE,
    },
  ];
  const pem = (path: string, content: string, secret: boolean): RenderedFile => ({
    path,
    content,
    mode: secret ? SECRET_MODE : PUBLIC_MODE,
    ...(secret ? { secret: true } : {}),
  });
  if (secrets.ca) {
    const ca = secrets.ca;
    files.push({ path: CACERTS_MANIFEST, content: renderCacertsSecret(ca), mode: SECRET_MODE, secret: true });
    for (const file of CA_FILE_NAMES) files.push(pem(`${SECRETS_DIR}/${file}`, ca[file], file === CA_KEY_FILE));
  }
  for (const component of SERVING_COMPONENTS) {
    const certs = secrets[component];
    if (!certs) continue;
    const where = SERVING_CERT_FILES[component];
    files.push({ path: where.manifest, content: renderServingCertsSecret(component, certs), mode: SECRET_MODE, secret: true });
    for (const file of SERVING_CERT_FILE_NAMES) {
      files.push(pem(`${SECRETS_DIR}/${where.dir}/${file}`, certs[file], file === SERVING_KEY_FILE));
    }
  }
  return files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/** The `secrets/` files of an on-prem package's CA (see {@link clusterSecretFiles}). */
export function secretFiles(ca: CaFiles): RenderedFile[] {
  return clusterSecretFiles({ ca });
}

/** The `secrets/` files of a GKE package's sidecar injector certificate (see {@link clusterSecretFiles}). */
export function injectorSecretFiles(certs: InjectorCerts): RenderedFile[] {
  return clusterSecretFiles({ sidecarInjector: certs });
}

/** The `secrets/` files of a GKE package's galley certificate (see {@link clusterSecretFiles}). */
export function galleySecretFiles(certs: ServingCerts): RenderedFile[] {
  return clusterSecretFiles({ galley: certs });
}

/** YAML of the `cacerts` Secret, with a header saying what it is and how it is applied. */
export function renderCacertsSecret(ca: CaFiles): string {
  return renderSecret(CACERTS_HEADER, (chart) => new CacertsSecret(chart, 'cacerts', { ca }));
}

/** YAML of the injector's `istio.istio-sidecar-injector-service-account` Secret, with a header. */
export function renderInjectorCertsSecret(certs: InjectorCerts): string {
  return renderServingCertsSecret('sidecarInjector', certs);
}

/** YAML of a component's `istio.<service account>` Secret, with a header. */
export function renderServingCertsSecret(component: ServingComponent, certs: ServingCerts): string {
  const { header, id } = SERVING_CERT_FILES[component];
  return renderSecret(header, (chart) => new ServingCertsSecret(chart, id, { component, certs }));
}

function renderSecret(header: readonly string[], add: (chart: Chart) => void): string {
  const docs = secretManifests(add).map((manifest) => stringifyYaml(manifest));
  return header.map((line) => `# ${line}\n`).join('') + docs.join('---\n');
}

function secretManifests(add: (chart: Chart) => void): unknown[] {
  const app = new App();
  // A plain chart: this file is rendered here, apart from the package's other charts,
  // so key material never passes through the shared synth of the package.
  const chart = new Chart(app, 'secret', { disableResourceNameHashes: true });
  add(chart);
  return chart.toJson();
}

/**
 * The Secret objects of a cluster's key material, exactly as its secrets/ manifests
 * hold them, in {@link clusterSecretFiles}' order: what sealing or an external store
 * delivers instead of the files. They hold key material: never print them.
 */
export function clusterSecretObjects(secrets: ClusterSecrets): unknown[] {
  const objects: unknown[] = [];
  if (secrets.ca) {
    const ca = secrets.ca;
    objects.push(...secretManifests((chart) => new CacertsSecret(chart, 'cacerts', { ca })));
  }
  for (const component of SERVING_COMPONENTS) {
    const certs = secrets[component];
    if (certs) objects.push(...secretManifests((chart) => new ServingCertsSecret(chart, SERVING_CERT_FILES[component].id, { component, certs })));
  }
  return objects;
}

/**
 * Where each key of a Secret rendered apart is kept in secrets/ (path relative to the
 * cluster's directory): what an external store must be loaded from.
 */
export function secretKeyFiles(apart: SecretRenderedApart): { readonly key: string; readonly file: string }[] {
  if (apart.set === 'ca') return CA_FILE_NAMES.map((f) => ({ key: f, file: `${SECRETS_DIR}/${f}` }));
  const dir = SERVING_CERT_FILES[apart.set].dir;
  return SERVING_CERT_FILE_NAMES.map((f) => ({ key: f, file: `${SECRETS_DIR}/${dir}/${f}` }));
}
