import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { CaFilesError, CA_FILE_NAMES, loadOrCreateCa, readCaDir, secretFiles, validateCaFiles } from '../certs';
import type { CaFiles } from '../certs';
import { parseConfig } from '../config/load';
import type { ClusterSpec } from '../config/model';
import { InputError } from '../config/problems';
import { resolveCluster } from '../config/resolve';
import { INDEX_FILE, IndexCluster, IndexInput, renderIndex, sha256 } from '../render/index-file';
import { renderCluster } from '../render/render-cluster';
import type { RenderedFile } from '../render/types';
import { CliError } from './io';
import { GENERATOR } from './meta';
import type { OutputPlan } from './output';

export interface FleetRequest {
  readonly text: string;
  /** How the config file is named in messages. */
  readonly shown: string;
  readonly outDir: string;
  readonly fingerprint: string;
  readonly regenerateCa: boolean;
  readonly cwd: string;
  readonly progress?: (done: number, total: number) => void;
}

export interface FleetResult {
  readonly output: OutputPlan;
  readonly clusters: number;
  readonly files: number;
}

/** Validates the config, prepares each cluster's CA, and renders every package in memory. */
export async function renderFleet(req: FleetRequest): Promise<FleetResult> {
  let specs: ClusterSpec[];
  try {
    specs = parseConfig(req.text, req.shown).clusters.map(resolveCluster);
  } catch (e) {
    if (e instanceof InputError) throw new CliError(e.message, 2);
    throw e;
  }

  const entries = new Map<string, RenderedFile[]>();
  const indexClusters: IndexCluster[] = [];
  const inputs: IndexInput[] = [];
  let files = 0;
  // CA work (key generation, file reads) runs on libuv's threads: start it for every
  // on-prem cluster at once rather than waiting for each in turn.
  const cas = await mapLimited(specs, CA_CONCURRENCY, (spec) => (spec.profile === 'onprem' ? clusterCa(spec, req, inputs) : Promise.resolve(undefined)));
  for (const [i, spec] of specs.entries()) {
    const ca = cas[i];
    const rendered = [...renderCluster(spec), ...(ca ? secretFiles(ca) : [])];
    rendered.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
    entries.set(spec.name, rendered.map((f) => ({ ...f, path: `${spec.name}/${f.path}` })));
    indexClusters.push({ name: spec.name, profile: spec.profile, files: rendered });
    files += rendered.length;
    req.progress?.(i + 1, specs.length);
  }
  entries.set(INDEX_FILE, [{ path: INDEX_FILE, content: renderIndex(req.fingerprint, GENERATOR, indexClusters, inputs) }]);
  const stale = (await previousClusters(req.outDir)).filter((name) => !entries.has(name));
  return { output: { entries, stale }, clusters: specs.length, files: files + 1 };
}

const CA_CONCURRENCY = 16;

/** Maps with at most `limit` promises pending; results in input order. */
async function mapLimited<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/** The CA of an on-prem cluster: the user's (checked), or one generated once and kept. */
async function clusterCa(spec: ClusterSpec, req: FleetRequest, inputs: IndexInput[]): Promise<CaFiles> {
  const field = `clusters[${spec.name}].certificates.dir`;
  const userDir = spec.certificates.dir;
  if (userDir) {
    const dir = path.resolve(req.cwd, userDir);
    const { files, problems: readProblems } = await readCaDir(dir);
    const problems = [...readProblems, ...(await validateCaFiles(files))];
    if (problems.length > 0) {
      throw new CliError(problems.map((p) => `asmpkg: ${field}: ${path.join(userDir, p.file)}: ${p.reason}`).join('\n'), 2);
    }
    for (const name of CA_FILE_NAMES) inputs.push({ path: path.relative(req.cwd, path.join(dir, name)), sha256: sha256(files[name]!) });
    return files as CaFiles;
  }
  try {
    const { ca } = await loadOrCreateCa(
      path.join(req.outDir, spec.name, 'secrets'),
      {
        algorithm: spec.certificates.algorithm,
        organization: spec.certificates.organization,
        cluster: spec.name,
        rootValidityDays: spec.certificates.rootValidityDays,
        caValidityDays: spec.certificates.validityDays,
      },
      { regenerate: req.regenerateCa },
    );
    return ca;
  } catch (e) {
    if (e instanceof CaFilesError) {
      throw new CliError(
        e.problems.map((p) => `asmpkg: ${path.join(e.dir, p.file)}: ${p.reason} (fix or remove it, or pass --regenerate-ca)`).join('\n'),
        2,
      );
    }
    throw e;
  }
}

/** Cluster directories the previous run recorded in OUT/index.yaml. */
async function previousClusters(outDir: string): Promise<string[]> {
  const text = await fs.readFile(path.join(outDir, INDEX_FILE), 'utf8').catch(() => '');
  return [...text.matchAll(/^ {2}- name: ([a-z0-9-]+)$/gm)].map((m) => m[1]);
}

