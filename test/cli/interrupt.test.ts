import { spawn, spawnSync } from 'node:child_process';
import { readdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { tempDir, treeState } from '../helpers/cli';

const CLI = path.resolve(__dirname, '../../bin/asmpkg.js');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { fleetConfig } = require('../../bench/fleet.js') as { fleetConfig(n: number): string };

/**
 * A signal at any moment leaves OUT either exactly as it was or completely replaced,
 * and no staging directories behind. The moment is varied, not tuned, so the test
 * holds whichever phase the signal lands in.
 */
describe('an interrupted synth (needs lib/ built, as `npm test` does)', () => {
  test.each([
    ['SIGTERM', 150],
    ['SIGINT', 400],
    ['SIGTERM', 800],
    ['SIGHUP', 400],
  ] as const)('%s after %d ms', async (signal, delay) => {
    const dir = tempDir();
    const out = path.join(dir, 'out');
    writeFileSync(path.join(dir, 'small.yaml'), fleetConfig(2));
    writeFileSync(path.join(dir, 'big.yaml'), fleetConfig(60).replace(/c0/g, 'x0'));
    expect(spawnSync(process.execPath, [CLI, 'synth', '-c', 'small.yaml', '-o', out, '-q'], { cwd: dir }).status).toBe(0);
    const before = treeState(out);

    // --prune: the small fleet's clusters hold key material and are not in the big one.
    const child = spawn(process.execPath, [CLI, 'synth', '-c', 'big.yaml', '-o', out, '-q', '--prune'], { cwd: dir, stdio: 'ignore' });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    setTimeout(() => child.kill(signal), delay);
    const code = await exited;

    const after = treeState(out);
    const names = readdirSync(out).sort();
    if (code === 0 || names.some((n) => n.startsWith('x0'))) {
      // The swap finished before the signal was handled: OUT is the complete new render.
      expect([0, 129, 130, 143]).toContain(code);
      expect(names.filter((n) => n.startsWith('x0'))).toHaveLength(60);
      expect(names.filter((n) => n.startsWith('c0'))).toEqual([]);
    } else {
      expect(code === 129 || code === 130 || code === 143 || code === null).toBe(true);
      expect(after).toEqual(before);
    }
    expect(readdirSync(dir).filter((n) => n.includes('.asmpkg-'))).toEqual([]);
    // Neither the staging nor the lock is left in OUT.
    expect(readdirSync(out).filter((n) => n.startsWith('.asmpkg'))).toEqual([]);
  });
});
