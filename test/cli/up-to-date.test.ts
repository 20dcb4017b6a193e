import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { configText, GKE_CLUSTER, ONPREM_CLUSTER } from '../helpers/config';
import { run, tempDir, treeState } from '../helpers/cli';
import { indexMismatches } from '../helpers/out-index';

async function rendered() {
  const dir = tempDir('asmpkg-noop-');
  writeFileSync(path.join(dir, 'c.yaml'), configText(GKE_CLUSTER, ONPREM_CLUSTER));
  expect((await run(['synth', '-c', 'c.yaml', '-o', 'out', '-q'], dir)).code).toBe(0);
  return { dir, out: path.join(dir, 'out') };
}

describe('the up-to-date check', () => {
  test('unchanged inputs and OUT: nothing is written', async () => {
    const w = await rendered();
    const before = treeState(w.out);
    const r = await run(['synth', '-c', 'c.yaml', '-o', 'out'], w.dir);
    expect([r.code, r.stdout]).toEqual([0, 'asmpkg: out is up to date']);
    expect(treeState(w.out)).toEqual(before);
  });

  test.each([
    ['a file the index does not list', 'asm-gke/in-cluster/99-extra.yaml'],
    ['one in a new directory of a package', 'asm-gke/extra/notes.yaml'],
  ])('%s in a package directory: re-rendered, and OUT matches its index again', async (_what, extra) => {
    const w = await rendered();
    const before = treeState(w.out);
    mkdirSync(path.dirname(path.join(w.out, extra)), { recursive: true });
    writeFileSync(path.join(w.out, extra), 'kind: ConfigMap\n');
    expect(indexMismatches(w.out)).toEqual([`unlisted ${extra}`]);
    const r = await run(['synth', '-c', 'c.yaml', '-o', 'out'], w.dir);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^asmpkg: rendered 2 clusters/);
    expect(indexMismatches(w.out)).toEqual([]);
    expect(treeState(w.out)).toEqual(before);
  });

  test("a file in a package's secrets/ the index does not list is not deleted: exit 2 naming it", async () => {
    const w = await rendered();
    const extra = path.join(w.out, 'asm-onprem/secrets/old-ca-key.pem');
    writeFileSync(extra, 'a key kept by hand\n', { mode: 0o600 });
    const before = treeState(w.out);
    const r = await run(['synth', '-c', 'c.yaml', '-o', 'out'], w.dir);
    expect([r.code, r.stderr]).toEqual([2, `asmpkg: ${extra}: asmpkg does not write this file, and replacing asm-onprem's package would delete it; move it out of out first`]);
    expect(treeState(w.out)).toEqual(before);
    expect(readFileSync(extra, 'utf8')).toBe('a key kept by hand\n');
  });

  test('files outside the package directories (a README in OUT) do not count', async () => {
    const w = await rendered();
    writeFileSync(path.join(w.out, 'README.md'), 'mine\n');
    const r = await run(['synth', '-c', 'c.yaml', '-o', 'out'], w.dir);
    expect(r.stdout).toBe('asmpkg: out is up to date');
  });
});
