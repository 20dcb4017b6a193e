import { appendFileSync } from 'node:fs';
import type { Checkpoint } from './swap';

/**
 * TEST-ONLY seam, inert unless one of these variables is set: lets the tests stop a real
 * `asmpkg synth` process at each step of writing OUT, as kill -9 or a power loss would.
 *
 * - ASMPKG_TEST_CHECKPOINTS=FILE appends each step's name to FILE as it is reached (so a
 *   test can list every step of a run);
 * - ASMPKG_TEST_KILL_AT=STEP makes the process SIGKILL itself when it reaches STEP.
 */
export function testCheckpoints(env: NodeJS.ProcessEnv): Checkpoint | undefined {
  const trace = env.ASMPKG_TEST_CHECKPOINTS;
  const killAt = env.ASMPKG_TEST_KILL_AT;
  if (!trace && !killAt) return undefined;
  return (step) => {
    if (trace) appendFileSync(trace, `${step}\n`);
    if (step === killAt) process.kill(process.pid, 'SIGKILL');
  };
}
