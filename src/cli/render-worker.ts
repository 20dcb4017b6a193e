/**
 * Worker thread of a large synth: renders the clusters it is dealt (see render-fleet.ts)
 * and posts each package back as it is done. Errors go back as plain data, so the main
 * thread can report them as it would its own.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { forEachLimited } from '../util/concurrency';
import { renderClusterJob, WorkerInput, WorkerMessage } from './cluster-job';
import { errnoData } from './env-error';
import { CliError } from './io';

async function run(input: WorkerInput): Promise<void> {
  // A few clusters at once, so what runs on libuv's threads (RSA key generation, reading
  // kept key material) overlaps rendering.
  await forEachLimited(input.jobs, LANES, async (job) => {
    let result;
    try {
      result = await renderClusterJob(job, input.context);
    } catch (e) {
      // A cluster's bad input does not stop the others (see renderClusters).
      if (e instanceof CliError && e.exitCode === 2) return parentPort!.postMessage({ index: job.index, refusal: e.message } satisfies WorkerMessage);
      throw e;
    }
    parentPort!.postMessage({ index: job.index, result } satisfies WorkerMessage);
  });
}

const LANES = 4;

run(workerData as WorkerInput).catch((e: unknown) => {
  const exitCode = (e as { exitCode?: unknown })?.exitCode;
  parentPort!.postMessage({
    error: { message: (e as Error)?.message ?? String(e), exitCode: typeof exitCode === 'number' ? exitCode : undefined, errno: errnoData(e) },
  } satisfies WorkerMessage);
});
