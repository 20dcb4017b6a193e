import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { AtomicOutput } from '../../src/cli/output';
import { tempDir } from '../helpers/cli';

const staged = (dir: string) => readdirSync(dir).filter((n) => n.includes('.asmpkg-'));

describe('AtomicOutput', () => {
  test('files added while rendering reach OUT only on commit; secrets and their directories are private', async () => {
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
    expect(staged(dir)).toHaveLength(1);

    await output.commit([], { gitIgnoredSecrets: false });
    expect(readFileSync(path.join(out, 'a/in-cluster/x.yaml'), 'utf8')).toBe('x: 1\n');
    expect(statSync(path.join(out, 'a/secrets/ca/ca-key.pem')).mode & 0o777).toBe(0o600);
    expect(statSync(path.join(out, 'a/secrets/ca')).mode & 0o777).toBe(0o700);
    expect(statSync(path.join(out, 'a/in-cluster/x.yaml')).mode & 0o777).toBe(0o644);
    expect(readFileSync(path.join(out, 'keep.txt'), 'utf8')).toBe('not ours\n');
    expect(staged(dir)).toEqual([]);
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

  test('after cleanup (a signal or a failure) adding writes nothing and leaves no staging behind', async () => {
    const dir = tempDir();
    const out = path.join(dir, 'out');
    const output = new AtomicOutput(out);
    await output.open();
    output.add([{ path: 'a/f.yaml', content: 'f\n' }]);
    await output.cleanup();
    output.add([{ path: 'b/f.yaml', content: 'f\n' }]);
    expect(staged(dir)).toEqual([]);
    expect(existsSync(out)).toBe(false);
  });

  test('refuses paths that leave the output directory, before writing any of the batch', async () => {
    const dir = tempDir();
    const output = new AtomicOutput(path.join(dir, 'out'));
    await output.open();
    expect(() => output.add([{ path: 'a/ok.yaml', content: '' }, { path: '../escape.yaml', content: '' }])).toThrow(/refusing to write outside the output directory/);
    expect(existsSync(path.join(dir, 'escape.yaml'))).toBe(false);
    expect(readdirSync(path.join(dir, staged(dir)[0]))).toEqual([]);
    await output.cleanup();
  });
});
