import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseAllDocuments } from 'yaml';
import type { Profile } from '../../src/config/schema';
import { isAsmProfile } from '../../src/catalog/profiles';
import { packageSpec, PLACEHOLDERS, valuesFromSetters } from '../../src/packages';
import { PACKAGE_TD_SERVICES } from '../../src/packages/spec';
import { renderCluster } from '../../src/render/render-cluster';
import type { PackageFile } from '../../src/setters';

export const PACKAGES_DIR = path.resolve(__dirname, '../../packages');

/** Every file under a directory, POSIX paths relative to it, sorted. */
export function readTree(dir: string): PackageFile[] {
  const out: PackageFile[] = [];
  const walk = (abs: string, rel: string): void => {
    for (const e of fs.readdirSync(abs, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const childRel = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) walk(path.join(abs, e.name), childRel);
      else out.push({ path: childRel, content: fs.readFileSync(path.join(abs, e.name), 'utf8') });
    }
  };
  if (fs.existsSync(dir)) walk(dir, '');
  return out;
}

/** The resources of a file, parsed (comments and styles are gone). */
export function resources(content: string): unknown[] {
  const docs = parseAllDocuments(content);
  return Array.isArray(docs) ? docs.map((d) => d.toJS()) : [];
}

/** Resource files of a package: YAML files other than the Kptfile and the kpt v1 setters ConfigMap. */
export function resourceFiles(files: readonly PackageFile[]): Map<string, unknown[]> {
  return new Map(
    files
      .filter((f) => /\.ya?ml$/.test(f.path) && f.path !== 'setters.yaml')
      .map((f) => [f.path, resources(f.content)] as [string, unknown[]]),
  );
}

/** What rendering a cluster with these setter values directly gives. */
export function renderedWith(profile: Profile, setterValues: Readonly<Record<string, string>>): Map<string, unknown[]> {
  const files = renderCluster(packageSpec(profile, valuesFromSetters(setterValues)));
  return resourceFiles(files.map((f) => ({ path: f.path, content: f.content })));
}

/** Sets the value at a path (keys and indices) of a parsed resource, for masking a field. */
export function setAt(root: unknown, parts: readonly (string | number)[], value: unknown): void {
  let node = root as Record<string | number, unknown>;
  for (const p of parts.slice(0, -1)) node = node[p] as Record<string | number, unknown>;
  node[parts[parts.length - 1]] = value;
}

/**
 * Setter values of a cluster no other test uses, different from every placeholder:
 * what a user sets on a committed package.
 */
export const UNSEEN_VALUES: Readonly<Record<string, string>> = {
  'gcloud.core.project': 'tenant-x7-prod',
  'gcloud.project.projectNumber': '987654321098',
  'cluster-name': 'edge-42',
  'gcloud.compute.zone': 'asia-south1-b',
  'gcloud.compute.region': 'asia-south1',
  'gcloud.compute.network': 'mesh-vpc',
  'gcloud.compute.subnetwork': 'mesh-subnet-7',
  'gcloud.container.cluster.releaseChannel': 'STABLE',
  nodeCount: '5',
  maxNodes: '11',
  'gcloud.core.account': 'mesh-ops@tenant-x7.example',
  'ingress.loadBalancerIP': '10.77.3.9',
};

/** The placeholder texts no set package may keep (the unique tokens; `default`, `4` are checked by the comparison with synth). */
export const PLACEHOLDER_TOKENS: readonly string[] = [
  PLACEHOLDERS.projectId,
  PLACEHOLDERS.projectNumber,
  PLACEHOLDERS.cluster,
  PLACEHOLDERS.location,
  'us-central1',
  PLACEHOLDERS.adminUser,
  PLACEHOLDERS.loadBalancerIP,
];

/** The setter values of `values` a package of `profile` has setters for. */
export function valuesForPackage(files: readonly PackageFile[], values: Readonly<Record<string, string>>): Record<string, string> {
  const setters = files.find((f) => f.path === 'setters.yaml');
  const kptfile = files.find((f) => f.path === 'Kptfile')!.content;
  const names = Object.keys(values).filter((n) =>
    setters ? new RegExp(`^  ${n.replace(/\./g, '\\.')}: `, 'm').test(setters.content) : kptfile.includes(`io.k8s.cli.setters.${n}:`),
  );
  return Object.fromEntries(names.map((n) => [n, values[n]]));
}

/** A config cluster with the values of a package's setters: what `asmpkg synth` renders the same cluster from. */
export function clusterConfigFor(profile: Profile, values: Readonly<Record<string, string>>): Record<string, unknown> {
  const v = valuesFromSetters(values);
  const spec = packageSpec(profile, v);
  const onGke = profile !== 'onprem';
  const asm = isAsmProfile(profile);
  // a package without a number setter renders nothing from the number: any valid one will do
  const number = values['gcloud.project.projectNumber'] ?? UNSEEN_VALUES['gcloud.project.projectNumber'];
  return {
    name: spec.name,
    profile,
    version: spec.version,
    ...(onGke ? { project: { id: spec.project!.id, number }, location: spec.location } : {}),
    nodePool: {
      ...(onGke ? { machineType: spec.nodePool.machineType } : { cpus: 4 }),
      nodeCount: spec.nodePool.nodeCount,
      maxNodeCount: spec.nodePool.maxNodeCount,
    },
    ...(profile === 'gke' || !asm ? { network: spec.network, subnetwork: spec.subnetwork, releaseChannel: spec.releaseChannel } : {}),
    ...(asm && profile !== 'gke' ? { adminUser: spec.adminUser } : {}),
    ...(profile === 'onprem' ? { ingress: { loadBalancerIP: spec.ingress.loadBalancerIP }, certificates: { algorithm: 'ecdsa-p256' } } : {}),
    ...(profile === 'traffic-director' ? { trafficDirector: { services: structuredClone(PACKAGE_TD_SERVICES) } } : {}),
  };
}

/** Copies a directory tree (a committed package) to `dest`. */
export function copyTree(src: string, dest: string): void {
  fs.cpSync(src, dest, { recursive: true });
}
