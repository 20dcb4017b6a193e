import type { Profile } from '../config/schema';
import { isAsmProfile } from '../catalog/profiles';
import { installGuide } from '../profiles/install-guide';
import { renderCluster } from '../render/render-cluster';
import { annotatePackage, PackageFormat, SetterSpec, UnsupportedField, V1_SETTERS_FILE } from '../setters/annotate';
import type { PackageFile } from '../setters/types';
import { ASM_SETTERS, FIELD_RULES, KNOWN_SUBSTITUTIONS } from './asm-setters';
import { packageSpec } from './spec';

/** Profiles with a committed package, in `packages/<profile>/`. */
export const PACKAGE_PROFILES: readonly Profile[] = ['gke', 'gke-istioctl', 'onprem', 'istio-on-gke'];

export interface GeneratedPackage {
  readonly profile: Profile;
  readonly format: PackageFormat;
  /** Package files, paths relative to the package directory. */
  readonly files: readonly PackageFile[];
  readonly setters: readonly SetterSpec[];
  /** Fields whose value does not follow the setters (see `annotatePackage`). */
  readonly unsupported: readonly UnsupportedField[];
}

function description(profile: Profile, version: string): string {
  switch (profile) {
    case 'gke':
      return `Anthos Service Mesh ${version} on a new GKE cluster: Config Connector resources for the APIs, cluster and node pool, the IstioControlPlane for anthoscli, and the rendered in-cluster install`;
    case 'gke-istioctl':
      return `Anthos Service Mesh ${version} on an existing GKE cluster, installed with istioctl or applied as rendered manifests`;
    case 'istio-on-gke':
      return 'The Istio on GKE add-on: Config Connector resources for the APIs and a GKE cluster with the add-on on, and the injection labels of your namespaces';
    case 'traffic-director':
      return 'Traffic Director on GKE: Config Connector resources for the APIs, a VPC-native cluster and the load-balancing resources, and in-cluster the Envoy sidecar injector and the Services with standalone NEGs';
    default:
      return `Anthos Service Mesh ${version} on GKE on-prem with Citadel, installed with istioctl or applied as rendered manifests; the cacerts Secret is created apart`;
  }
}

function setterTable(setters: readonly SetterSpec[]): string[] {
  return [
    '| setter | placeholder | |',
    '|---|---|---|',
    ...setters.map((s) => `| \`${s.name}\` | \`${s.value}\` | ${s.description ?? ''}${s.isSet ? ' (release value)' : ''} |`),
  ];
}

/** Values the INSTALL.md examples set. */
const EXAMPLE_VALUES: Readonly<Record<string, string>> = {
  'gcloud.core.project': 'my-project',
  'gcloud.project.projectNumber': '123456789012',
  'cluster-name': 'my-cluster',
  'gcloud.compute.zone': 'europe-west1-b',
  'gcloud.compute.region': 'europe-west1',
  'gcloud.core.account': 'you@example.com',
  'ingress.loadBalancerIP': '203.0.113.10',
};

