import { parseAllDocuments } from 'yaml';
import { parseConfig } from '../../src/config/load';
import type { ClusterSpec } from '../../src/config/model';
import { resolveCluster } from '../../src/config/resolve';
import { renderCluster } from '../../src/render/render-cluster';
import { configText } from './config';

export type Manifest = { apiVersion: string; kind: string; metadata: { name: string; namespace?: string; [k: string]: unknown }; [k: string]: any };

/** A cluster object (as in a config file) validated and resolved. */
export function specOf(cluster: object): ClusterSpec {
  return resolveCluster(parseConfig(configText(cluster)).clusters[0]);
}

/** Renders a cluster and parses its YAML files back: path → manifests. */
export function renderParsed(cluster: object): Map<string, Manifest[]> {
  const files = renderCluster(specOf(cluster));
  return new Map(
    files.filter((f) => f.path.endsWith('.yaml')).map((f) => [f.path, parseAllDocuments(f.content).map((d) => d.toJS() as Manifest)]),
  );
}

export function find(manifests: Iterable<Manifest>, kind: string, name: string): Manifest {
  const m = [...manifests].find((x) => x.kind === kind && x.metadata.name === name);
  if (!m) throw new Error(`no ${kind} ${name}`);
  return m;
}
