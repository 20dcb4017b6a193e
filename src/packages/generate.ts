import type { Profile } from '../config/schema';
import { installGuide } from '../profiles/install-guide';
import { renderCluster } from '../render/render-cluster';
import { annotatePackage, PackageFormat, SetterSpec, UnsupportedField, V1_SETTERS_FILE } from '../setters/annotate';
import type { PackageFile } from '../setters/types';
import { ASM_SETTERS, FIELD_RULES, KNOWN_SUBSTITUTIONS } from './asm-setters';
import { regionOf } from '../util/location';
import { packageSpec, PLACEHOLDERS } from './spec';

/**
 * Profiles with a committed package: kpt v1 in `packages/<profile>/` (what kpt 1.x and
 * today's anthoscli read), kpt v0 in `packages/v0/<profile>/` (for kpt 0.x).
 */
export const PACKAGE_PROFILES: readonly Profile[] = ['gke', 'gke-istioctl', 'onprem', 'istio-on-gke', 'traffic-director'];

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

/**
 * The shell variables a kpt package's INSTALL.md uses for the cluster's values: the user
 * sets them once, passes them to `asmpkg set` and every step reads them, so the guide
 * holds no placeholder that a set would leave behind (INSTALL.md carries no setter comments).
 */
const SHELL_VARIABLES: readonly { readonly setter?: string; readonly variable: string; readonly placeholder: string; readonly example: string; readonly meaning: string }[] = [
  { setter: 'gcloud.core.project', variable: 'PROJECT', placeholder: PLACEHOLDERS.projectId, example: 'my-project', meaning: 'Google Cloud project ID' },
  { setter: 'gcloud.project.projectNumber', variable: 'PROJECT_NUM', placeholder: PLACEHOLDERS.projectNumber, example: '123456789012', meaning: 'its number' },
  { setter: 'cluster-name', variable: 'CLUSTER', placeholder: PLACEHOLDERS.cluster, example: 'my-cluster', meaning: 'cluster name' },
  { setter: 'gcloud.compute.zone', variable: 'LOCATION', placeholder: PLACEHOLDERS.location, example: 'europe-west1-b', meaning: 'zone or region of the cluster' },
  { setter: 'gcloud.compute.region', variable: 'REGION', placeholder: regionOf(PLACEHOLDERS.location), example: 'europe-west1', meaning: 'region of that location' },
  { setter: 'gcloud.core.account', variable: 'ADMIN', placeholder: PLACEHOLDERS.adminUser, example: 'you@example.com', meaning: 'user granted cluster-admin' },
  { setter: 'ingress.loadBalancerIP', variable: 'INGRESS_VIP', placeholder: PLACEHOLDERS.loadBalancerIP, example: '203.0.113.10', meaning: 'ingress gateway VIP' },
];

/** The variables a package's guide needs: those of its setters, and any whose placeholder the install steps show. */
function variablesFor(setters: readonly SetterSpec[], steps: string): typeof SHELL_VARIABLES {
  return SHELL_VARIABLES.filter((v) => steps.includes(v.placeholder) || setters.some((s) => s.name === v.setter));
}

/** The install steps with the package's placeholders replaced by the shell variables. */
function withVariables(guide: string): string {
  let out = guide.replace(/--zone us-central1-c\b/g, '--location ${LOCATION}');
  for (const v of [...SHELL_VARIABLES].sort((a, b) => b.placeholder.length - a.placeholder.length)) out = out.split(v.placeholder).join(`\${${v.variable}}`);
  return out;
}

