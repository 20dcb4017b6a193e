/** Reading what a GitOps-enabled synth wrote: YAML objects, kustomize builds, schema checks. */
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { tempDir } from './cli';

export type Obj = { apiVersion: string; kind: string; metadata: { name: string; namespace?: string; annotations?: Record<string, string>; labels?: Record<string, string> }; spec?: any; [k: string]: any };

/** The oldest and newest kubectl of the Cloud SDK: their kustomize must build every directory a controller is pointed at. */
export const KUBECTLS = ['1.27', '1.33'].map((v) => `/usr/lib/google-cloud-sdk/bin/kubectl.${v}`);

export function yamlObjects(file: string): Obj[] {
  return parseAllDocuments(readFileSync(file, 'utf8'))
    .map((d) => d.toJS() as Obj)
    .filter(Boolean);
}

/** Every file below a directory, relative paths, sorted. */
export function filesBelow(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      const p = path.join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else out.push(path.relative(dir, p));
    }
  };
  walk(dir);
  return out;
}

/** `kubectl kustomize DIR` with each kubectl; the objects it builds (the same from each). */
export function kustomize(dir: string): Obj[] {
  let first: string | undefined;
  for (const kubectl of KUBECTLS) {
    const out = execFileSync(kubectl, ['kustomize', dir], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    if (first === undefined) first = out;
    else expect(out).toBe(first);
  }
  return parseAllDocuments(first!).map((d) => d.toJS() as Obj);
}

/**
 * What Flux does with a directory that has no kustomization.yaml: generates one listing
 * its manifests. Done in a copy, then built like any other.
 */
export function kustomizePlainDir(dir: string): Obj[] {
  if (existsSync(path.join(dir, 'kustomization.yaml'))) return kustomize(dir);
  const copy = tempDir('asmpkg-flux-dir-');
  cpSync(dir, copy, { recursive: true });
  const resources = filesBelow(copy).filter((f) => /\.ya?ml$/.test(f));
  writeFileSync(path.join(copy, 'kustomization.yaml'), `apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n${resources.map((r) => `  - ${r}\n`).join('')}`);
  return kustomize(copy);
}

/** Problems the @kubernetes-models schemas find (ES modules: checked in a child process). */
export function modelProblems(objects: readonly Obj[]): string[] {
  const out = execFileSync(process.execPath, [path.join(__dirname, 'gitops-models.mjs')], { input: JSON.stringify(objects), encoding: 'utf8', cwd: path.join(__dirname, '..', '..') });
  return JSON.parse(out) as string[];
}
