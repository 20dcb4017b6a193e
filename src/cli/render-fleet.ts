import { existsSync, promises as fs } from 'node:fs';
import { INPUT_CAPS, readTextFile } from '../util/input-file';
import { availableParallelism } from 'node:os';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import { parseConfig } from '../config/load';
import type { ClusterSpec, FleetDelivery } from '../config/model';
import { InputError } from '../config/problems';
import { resolveCluster, resolveFleetDelivery } from '../config/resolve';
import { PACKAGE_DIRS } from '../catalog/layout';
import { INDEX_FILE, IndexCluster, indexedFile, IndexInput, parsePreviousIndex, PreviousIndex, renderIndex } from '../render/index-file';
import type { RenderedFile } from '../render/types';
import type { ClusterJob, ClusterResult, JobContext, WorkerInput, WorkerMessage } from './cluster-job';
import { errnoFromData } from './env-error';
import { CliError } from './io';
import { GENERATOR } from './meta';
import { GITOPS_DIR } from '../config/gitops';
import { missingKeyProblems } from './missing-keys';
import { refuseOversizedSecrets } from './secret-size';
import { forEachLimited } from '../util/concurrency';

export interface FleetRequest {
  /** How the config file is named in messages. */
  readonly shown: string;
  readonly outDir: string;
  readonly fingerprint: string;
  /** Clusters whose key material is replaced by new (--regenerate-ca). */
  readonly regenerate: ReadonlySet<string>;
  /** Remove clusters no longer in the config even when they hold key material. */
  readonly prune?: boolean;
  /** Directory of the config file, where its relative paths start. */
  readonly configDir: string;
  readonly progress?: (done: number, total: number) => void;
  /**
   * Takes each cluster's files (paths relative to OUT) as soon as the cluster is
   * rendered, in no particular order, so writing overlaps rendering and no package is
   * held in memory longer than it takes to write it.
   */
  readonly sink: (files: readonly RenderedFile[]) => void;
  /** How the fleet is delivered (GitOps controller objects, secrets mode). */
  readonly delivery?: FleetDelivery;
  /** The Sealed Secrets certificate (mode sealed), checked already, and how the index records it. */
  readonly sealingCertificate?: { readonly pem: string; readonly input: IndexInput };
}

export interface FleetResult {
  /** OUT/index.yaml, written last: it records every cluster's files. */
  readonly index: RenderedFile;
  /** Entries an earlier run wrote that this run no longer renders (removed on success). */
  readonly stale: readonly string[];
  /** Clusters whose key material this run made new, with what was made. */
  readonly newKeys: readonly { readonly cluster: string; readonly keys: readonly string[] }[];
  readonly clusters: number;
  readonly files: number;
}

/** The config's clusters, resolved, and the fleet's delivery; bad input is a CliError (exit 2) naming every problem. */
export function parseFleet(text: string, shown: string): { specs: ClusterSpec[]; delivery: FleetDelivery } {
  try {
    const config = parseConfig(text, shown);
    return { specs: config.clusters.map((c) => resolveCluster(c, config)), delivery: resolveFleetDelivery(config) };
  } catch (e) {
    if (e instanceof InputError) throw new CliError(e.message, 2);
    throw e;
  }
}

/**
 * Prepares each cluster's key material (CA, serving certificates) and renders its
 * package, handing the files to `req.sink`; returns the index and what changed.
 * Refuses, before rendering anything, to drop a cluster whose secrets/ hold keys, or to
 * make new keys where recorded ones went missing (every such cluster, one line each).
 */
