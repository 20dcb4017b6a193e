import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import * as path from 'node:path';
import { acquireDirLock } from '../../src/cli/lock';
import { run, tempDir, treeState } from '../helpers/cli';
import { indexMismatches } from '../helpers/out-index';

const CLI = path.resolve(__dirname, '../../bin/asmpkg.js');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { fleetConfig } = require('../../bench/fleet.js') as { fleetConfig(n: number): string };

/** The key material of OUT: every file below a secrets/ directory. */
const keysOf = (out: string) => Object.fromEntries(Object.entries(treeState(out)).filter(([f]) => /\/secrets\/.+[^/]$/.test(f)));

/** Starts the compiled CLI; resolves with its exit code and stderr, and calls `onStderr` with what it prints as it goes. */
function synthProcess(cwd: string, args: string[], onStderr: (text: string) => void = () => undefined) {
  const child = spawn(process.execPath, [CLI, 'synth', ...args], { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
    onStderr(stderr);
  });
  return new Promise<{ code: number | null; stderr: string }>((resolve) => child.on('close', (code) => resolve({ code, stderr })));
}

async function rendered() {
  const dir = tempDir('asmpkg-overlap-');
  writeFileSync(path.join(dir, 'a.yaml'), fleetConfig(3));
  writeFileSync(path.join(dir, 'b.yaml'), fleetConfig(3).replace('nodeCount: 4 } }', 'nodeCount: 6 } }'));
  expect((await run(['synth', '-c', 'a.yaml', '-o', 'out', '-q'], dir)).code).toBe(0);
  return { dir, out: path.join(dir, 'out') };
}

describe('runs that overlap on one OUT (needs lib/ built, as `npm test` does)', () => {
  test('a run that may not wait is refused (exit 2) naming the holder; OUT untouched', async () => {
    const w = await rendered();
    const before = treeState(w.out);
    const held = await acquireDirLock(w.out, { command: 'synth' });
    try {
      const r = await run(['synth', '-c', 'b.yaml', '-o', 'out', '--lock-timeout', '0'], w.dir);
      expect([r.code, r.stderr]).toEqual([
        2,
        `asmpkg: out: locked by another asmpkg synth run (pid ${process.pid} on ${hostname()}, since ${held.holder.since}); ` +
          `let it finish and run again, or, if that process is gone, remove ${held.file}`,
      ]);
      const env = await run(['synth', '-c', 'b.yaml', '-o', 'out'], w.dir, { env: { ASMPKG_LOCK_TIMEOUT: '0' } });
      expect(env.code).toBe(2);
    } finally {
      held.release();
    }
    expect(treeState(w.out)).toEqual(before);
  });

  test('a run that waits goes on once the holder is done, and keeps the key material', async () => {
    const w = await rendered();
    const keys = keysOf(w.out);
    const held = await acquireDirLock(w.out, { command: 'synth' });
    let released = false;
    // The holder lets go only once the waiting run has said it is waiting: no timing involved.
    const waiting = synthProcess(w.dir, ['-c', 'b.yaml', '-o', 'out'], (text) => {
      if (!released && /waiting for another asmpkg run/.test(text)) {
        released = true;
        held.release();
      }
    });
    const r = await waiting;
    expect(released).toBe(true);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe(`asmpkg: out: waiting for another asmpkg run (pid ${process.pid} on ${hostname()}, since ${held.holder.since}) to finish, up to 60 s\n`);
    expect(indexMismatches(w.out)).toEqual([]);
    expect(keysOf(w.out)).toEqual(keys);
  });

  test('five runs at once with two configs: all succeed one after another; OUT matches its index, key material byte-identical', async () => {
    const w = await rendered();
    const keys = keysOf(w.out);
    const results = await Promise.all(['b.yaml', 'a.yaml', 'b.yaml', 'a.yaml', 'b.yaml'].map((config) => synthProcess(w.dir, ['-c', config, '-o', 'out', '-q'])));
    expect(results.map((r) => r.code)).toEqual([0, 0, 0, 0, 0]);
    expect(indexMismatches(w.out)).toEqual([]);
    expect(keysOf(w.out)).toEqual(keys);
  });

  test('runs at once with configs of different clusters: each succeeds or is refused (exit 2) saying why; OUT matches its index', async () => {
    const w = await rendered();
    const keys = keysOf(w.out);
    writeFileSync(path.join(w.dir, 'c.yaml'), fleetConfig(2).replace(/c0000/g, 'd0000'));
    const results = await Promise.all(['c.yaml', 'b.yaml', 'c.yaml'].map((config) => synthProcess(w.dir, ['-c', config, '-o', 'out', '-q'])));
    for (const r of results) {
      if (r.code !== 0) expect([r.code, r.stderr]).toEqual([2, expect.stringMatching(/is no longer in the config and its secrets\/ holds key material/)]);
    }
    expect(indexMismatches(w.out)).toEqual([]);
    // The first config's clusters, if still there, kept their key material.
    const now = keysOf(w.out);
    for (const [file, state] of Object.entries(now)) if (file.startsWith('c0')) expect([file, state]).toEqual([file, keys[file]]);
  });
});
