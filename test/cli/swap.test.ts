import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as nodeFs from 'node:fs';
import * as path from 'node:path';
import { AtomicOutput } from '../../src/cli/output';
import { planSwap, recoverInterrupted, SwapDirs, writeJournal } from '../../src/cli/swap';
import { tempDir, treeState } from '../helpers/cli';

/** OUT with one cluster whose secrets/ holds a key. */
function outWithKey(): string {
  const out = path.join(tempDir('asmpkg-swap-'), 'out');
  mkdirSync(path.join(out, 'c1/secrets'), { recursive: true });
  writeFileSync(path.join(out, 'c1/secrets/ca-key.pem'), 'key 1\n');
  writeFileSync(path.join(out, 'index.yaml'), 'old index\n');
  return out;
}

describe('recovery of an interrupted swap', () => {
  test('nothing to do without a work directory', () => {
    expect(recoverInterrupted(nodeFs, new SwapDirs(outWithKey()), 'out')).toBeUndefined();
  });

  test('entries moved aside without a journal (no asmpkg run leaves that) are refused, not deleted', () => {
    const out = outWithKey();
    const dirs = new SwapDirs(out);
    mkdirSync(path.join(dirs.aside, 'c2/secrets'), { recursive: true });
    writeFileSync(path.join(dirs.aside, 'c2/secrets/ca-key.pem'), 'only copy\n');
    const before = treeState(out);
    expect(() => recoverInterrupted(nodeFs, dirs, 'out')).toThrow(
      `asmpkg: ${dirs.aside}: holds entries moved out of out by an interrupted run, but no record of its swap; it may hold key material: restore what you need from it, then remove ${dirs.work}`,
    );
    expect(treeState(out)).toEqual(before);
  });

  test('a journal that cannot be read is refused, and nothing is deleted', () => {
    const out = outWithKey();
    const dirs = new SwapDirs(out);
    mkdirSync(dirs.staging, { recursive: true });
    writeFileSync(dirs.journal, '{"version":1,"steps":[{"name":"../x","kind":"replace"}]}');
    const before = treeState(out);
    expect(() => recoverInterrupted(nodeFs, dirs, 'out')).toThrow(/journal\.json: the record of an interrupted swap cannot be read; .* may hold key material/);
    expect(treeState(out)).toEqual(before);
  });

  test('a swap killed half way is rolled forward: each entry where its step left it', () => {
    const out = outWithKey();
    const dirs = new SwapDirs(out);
    mkdirSync(path.join(dirs.staging, 'c1/secrets'), { recursive: true });
    writeFileSync(path.join(dirs.staging, 'c1/secrets/ca-key.pem'), 'key 1\n');
    writeFileSync(path.join(dirs.staging, 'index.yaml'), 'new index\n');
    const plan = planSwap(['c1', 'index.yaml'], [], []);
    writeJournal(nodeFs, dirs, plan);
    // Killed after moving c1 aside, before moving the new one in.
    mkdirSync(dirs.aside);
    nodeFs.renameSync(path.join(out, 'c1'), path.join(dirs.aside, 'c1'));
    const line = recoverInterrupted(nodeFs, dirs, 'out');
    expect(line).toMatch(/^asmpkg: out: finished the swap of an interrupted run \(pid \d+, started .*\): out now holds its output$/);
    expect(readdirSync(out).sort()).toEqual(['c1', 'index.yaml']);
    expect(readFileSync(path.join(out, 'index.yaml'), 'utf8')).toBe('new index\n');
    expect(readFileSync(path.join(out, 'c1/secrets/ca-key.pem'), 'utf8')).toBe('key 1\n');
  });

  test('key material moved aside that OUT no longer has, by no request, is kept in a directory of its own and named', () => {
    const out = outWithKey();
    const dirs = new SwapDirs(out);
    // A run whose new c1 has another key, though it was not asked to replace it.
    mkdirSync(path.join(dirs.staging, 'c1/secrets'), { recursive: true });
    writeFileSync(path.join(dirs.staging, 'c1/secrets/ca-key.pem'), 'key 2\n');
    writeJournal(nodeFs, dirs, planSwap(['c1'], [], []));
    const line = recoverInterrupted(nodeFs, dirs, 'out')!;
    const kept = readdirSync(out).filter((n) => n.startsWith('.asmpkg-kept-'));
    expect(kept).toHaveLength(1);
    expect(line).toMatch(/^asmpkg: out: finished the swap of an interrupted run \(pid \d+, started \S+\): out now holds its output; kept /);
    expect(line).toMatch(new RegExp(`; kept ${path.join(out, kept[0])}: it holds key material out no longer has \\(c1/secrets/ca-key\\.pem\\): restore what you need from it, then remove it$`));
    expect(readFileSync(path.join(out, kept[0], 'c1/secrets/ca-key.pem'), 'utf8')).toBe('key 1\n');
    expect(existsSync(dirs.work)).toBe(false);
  });

  test('the same for a cluster the run replaced on purpose (--regenerate-ca): the old key goes', () => {
    const out = outWithKey();
    const dirs = new SwapDirs(out);
    mkdirSync(path.join(dirs.staging, 'c1/secrets'), { recursive: true });
    writeFileSync(path.join(dirs.staging, 'c1/secrets/ca-key.pem'), 'key 2\n');
    writeJournal(nodeFs, dirs, planSwap(['c1'], [], ['c1']));
    expect(recoverInterrupted(nodeFs, dirs, 'out')).toMatch(/now holds its output$/);
    expect(readdirSync(out).sort()).toEqual(['c1', 'index.yaml']);
  });

  test('an entry rewritten by another program during the swap stops recovery (exit 2) naming both copies', () => {
    const out = outWithKey();
    const dirs = new SwapDirs(out);
    mkdirSync(path.join(dirs.staging, 'c1'), { recursive: true });
    writeJournal(nodeFs, dirs, planSwap(['c1'], [], []));
    mkdirSync(path.join(dirs.aside, 'c1'), { recursive: true });
    expect(() => recoverInterrupted(nodeFs, dirs, 'out')).toThrow(`asmpkg: ${path.join(out, 'c1')}: was written by another program during the swap (the entry it replaced is in ${path.join(dirs.aside, 'c1')}); move one of the two away, then run asmpkg synth again to finish`);
  });

  test("leftovers of earlier versions beside OUT are named on every render, never touched", async () => {
    const out = outWithKey();
    const old = path.join(path.dirname(out), '.out.asmpkg-old-Ab12Cd');
    mkdirSync(path.join(old, 'c1/secrets'), { recursive: true });
    writeFileSync(path.join(old, 'c1/secrets/ca-key.pem'), 'the only copy\n');
    const lines: string[] = [];
    const output = new AtomicOutput(out, { shown: 'out', notice: (l) => lines.push(l) });
    await output.open();
    output.cleanup();
    expect(lines).toEqual([`asmpkg: warning: ${old} was left by an interrupted run of an earlier asmpkg and may hold key material: restore what you need from it, then remove it`]);
    expect(readFileSync(path.join(old, 'c1/secrets/ca-key.pem'), 'utf8')).toBe('the only copy\n');
  });
});