export async function renderFleet(specs: readonly ClusterSpec[], req: FleetRequest): Promise<FleetResult> {
  const names = new Set(specs.map((s) => s.name));
  const previous = await readPreviousIndex(req.outDir);
  const stale: string[] = previous.clusters.filter((name) => !names.has(name));
  const losing = await losingKeysProblems(req, stale);
  // Per cluster, so the clusters with missing key material are known and left out of the
  // render below, which still runs to report every other broken cluster in the same run.
  const missing = specs.map((spec) => missingKeyProblems([spec], previous.keyFiles, req.outDir, req.regenerate));
  if (losing.length > 0) throw new CliError([...losing, ...missing.flat()].join('\n'), 2);

  const context: JobContext = {
    outDir: req.outDir,
    configDir: req.configDir,
    configName: req.shown,
    ...(req.sealingCertificate ? { sealingCertificate: req.sealingCertificate.pem } : {}),
  };
  // --regenerate-ca reads nothing back, so the digests would only weigh on the workers' input.
  const jobs: ClusterJob[] = specs
    .map((spec, index): ClusterJob => (req.regenerate.has(spec.name) ? { spec, index, regenerate: true } : { spec, index, recorded: previous.secrets.get(spec.name) }))
    .filter((job) => missing[job.index].length === 0);
  const indexClusters: IndexCluster[] = new Array(specs.length);
  const inputs: IndexInput[][] = new Array(specs.length);
  const newKeys: { cluster: string; keys: readonly string[] }[][] = new Array(specs.length);
  let files = 0;
  await renderClusters(jobs, context, (i, result) => {
    const spec = specs[i];
    const placed = result.files.map((f) => ({ ...f, path: `${spec.name}/${f.path}` }));
    refuseOversizedSecrets(spec.name, placed, req.outDir);
    req.sink(placed);
    indexClusters[i] = { name: spec.name, profile: spec.profile, files: placed.map(indexedFile) };
    inputs[i] = result.inputs;
    newKeys[i] = result.newKeys.length > 0 ? [{ cluster: spec.name, keys: result.newKeys }] : [];
    files += placed.length;
  }, req.progress, missing.map((lines) => (lines.length > 0 ? lines.join('\n') : undefined)));

  // The fleet's GitOps controller objects, from what each cluster's package holds.
  const gitops = req.delivery?.gitops;
  // Loaded only for a fleet delivered by GitOps.
  const fleetFiles = gitops
    ? (await import('../gitops')).gitopsFiles(
        gitops,
        specs.map((spec, i) => ({
          name: spec.name,
          wave: spec.delivery?.wave ?? 0,
          destination: spec.delivery?.destination,
          files: indexClusters[i].files.map((f) => f.path.slice(spec.name.length + 1)),
        })),
      )
    : [];
  req.sink(fleetFiles);
  // A previous run's gitops/ that this run no longer writes goes like a dropped cluster.
  if (!gitops && previous.gitops) stale.push(GITOPS_DIR);
  const allInputs = [...inputs.flat(), ...(req.sealingCertificate ? [req.sealingCertificate.input] : [])];
  const index = { path: INDEX_FILE, content: renderIndex(req.fingerprint, GENERATOR, indexClusters, allInputs, fleetFiles.map(indexedFile)) };
  return { index, stale, newKeys: newKeys.flat(), clusters: specs.length, files: files + fleetFiles.length + 1 };
}

/**
 * Fleets of at least this many clusters are rendered on worker threads, one per core:
 * below it, starting the workers costs more than they save.
 */
export const WORKER_THRESHOLD = 48;

/**
 * Renders every cluster, on workers for large fleets, handing each result to `done` (by
 * config index) as it comes. A cluster refused for bad input (exit 2: broken key
 * material, a bad CA file) does not stop the others: every refusal of the fleet, with
 * the ones already found (`refused`, by config index), is one CliError at the end, in
 * config order, so a user with several broken clusters learns of all of them at once.
 */
