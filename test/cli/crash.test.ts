import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { run, tempDir, treeState } from '../helpers/cli';
import { indexMismatches } from '../helpers/out-index';

const CLI = path.resolve(__dirname, '../../bin/asmpkg.js');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { fleetConfig } = require('../../bench/fleet.js') as { fleetConfig(n: number): string };

/** A copy of a tree with modes and times, as an operator's backup would be. */
const copy = (from: string, to: string) => expect(spawnSync('cp', ['-a', from, to]).status).toBe(0);

/** Runs the compiled CLI as its own process, with the test seam of src/cli/test-seams.ts. */
function synthProcess(cwd: string, args: string[], env: Record<string, string>) {
  return spawnSync(process.execPath, [CLI, 'synth', ...args], { cwd, encoding: 'utf8', env: { ...process.env, ...env } });
}

/** The key material of OUT: every file below a secrets/ directory. */
const keysOf = (out: string) => Object.fromEntries(Object.entries(treeState(out)).filter(([f]) => /\/secrets\/.+[^/]$/.test(f)));

/**
 * kill -9 (an out-of-memory kill, a power loss) at every step of writing OUT: the next
 * run finishes or drops what was left, says so in one line, and ends with exactly what an
 * uninterrupted run makes: kept key material byte-identical, OUT matching its index.
 */
describe('a synth killed (SIGKILL) at any step (needs lib/ built, as `npm test` does)', () => {
  const dir = tempDir('asmpkg-crash-');
  // Three clusters (GKE, GKE istioctl, on-prem), all holding key material; the new config
  // changes the first and drops the third (--prune).
  writeFileSync(path.join(dir, 'a.yaml'), fleetConfig(3));
  writeFileSync(path.join(dir, 'b.yaml'), fleetConfig(2).replace('nodeCount: 4 } }', 'nodeCount: 5 } }'));
  const base = path.join(dir, 'base');
  const reference = path.join(dir, 'reference');
  const args = (out: string) => ['-c', 'b.yaml', '-o', out, '--prune', '-q'];
  let steps: string[] = [];

  beforeAll(async () => {
    expect(synthProcess(dir, ['-c', 'a.yaml', '-o', base, '-q'], {}).status).toBe(0);
    copy(base, reference);
    expect((await run(['synth', ...args(reference)], dir)).code).toBe(0);
    // Every step a run passes, listed by the run itself.
    const traced = path.join(dir, 'traced');
    copy(base, traced);
    const trace = path.join(dir, 'steps.txt');
    expect(synthProcess(dir, args(traced), { ASMPKG_TEST_CHECKPOINTS: trace }).status).toBe(0);
    steps = readFileSync(trace, 'utf8').trim().split('\n');
    expect(treeState(traced)).toEqual(treeState(reference));
  });

  test('the steps: lock, stage, journal, each entry out of OUT and in, the index last, then clean up', () => {
    expect(steps).toEqual([
      'locked',
      'staged',
      'journal',
      'out:c00000',
      'in:c00000',
      'out:c00001',
      'in:c00001',
      'out:c00002',
      'out:index.yaml',
      'in:index.yaml',
      'swapped',
      'done',
      'cleaned',
    ]);
    expect(indexMismatches(reference)).toEqual([]);
    // The reference kept the first two clusters' key material.
    const kept = Object.entries(keysOf(base)).filter(([f]) => !f.startsWith('c00002'));
    expect(Object.entries(keysOf(reference))).toEqual(kept);
  });

  test('at every step, the next run recovers: one line on stderr, then OUT is exactly the uninterrupted result', async () => {
    const expected: Record<string, RegExp | undefined> = {
      // Killed holding the lock, before it made anything: the lock is taken over (said without -q).
      locked: undefined,
      staged: /^asmpkg: \S+: removed the staging of an interrupted run; it had not changed \S+ yet$/,
      done: /^asmpkg: \S+: removed what an interrupted run \(pid \d+, started \S+\) left after its swap had finished$/,
      cleaned: /^asmpkg: \S+: removed what an interrupted run \(pid \d+, started \S+\) left after its swap had finished$/,
    };
    const finished = /^asmpkg: \S+: finished the swap of an interrupted run \(pid \d+, started \S+\): \S+ now holds its output$/;
    const want = treeState(reference);
    for (const step of steps) {
      const out = path.join(dir, `killed-${step.replace(/[^a-z0-9]/g, '-')}`);
      copy(base, out);
      const killed = synthProcess(dir, args(out), { ASMPKG_TEST_KILL_AT: step });
      expect([step, killed.signal]).toEqual([step, 'SIGKILL']);

      const next = await run(['synth', ...args(out)], dir);
      expect([step, next.code]).toEqual([step, 0]);
      const line = step in expected ? expected[step] : finished;
      if (line) expect([step, next.stderr]).toEqual([step, expect.stringMatching(line)]);
      else expect([step, next.stderr]).toEqual([step, '']);
      expect([step, treeState(out)]).toEqual([step, want]);
      expect([step, indexMismatches(out)]).toEqual([step, []]);
    }
  });

  test('a first run killed mid-swap is finished by the next: OUT holds the key material it made, matching its index', async () => {
    const out = path.join(dir, 'fresh');
    const killed = synthProcess(dir, ['-c', 'a.yaml', '-o', out, '-q'], { ASMPKG_TEST_KILL_AT: 'in:c00001' });
    expect(killed.signal).toBe('SIGKILL');
    const next = await run(['synth', '-c', 'a.yaml', '-o', out, '-q'], dir);
    expect([next.code, next.stderr]).toEqual([0, expect.stringMatching(/finished the swap of an interrupted run/)]);
    expect(indexMismatches(out)).toEqual([]);
    expect(Object.keys(keysOf(out)).filter((f) => f.endsWith('key.pem')).sort()).toEqual([
      'c00000/secrets/galley/key.pem',
      'c00000/secrets/sidecar-injector/key.pem',
      'c00001/secrets/galley/key.pem',
      'c00001/secrets/sidecar-injector/key.pem',
      'c00002/secrets/ca-key.pem',
    ]);
    // And the run after that has nothing to do.
    expect((await run(['synth', '-c', 'a.yaml', '-o', out], dir)).stdout).toMatch(/is up to date$/);
  });
});
