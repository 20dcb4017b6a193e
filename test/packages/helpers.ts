import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseAllDocuments } from 'yaml';
import type { Profile } from '../../src/config/schema';
import { packageSpec, valuesFromSetters } from '../../src/packages';
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