async function renderClusters(
  jobs: readonly ClusterJob[],
  context: JobContext,
  done: (index: number, result: ClusterResult) => void,
  progress?: (done: number, total: number) => void,
  refused: (string | undefined)[] = [],
): Promise<void> {
  let count = 0;
  let refusals = refused.filter((r) => r !== undefined).length;
  const finished = (index: number, result: ClusterResult) => {
    // Once the run is refused its output is never swapped in: nothing more to write.
    if (refusals > 0) return;
    done(index, result);
    progress?.(++count, jobs.length);
  };
  const refuse = (index: number, message: string) => {
    refused[index] = message;
    refusals++;
  };
  const workers = Math.min(availableParallelism(), MAX_WORKERS);
  if (jobs.length >= WORKER_THRESHOLD && workers > 1 && existsSync(WORKER_SCRIPT)) {
    await renderOnWorkers(jobs, context, workers, finished, refuse);
  } else {
    // Loaded here, not at the top: with workers, the main thread needs neither cdk8s nor the certificate code.
    const { renderClusterJob } = await import('./cluster-job');
    await forEachLimited(jobs, JOB_CONCURRENCY, async (job) => {
      let result: ClusterResult;
      try {
        result = await renderClusterJob(job, context);
      } catch (e) {
        if (!isRefusal(e)) throw e;
        return refuse(job.index, e.message);
      }
      finished(job.index, result);
    });
  }
  const lines = refused.filter((r): r is string => r !== undefined);
  if (lines.length > 0) throw new CliError(lines.join('\n'), 2);
}

/** A cluster's bad input (exit 2), as opposed to a failure of the machine that ends the run at once. */
function isRefusal(e: unknown): e is CliError {
  return e instanceof CliError && e.exitCode === 2;
}

/** More workers than this gain nothing: writing the output stays on the main thread. */
const MAX_WORKERS = 4;

/** Clusters prepared at once without workers, so what runs on libuv's threads (RSA key generation, reading kept key material) overlaps rendering. */
const JOB_CONCURRENCY = 16;

/** The compiled worker; absent when running from TypeScript sources (tests), which then render inline. */
const WORKER_SCRIPT = path.join(__dirname, 'render-worker.js');

/** Deals clusters out to worker threads in turn (so each gets a mix of profiles) and hands on their packages. */
function renderOnWorkers(
  all: readonly ClusterJob[],
  context: JobContext,
  count: number,
  finished: (index: number, result: ClusterResult) => void,
  refuse: (index: number, message: string) => void,
): Promise<void> {
  const workers: Worker[] = [];
  return new Promise<void>((resolve, reject) => {
    let remaining = all.length;
    let failed = false;
    const fail = (e: unknown) => {
      if (failed) return;
      failed = true;
      for (const w of workers) void w.terminate();
      reject(e);
    };
    for (let w = 0; w < count; w++) {
      const jobs = all.filter((job) => job.index % count === w);
      const worker = new Worker(WORKER_SCRIPT, { workerData: { jobs, context } satisfies WorkerInput });
      workers.push(worker);
      worker.on('message', (message: WorkerMessage) => {
        if ('error' in message) {
          const { error } = message;
          return fail(error.errno ? errnoFromData(error.errno) : error.exitCode === undefined ? new Error(error.message) : new CliError(error.message, error.exitCode));
        }
        try {
          if ('refusal' in message) refuse(message.index, message.refusal);
          else finished(message.index, message.result);
        } catch (e) {
          // A write that failed (disk full, permissions) ends the run like a worker's error.
          return fail(e);
        }
        if (--remaining === 0) {
          for (const w2 of workers) void w2.terminate();
          resolve();
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

/**
 * A cluster dropped from the config (or a different config rendered into the same OUT)
 * would take its secrets/ with it: the only copy of a generated CA key. Refuse unless
 * the user asked for it.
 */
async function losingKeysProblems(req: FleetRequest, stale: readonly string[]): Promise<string[]> {
  if (req.prune) return [];
  const holding: string[] = [];
  for (const name of stale) {
    if (await fs.stat(path.join(req.outDir, name, PACKAGE_DIRS.secrets)).then(() => true, () => false)) holding.push(name);
  }
  return holding.map(
    (name) =>
      `asmpkg: ${path.join(req.outDir, name)}: cluster ${name} is no longer in the config and its secrets/ holds key material; ` +
      `move that away first, or pass --prune to delete it with the cluster`,
  );
}

/** What the previous run recorded in OUT/index.yaml; an index that is absent or unreadable records nothing. */
async function readPreviousIndex(outDir: string): Promise<PreviousIndex> {
  const file = path.join(outDir, INDEX_FILE);
  const text = await readTextFile(file, file, { maxBytes: INPUT_CAPS.index, what: 'an index' }).catch(() => '');
  return parsePreviousIndex(text, GENERATOR);
}