function setterTable(setters: readonly SetterSpec[]): string[] {
  const variable = (name: string) => SHELL_VARIABLES.find((v) => v.setter === name)?.variable;
  return [
    '| setter | shell variable below | |',
    '|---|---|---|',
    ...setters.map((s) => `| \`${s.name}\` | ${variable(s.name) ? `\`${variable(s.name)}\`` : ''} | ${s.description ?? ''}${s.isSet ? ' (release value)' : ''} |`),
  ];
}

/** The first part of INSTALL.md: how to fill in the package before the install steps. */
function preamble(profile: Profile, format: PackageFormat, setters: readonly SetterSpec[], steps: string): string[] {
  const vars = variablesFor(setters, steps);
  const setCommand = `asmpkg set . ${vars
    .filter((v) => v.setter && setters.some((s) => s.name === v.setter))
    .map((v) => `${v.setter}=$${v.variable}`)
    .join(' \\\n    ')}`;
  const lines = [
    `# kpt package \`${profile}\``,
    '',
    'Rendered by asmpkg (`npm run packages`) with placeholder values; do not edit by hand.',
    `Its setters (current values in \`${format === 'v1' ? V1_SETTERS_FILE : 'Kptfile'}\`):`,
    '',
    ...setterTable(setters),
    '',
    'Commands below call `asmpkg`. In a clone of asmpkg, after `npm ci` there, define it once in',
    'your shell (the commands run in this directory):',
    '',
    '```sh',
    'asmpkg() { npx --prefix /path/to/asmpkg asmpkg "$@"; }',
    '```',
    '',
    'Set these shell variables to your cluster\'s values; the set below and every install step use them:',
    '',
    ...vars.map((v) => `- \`${v.variable}\`: ${v.meaning}`),
    '',
    '```sh',
    vars.map((v) => `${v.variable}=${v.example}`).join(' '),
    '```',
    '',
  ];
  if (format === 'v0') {
    const gcloud = setters.some((s) => s.name === 'gcloud.core.project');
    lines.push(
      `kpt v0 setters (\`Kptfile\` kpt.dev/v1alpha1, for kpt 0.x: \`kpt pkg get REPO.git/packages/v0/${profile} DIR\`; kpt 1.x reads \`packages/${profile}\`): list and set them with kpt 0.x (\`kpt cfg list-setters .\`, \`kpt cfg set . NAME VALUE\`) or asmpkg.` +
        (gcloud ? ' `kpt pkg get` fills `gcloud.core.project` and `gcloud.project.projectNumber` from your gcloud config.' : ''),
    );
  } else {
    lines.push(
      `kpt v1 (\`Kptfile\` kpt.dev/v1, for kpt 1.x and today's anthoscli: \`kpt pkg get REPO.git/packages/${profile} DIR\`; kpt 0.x reads \`packages/v0/${profile}\`).`,
      `Edit \`${V1_SETTERS_FILE}\` and run \`kpt fn render\` (it runs the apply-setters function in a container), or let asmpkg do both without one:`,
    );
  }
  lines.push('', '```sh', setCommand, '```');
  if (setters.some((s) => s.name === 'gcloud.compute.region')) {
    lines.push('', 'The subnetwork is regional: when you set `gcloud.compute.zone`, set `gcloud.compute.region` to its region too.');
  }
  if (profile === 'traffic-director') {
    lines.push(
      '',
      '## The sidecar injector\'s webhook certificate',
      '',
      'The package holds no key material. The steps below make the injector\'s serving certificate',
      '(SAN `istio-sidecar-injector.istio-control.svc`) once per cluster with `asmpkg certs --td-sidecar-injector`,',
      'outside the package, and load it; `asmpkg synth` of a config with this cluster writes it to `secrets/` instead.',
      '',
      '## The example service',
      '',
      'A package cannot know your services: it routes one example Service (`helloworld` in `default`,',
      'port 80 to 8080, host `helloworld.example.com`). Render your own list with `asmpkg synth`',
      '(`trafficDirector.services` in the config), or edit the Service and the load-balancing resources alike.',
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
export function generatePackage(profile: Profile, format: PackageFormat = 'v1'): GeneratedPackage {
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
  const steps = installGuide(spec, { secrets: 'commands' });
  const install = { path: 'INSTALL.md', content: preamble(profile, format, annotated.setters, steps).join('\n') + withVariables(steps) };
  return { profile, format, files: [...annotated.files, install], setters: annotated.setters, unsupported: annotated.unsupported };
}

/** Where the committed packages of a format live, relative to `packages/`. */
export const PACKAGE_FORMAT_DIRS: Readonly<Record<PackageFormat, string>> = { v1: '', v0: 'v0/' };

/** Every profile's package, paths prefixed with `<profile>/` (what `packages/` holds for v1, `packages/v0/` for v0). */
export function packageTree(format: PackageFormat = 'v1'): { files: PackageFile[]; unsupported: UnsupportedField[] } {
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
