import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { LOCK_FILE } from '../../src/cli/lock';
import { AtomicOutput } from '../../src/cli/output';
import { WORK_DIR } from '../../src/cli/swap';
import { tempDir, treeState } from '../helpers/cli';

/** What a run leaves in OUT besides its output while it runs: the lock and the work directory. */
const transient = (out: string) => (existsSync(out) ? readdirSync(out).filter((n) => n === LOCK_FILE || n === WORK_DIR) : []);

describe('AtomicOutput', () => {
  test('files added while rendering are staged inside OUT and reach it only on commit; secrets and their directories are private', async () => {
    const dir = tempDir();
    const out = path.join(dir, 'out');
    mkdirSync(out);
    writeFileSync(path.join(out, 'keep.txt'), 'not ours\n');
    const output = new AtomicOutput(out);
    await output.open();
    output.add([
      { path: 'a/in-cluster/x.yaml', content: 'x: 1\n' },
      { path: 'a/secrets/ca/ca-key.pem', content: 'key\n', secret: true },
    ]);
    output.add([{ path: 'index.yaml', content: 'i: 1\n' }]);
    expect(existsSync(path.join(out, 'a'))).toBe(false);
    // Staged in OUT itself (same file system, also when OUT is a mount point), nothing beside it.
    expect(readFileSync(path.join(out, WORK_DIR, 'new/a/in-cluster/x.yaml'), 'utf8')).toBe('x: 1\n');
    expect(statSync(path.join(out, WORK_DIR)).mode & 0o777).toBe(0o700);
    expect(readdirSync(dir)).toEqual(['out']);

    await output.commit([], { gitIgnoredSecrets: false });
    expect(readFileSync(path.join(out, 'a/in-cluster/x.yaml'), 'utf8')).toBe('x: 1\n');
    expect(statSync(path.join(out, 'a/secrets/ca/ca-key.pem')).mode & 0o777).toBe(0o600);
    expect(statSync(path.join(out, 'a/secrets/ca')).mode & 0o777).toBe(0o700);
    expect(statSync(path.join(out, 'a/in-cluster/x.yaml')).mode & 0o777).toBe(0o644);
    expect(readFileSync(path.join(out, 'keep.txt'), 'utf8')).toBe('not ours\n');
    expect(transient(out)).toEqual([]);
  });

  test('stale entries go, entries not written stay', async () => {
    const dir = tempDir();
    const out = path.join(dir, 'out');
    for (const name of ['old', 'kept']) mkdirSync(path.join(out, name), { recursive: true });
    const output = new AtomicOutput(out);
    await output.open();
    output.add([{ path: 'new/f.yaml', content: 'f\n' }]);
    await output.commit(['old'], { gitIgnoredSecrets: false });
    expect(readdirSync(out).sort()).toEqual(['kept', 'new']);
  });

  test('after cleanup (a signal or a failure) adding writes nothing, and an OUT the run made is gone again', async () => {
    const dir = tempDir();
    const out = path.join(dir, 'out');
    const output = new AtomicOutput(out);
    await output.open();
    output.add([{ path: 'a/f.yaml', content: 'f\n' }]);
    output.cleanup();
    output.add([{ path: 'b/f.yaml', content: 'f\n' }]);
    expect(existsSync(out)).toBe(false);
    expect(readdirSync(dir)).toEqual([]);
  });

  test('refuses paths that leave the output directory, before writing any of the batch', async () => {
    const dir = tempDir();
    const out = path.join(dir, 'out');
    const output = new AtomicOutput(out);
    await output.open();
    expect(() => output.add([{ path: 'a/ok.yaml', content: '' }, { path: '../escape.yaml', content: '' }])).toThrow(/refusing to write outside the output directory/);
    expect(existsSync(path.join(dir, 'escape.yaml'))).toBe(false);
    expect(readdirSync(path.join(out, WORK_DIR, 'new'))).toEqual([]);
    output.cleanup();
  });

  test('one run at a time: a second open while the first holds OUT is refused (exit 2) naming the holder', async () => {
    const out = path.join(tempDir(), 'out');
    const first = new AtomicOutput(out);
    await first.open();
    const second = new AtomicOutput(out, { shown: 'out', lock: { waitMs: 0 } });
    await expect(second.open()).rejects.toMatchObject({ exitCode: 2, message: expect.stringMatching(new RegExp(`^asmpkg: out: locked by another asmpkg synth run \\(pid ${process.pid} on .*, since `)) });
    first.add([{ path: 'a/f.yaml', content: 'f\n' }]);
    await first.commit([], { gitIgnoredSecrets: false });
    // Released by the commit: the next run gets in.
    const third = new AtomicOutput(out, { lock: { waitMs: 0 } });
    await third.open();
    third.cleanup();
    expect(readdirSync(out)).toEqual(['a']);
  });

  test("a file in a replaced cluster's secrets/ that the run does not write again is refused, not deleted", async () => {
    const out = path.join(tempDir(), 'out');
    mkdirSync(path.join(out, 'a/secrets'), { recursive: true });
    writeFileSync(path.join(out, 'a/secrets/ca-key.pem'), 'kept\n');
    writeFileSync(path.join(out, 'a/secrets/by-hand.pem'), 'mine\n');
    const before = treeState(out);
    const output = new AtomicOutput(out, { shown: 'out' });
    await output.open();
    output.add([{ path: 'a/secrets/ca-key.pem', content: 'kept\n', secret: true }]);
    await expect(output.commit([], { gitIgnoredSecrets: false })).rejects.toMatchObject({
      exitCode: 2,
      message: `asmpkg: ${path.join(out, 'a/secrets/by-hand.pem')}: asmpkg does not write this file, and replacing a's package would delete it; move it out of out first`,
    });
    output.cleanup();
    expect(treeState(out)).toEqual(before);
  });
});
