/**
 * Worker thread of a large synth: renders the clusters it is dealt (see render-fleet.ts)
 * and posts each package back as it is done. Errors go back as plain data, so the main
 * thread can report them as it would its own.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { renderClusterJob, WorkerInput, WorkerMessage } from './cluster-job';

async function run(input: WorkerInput): Promise<void> {
  // A few clusters at once, so key generation (on libuv's threads) overlaps rendering.
  let next = 0;
  const lane = async () => {
    while (next < input.jobs.length) {
      const job = input.jobs[next++];
      const result = await renderClusterJob(job, input.context);
      parentPort!.postMessage({ index: job.index, result } satisfies WorkerMessage);
    }
  };
  await Promise.all(Array.from({ length: Math.min(4, input.jobs.length) }, lane));
}

run(workerData as WorkerInput).catch((e: unknown) => {
  const exitCode = (e as { exitCode?: unknown })?.exitCode;
  parentPort!.postMessage({
    error: { message: (e as Error)?.message ?? String(e), exitCode: typeof exitCode === 'number' ? exitCode : undefined },
  } satisfies WorkerMessage);
});
