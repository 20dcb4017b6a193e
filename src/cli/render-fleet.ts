import { existsSync, promises as fs } from 'node:fs';
import { availableParallelism } from 'node:os';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import { parseConfig } from '../config/load';
import type { ClusterSpec } from '../config/model';
import { InputError } from '../config/problems';
import { resolveCluster } from '../config/resolve';
import { SECRETS_DIR } from '../certs/secret-files';
import { INDEX_FILE, IndexCluster, renderIndex } from '../render/index-file';
import type { RenderedFile } from '../render/types';
import { ClusterResult, JobContext, renderClusterJob, WorkerInput, WorkerMessage } from './cluster-job';
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
  /** Remove clusters no longer in the config even when they hold key material. */
  readonly prune?: boolean;
  /** Directory of the config file, where its relative paths start. */
  readonly configDir: string;
  readonly progress?: (done: number, total: number) => void;
}

export interface FleetResult {
  readonly output: OutputPlan;
  /** Clusters whose key material this run made new, with what was made. */
  readonly newKeys: readonly { readonly cluster: string; readonly keys: readonly string[] }[];
  readonly clusters: number;
  readonly files: number;
}

/** Validates the config, prepares each cluster's key material (CA, injector certificate), and renders every package in memory. */
export async function renderFleet(req: FleetRequest): Promise<FleetResult> {
  let specs: ClusterSpec[];
  try {
    specs = parseConfig(req.text, req.shown).clusters.map(resolveCluster);
  } catch (e) {
    if (e instanceof InputError) throw new CliError(e.message, 2);
    throw e;
  }

  const context: JobContext = { outDir: req.outDir, configDir: req.configDir, configName: req.shown, regenerateCa: req.regenerateCa };
  const results = await renderClusters(specs, context, req.progress);

  const entries = new Map<string, RenderedFile[]>();
  const indexClusters: IndexCluster[] = [];
  let files = 0;
  specs.forEach((spec, i) => {
    const rendered = results[i].files;
    entries.set(spec.name, rendered.map((f) => ({ ...f, path: `${spec.name}/${f.path}` })));
    indexClusters.push({ name: spec.name, profile: spec.profile, files: rendered });
    files += rendered.length;
  });
  const inputs = results.flatMap((r) => r.inputs);
  entries.set(INDEX_FILE, [{ path: INDEX_FILE, content: renderIndex(req.fingerprint, GENERATOR, indexClusters, inputs) }]);
  const stale = (await previousClusters(req.outDir)).filter((name) => !entries.has(name));
  await refuseLosingKeys(req, stale);
  const newKeys = specs.map((spec, i) => ({ cluster: spec.name, keys: results[i].newKeys })).filter((k) => k.keys.length > 0);
  return { output: { entries, stale }, newKeys, clusters: specs.length, files: files + 1 };
}

/**
 * Fleets of at least this many clusters are rendered on worker threads, one per core:
 * below it, starting the workers costs more than they save.
 */
export const WORKER_THRESHOLD = 48;

/** Renders every cluster, on workers for large fleets; results in config order. */
async function renderClusters(specs: readonly ClusterSpec[], context: JobContext, progress?: (done: number, total: number) => void): Promise<ClusterResult[]> {
  let done = 0;
  const tick = () => progress?.(++done, specs.length);
  const workers = Math.min(availableParallelism(), MAX_WORKERS);
  if (specs.length >= WORKER_THRESHOLD && workers > 1 && existsSync(WORKER_SCRIPT)) {
    return renderOnWorkers(specs, context, workers, tick);
  }
  return mapLimited(specs, JOB_CONCURRENCY, async (spec, i) => {
    const result = await renderClusterJob(spec, i, context);
    tick();
    return result;
  });
}

/** More workers than this gain nothing: writing the output stays on the main thread. */
const MAX_WORKERS = 4;

/** Clusters whose key material is prepared at once (key generation runs on libuv's threads). */
const JOB_CONCURRENCY = 16;

/** The compiled worker; absent when running from TypeScript sources (tests), which then render inline. */
const WORKER_SCRIPT = path.join(__dirname, 'render-worker.js');

/** Deals clusters out to worker threads in turn (so each gets a mix of profiles) and gathers their packages. */
function renderOnWorkers(specs: readonly ClusterSpec[], context: JobContext, count: number, tick: () => void): Promise<ClusterResult[]> {
  const results: ClusterResult[] = new Array(specs.length);
  const workers: Worker[] = [];
  return new Promise<ClusterResult[]>((resolve, reject) => {
    let remaining = specs.length;
    let failed = false;
    const fail = (e: unknown) => {
      if (failed) return;
      failed = true;
      for (const w of workers) void w.terminate();
      reject(e);
    };
    for (let w = 0; w < count; w++) {
      const jobs = specs.map((spec, index) => ({ spec, index })).filter((job) => job.index % count === w);
      const worker = new Worker(WORKER_SCRIPT, { workerData: { jobs, context } satisfies WorkerInput });
      workers.push(worker);
      worker.on('message', (message: WorkerMessage) => {
        if ('error' in message) return fail(message.error.exitCode === undefined ? new Error(message.error.message) : new CliError(message.error.message, message.error.exitCode));
        results[message.index] = message.result;
        tick();
        if (--remaining === 0) {
          for (const w2 of workers) void w2.terminate();
          resolve(results);
        }
      });
      worker.on('error', fail);
      // A worker that dies without a word (out of memory, killed) must not leave the run waiting.
      worker.on('exit', (code) => {
        if (code !== 0 && !failed && remaining > 0) fail(new Error(`a render worker stopped with exit code ${code}`));
      });
    }
  });
}

/** Maps with at most `limit` promises pending; results in input order. */
async function mapLimited<T, R>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i], i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/**
 * A cluster dropped from the config (or a different config rendered into the same OUT)
 * would take its secrets/ with it: the only copy of a generated CA key. Refuse unless
 * the user asked for it.
 */
async function refuseLosingKeys(req: FleetRequest, stale: readonly string[]): Promise<void> {
  if (req.prune) return;
  const holding: string[] = [];
  for (const name of stale) {
    if (await fs.stat(path.join(req.outDir, name, SECRETS_DIR)).then(() => true, () => false)) holding.push(name);
  }
  if (holding.length === 0) return;
  throw new CliError(
    holding
      .map(
        (name) =>
          `asmpkg: ${path.join(req.outDir, name)}: cluster ${name} is no longer in the config and its secrets/ holds key material; ` +
          `move that away first, or pass --prune to delete it with the cluster`,
      )
      .join('\n'),
    2,
  );
}

/** Cluster directories the previous run recorded in OUT/index.yaml. */
async function previousClusters(outDir: string): Promise<string[]> {
  const text = await fs.readFile(path.join(outDir, INDEX_FILE), 'utf8').catch(() => '');
  return [...text.matchAll(/^ {2}- name: ([a-z0-9-]+)$/gm)].map((m) => m[1]);
}