/** The first part of INSTALL.md: how to fill in the package before the install steps. */
function preamble(profile: Profile, format: PackageFormat, setters: readonly SetterSpec[]): string[] {
  const example = setters.filter((s) => EXAMPLE_VALUES[s.name]).map((s) => `${s.name}=${EXAMPLE_VALUES[s.name]}`);
  const first = setters.find((s) => EXAMPLE_VALUES[s.name])!;
  const lines = [
    `# kpt package \`${profile}\``,
    '',
    'Rendered by asmpkg (`npm run packages`) with the placeholders below; do not edit by hand.',
    'Set your values first; the install steps further down show the placeholders.',
    '',
    ...setterTable(setters),
    '',
  ];
  if (format === 'v0') {
    const gcloud = setters.some((s) => s.name === 'gcloud.core.project');
    lines.push(
      'kpt v0 setters (`Kptfile` kpt.dev/v1alpha1): list and set them with kpt or asmpkg.' +
        (gcloud ? ' `kpt pkg get` fills `gcloud.core.project` and `gcloud.project.projectNumber` from your gcloud config.' : ''),
      '',
      '```sh',
      'kpt cfg list-setters .',
      `kpt cfg set . ${first.name} ${EXAMPLE_VALUES[first.name]}`,
      `asmpkg set . ${example.join(' \\\n    ')}`,
      '```',
    );
  } else {
    lines.push(
      `kpt v1 (\`Kptfile\` kpt.dev/v1): edit \`${V1_SETTERS_FILE}\` and run \`kpt fn render\`, or let asmpkg do both:`,
      '',
      '```sh',
      `asmpkg set . ${example.join(' \\\n    ')}`,
      '```',
    );
  }
  if (setters.some((s) => s.name === 'gcloud.compute.region')) {
    lines.push('', 'The subnetwork is regional: when you set `gcloud.compute.zone`, set `gcloud.compute.region` to its region too.');
  }
  if (profile === 'onprem') {
    lines.push(
      '',
      '## Citadel\'s CA (`cacerts`)',
      '',
      'The package holds no key material. Create the root and intermediate CA Citadel signs',
      'workload certificates with, outside any git work tree, and load them as the `cacerts`',
      'Secret after the istio-system namespace exists (the step below that applies',
      '`secrets/cacerts.yaml`; `asmpkg synth` writes that file for a cluster of a config):',
      '',
      '```sh',
      'asmpkg certs --out ~/asm-ca/CLUSTER --cluster CLUSTER',
      'kubectl create secret generic cacerts -n istio-system \\',
      '  --from-file=ca-cert.pem=$HOME/asm-ca/CLUSTER/ca-cert.pem \\',
      '  --from-file=ca-key.pem=$HOME/asm-ca/CLUSTER/ca-key.pem \\',
      '  --from-file=root-cert.pem=$HOME/asm-ca/CLUSTER/root-cert.pem \\',
      '  --from-file=cert-chain.pem=$HOME/asm-ca/CLUSTER/cert-chain.pem',
      '```',
    );
  }
  if (profile === 'traffic-director') {
    lines.push(
      '',
      '## The sidecar injector\'s webhook certificate',
      '',
      'The package holds no key material. `asmpkg synth` of a config with this cluster makes the',
      'injector\'s serving certificate (SAN `istio-sidecar-injector.istio-control.svc`) and writes it as',
      '`secrets/td-sidecar-injector-certs.yaml`, kept apart and reused; apply it where the steps below say.',
      '',
      '## The example service',
      '',
      'A package cannot know your services: it routes one example Service (`helloworld` in `default`,',
      'port 80 to 8080, host `helloworld.example.com`). Render your own list with `asmpkg synth`',
      '(`trafficDirector.services` in the config), or edit the Service and the load-balancing resources alike.',
    );
  }
  if (isAsmProfile(profile) && profile !== 'onprem') {
    lines.push(
      '',
      '## The sidecar injector\'s webhook certificate',
      '',
      'GKE has no Citadel to issue the sidecar injector its webhook serving certificate, so',
      'the package holds none (no key material). Make one per cluster, outside any git work',
      'tree, and load it after the istio-system namespace exists (the step below that applies',
      '`secrets/sidecar-injector-certs.yaml`; `asmpkg synth` writes that file for a cluster of a config):',
      '',
      '```sh',
      'asmpkg certs --sidecar-injector --out ~/asm-injector/CLUSTER --cluster CLUSTER',
      'kubectl create secret generic istio.istio-sidecar-injector-service-account -n istio-system \\',
      '  --type istio.io/key-and-cert \\',
      '  --from-file=root-cert.pem=$HOME/asm-injector/CLUSTER/root-cert.pem \\',
      '  --from-file=cert-chain.pem=$HOME/asm-injector/CLUSTER/cert-chain.pem \\',
      '  --from-file=key.pem=$HOME/asm-injector/CLUSTER/key.pem',
      '```',
      '',
      '## Galley\'s webhook certificate',
      '',
      'Galley serves its validating webhook with the same kind of certificate, which on GKE',
      'nothing creates either: galley does not start without it. Make one per cluster the same',
      'way and load it with the injector\'s (`asmpkg synth` writes it as `secrets/galley-certs.yaml`):',
      '',
      '```sh',
      'asmpkg certs --galley --out ~/asm-galley/CLUSTER --cluster CLUSTER',
      'kubectl create secret generic istio.istio-galley-service-account -n istio-system \\',
      '  --type istio.io/key-and-cert \\',
      '  --from-file=root-cert.pem=$HOME/asm-galley/CLUSTER/root-cert.pem \\',
      '  --from-file=cert-chain.pem=$HOME/asm-galley/CLUSTER/cert-chain.pem \\',
      '  --from-file=key.pem=$HOME/asm-galley/CLUSTER/key.pem',
      '```',
    );
  }
  lines.push('', '');
  return lines;
}

/**
 * One profile's kpt package: the cluster rendered with placeholders (`packageSpec`),
 * annotated with the ASM setters, plus the Kptfile (and for kpt v1 `setters.yaml`).
 * Throws if the render holds key material.
 */
export function generatePackage(profile: Profile, format: PackageFormat = 'v0'): GeneratedPackage {
  const spec = packageSpec(profile);
  const rendered = renderCluster(spec);
  const secret = rendered.find((f) => f.secret || f.path.startsWith('secrets/'));
  if (secret) throw new Error(`package ${profile}: ${secret.path} holds key material; packages must not`);
  const annotated = annotatePackage(
    rendered.filter((f) => f.path !== 'INSTALL.md').map((f) => ({ path: f.path, content: f.content })),
    {
      name: profile,
      description: description(profile, spec.release.version),
      setters: ASM_SETTERS,
      rules: FIELD_RULES,
      substitutions: KNOWN_SUBSTITUTIONS,
      format,
    },
  );
  const install = { path: 'INSTALL.md', content: preamble(profile, format, annotated.setters).join('\n') + installGuide(spec) };
  return { profile, format, files: [...annotated.files, install], setters: annotated.setters, unsupported: annotated.unsupported };
}

/** Every profile's package, paths prefixed with `<profile>/` (what `packages/` holds). */
export function packageTree(format: PackageFormat = 'v0'): { files: PackageFile[]; unsupported: UnsupportedField[] } {
  const files: PackageFile[] = [];
  const unsupported: UnsupportedField[] = [];
  for (const profile of PACKAGE_PROFILES) {
    const pkg = generatePackage(profile, format);
    files.push(...pkg.files.map((f) => ({ path: `${profile}/${f.path}`, content: f.content })));
    unsupported.push(...pkg.unsupported.map((u) => ({ ...u, file: `${profile}/${u.file}` })));
  }
  files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { files, unsupported };
}
