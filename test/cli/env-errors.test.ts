import * as realFs from 'node:fs';
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import type { OutputFs } from '../../src/cli/swap';
import { configText, GKE_CLUSTER, ONPREM_CLUSTER } from '../helpers/config';
import { run, tempDir, treeState } from '../helpers/cli';
import { indexMismatches } from '../helpers/out-index';

/**
 * A full disk, a quota, a read-only or foreign file system, a concurrent writer: injected
 * through the file operations synth writes OUT with (CliIO.fs), never a real full disk.
 * Each is exit 2 with one line naming the path and the cause, and OUT as it was.
 */
const OPS = ['chmodSync', 'closeSync', 'fsyncSync', 'lstatSync', 'mkdirSync', 'openSync', 'readdirSync', 'readFileSync', 'renameSync', 'rmdirSync', 'rmSync', 'unlinkSync', 'writeFileSync', 'writeSync'] as const;
type Op = (typeof OPS)[number];

/** node:fs, but `fail` may answer any call with an error instead. */
function faultyFs(fail: (op: Op, args: unknown[]) => NodeJS.ErrnoException | undefined): OutputFs {
  const fs: Record<string, unknown> = {};
  for (const op of OPS) {
    fs[op] = (...args: unknown[]) => {
      const e = fail(op, args);
      if (e) throw e;
      return (realFs[op] as (...a: unknown[]) => unknown)(...args);
    };
  }
  return fs as unknown as OutputFs;
}

const errno = (code: string, syscall: string, p: unknown): NodeJS.ErrnoException =>
  Object.assign(new Error(`${code}: ${syscall} '${String(p)}'`), { code, syscall, path: String(p) });

function workspace() {
  const dir = tempDir('asmpkg-env-');
  writeFileSync(path.join(dir, 'c.yaml'), configText(GKE_CLUSTER, ONPREM_CLUSTER));
  return { dir, out: path.join(dir, 'out') };
}

/** Renders once, then changes the config so the next run has work to do. */
async function rendered() {
  const w = workspace();
  expect((await run(['synth', '-c', 'c.yaml', '-o', 'out', '-q'], w.dir)).code).toBe(0);
  writeFileSync(path.join(w.dir, 'c.yaml'), configText(GKE_CLUSTER, ONPREM_CLUSTER) + '# changed\n');
  return w;
}

describe('environment errors while writing OUT', () => {
  const cases: [string, Op, (p: string) => boolean, string, string][] = [
    ['a full disk (or no free inodes)', 'writeFileSync', (p) => p.endsWith('in-cluster/00-namespace.yaml'), 'ENOSPC', 'cannot write: no space left on the device (or no free inodes) (ENOSPC)'],
    ['a quota', 'writeFileSync', (p) => p.endsWith('ca-key.pem'), 'EDQUOT', 'cannot write: disk quota exceeded (EDQUOT)'],
    ['a name too long', 'mkdirSync', (p) => p.endsWith('/in-cluster'), 'ENAMETOOLONG', 'cannot create directory: file name too long (ENAMETOOLONG)'],
    ['a permission', 'mkdirSync', (p) => p.endsWith('.asmpkg-swap'), 'EACCES', 'cannot create directory: permission denied (EACCES)'],
    ['a read-only file system', 'openSync', (p) => p.endsWith('journal.json.tmp'), 'EROFS', 'cannot open: read-only file system (EROFS)'],
  ];
  test.each(cases)('%s: exit 2, one line naming the path and the cause; OUT unchanged', async (_what, op, match, code, cause) => {
    const w = await rendered();
    const before = treeState(w.out);
    let failed = '';
    const fs = faultyFs((called, args) => {
      if (called !== op || failed || !match(String(args[0]))) return undefined;
      failed = String(args[0]);
      return errno(code, cause.startsWith('cannot write') ? 'write' : op === 'openSync' ? 'open' : 'mkdir', failed);
    });
    const r = await run(['synth', '-c', 'c.yaml', '-o', 'out'], w.dir, { fs });
    expect(failed).not.toBe('');
    expect([r.code, r.stderr]).toEqual([2, `asmpkg: ${failed}: ${cause}; the output directory was not changed`]);
    expect(treeState(w.out)).toEqual(before);
  });

  test.each([
    ['a file of a cluster', 'writeFileSync', (p: string) => p.endsWith('in-cluster/00-namespace.yaml')],
    ['the journal', 'writeSync', () => true],
  ] as [string, Op, (p: string) => boolean][])('a disk that fills up mid-write of %s (Node names no path): the line still names the file', async (_what, op, match) => {
    const w = await rendered();
    const before = treeState(w.out);
    let failed = '';
    const fs = faultyFs((called, args) => {
      if (called !== op || failed) return undefined;
      // writeSync gets a descriptor: the journal is the one file synth writes that way.
      const p = op === 'writeSync' ? path.join(w.out, '.asmpkg-swap', 'journal.json.tmp') : String(args[0]);
      if (!match(p)) return undefined;
      failed = p;
      // As Node throws it when the open succeeded and the write did not: no path.
      return Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC', syscall: 'write' });
    });
    const r = await run(['synth', '-c', 'c.yaml', '-o', 'out'], w.dir, { fs });
    expect(failed).not.toBe('');
    expect([r.code, r.stderr]).toEqual([2, `asmpkg: ${failed}: cannot write: no space left on the device (or no free inodes) (ENOSPC); the output directory was not changed`]);
    expect(treeState(w.out)).toEqual(before);
  });

  test.each([
    ['another program writing in OUT', 'ENOTEMPTY', 'directory not empty (is another program writing there?) (ENOTEMPTY)'],
    ['a rename across file systems', 'EXDEV', 'cannot be moved across file systems (EXDEV)'],
  ])('%s during the swap: the renames made are undone, exit 2 says so; OUT unchanged', async (_what, code, cause) => {
    const w = await rendered();
    const before = treeState(w.out);
    let renames = 0;
    let failed = '';
    // The third rename of the swap: the first cluster is in, the second moved aside.
    const fs = faultyFs((op, args) => {
      if (op !== 'renameSync' || String(args[0]).endsWith('journal.json.tmp') || ++renames !== 3) return undefined;
      failed = String(args[0]);
      return errno(code, 'rename', failed);
    });
    const r = await run(['synth', '-c', 'c.yaml', '-o', 'out'], w.dir, { fs });
    expect([r.code, r.stderr]).toEqual([2, `asmpkg: ${failed}: cannot rename: ${cause}; the previous output was put back`]);
    expect(treeState(w.out)).toEqual(before);
  });

  test('a swap that can be neither finished nor undone is said to be unfinished, and the next run finishes it', async () => {
    const w = await rendered();
    const reference = tempDir('asmpkg-env-ref-');
    expect(realFs.cpSync(w.out, path.join(reference, 'out'), { recursive: true })).toBeUndefined();
    writeFileSync(path.join(reference, 'c.yaml'), realFs.readFileSync(path.join(w.dir, 'c.yaml')));
    expect((await run(['synth', '-c', 'c.yaml', '-o', 'out', '-q'], reference)).code).toBe(0);

    let renames = 0;
    // From the third rename of the swap on, every rename fails (the rollback's too).
    const fs = faultyFs((op, args) => (op === 'renameSync' && !String(args[0]).endsWith('journal.json.tmp') && ++renames >= 3 ? errno('EIO', 'rename', args[0]) : undefined));
    const r = await run(['synth', '-c', 'c.yaml', '-o', 'out'], w.dir, { fs });
    expect([r.code, r.stderr]).toEqual([2, expect.stringMatching(/^asmpkg: \S+: cannot rename: input\/output error \(EIO\); the swap into out is unfinished: the next asmpkg synth into it finishes it$/)]);

    const next = await run(['synth', '-c', 'c.yaml', '-o', 'out', '-q'], w.dir);
    expect([next.code, next.stderr]).toEqual([0, expect.stringMatching(/^asmpkg: out: finished the swap of an interrupted run/)]);
    expect(indexMismatches(w.out)).toEqual([]);
    expect(treeState(w.out)).toEqual(treeState(path.join(reference, 'out')));
  });
});

describe('OUT that is a mount point', () => {
  test('every rename and write stays inside OUT: renders where crossing its boundary fails (EXDEV) and its parent is read-only', async () => {
    const w = workspace();
    realFs.mkdirSync(w.out);
    const inside = (p: unknown) => String(p).startsWith(w.out + path.sep);
    const fs = faultyFs((op, args) => {
      if (op === 'renameSync' && !(inside(args[0]) && inside(args[1]))) return errno('EXDEV', 'rename', args[0]);
      if (['mkdirSync', 'writeFileSync', 'openSync', 'rmSync', 'unlinkSync'].includes(op) && !inside(args[0])) return errno('EROFS', 'open', args[0]);
      return undefined;
    });
    const first = await run(['synth', '-c', 'c.yaml', '-o', 'out', '-q'], w.dir, { fs });
    expect([first.code, first.stderr]).toEqual([0, '']);
    writeFileSync(path.join(w.dir, 'c.yaml'), configText(GKE_CLUSTER) + '# one cluster\n');
    const second = await run(['synth', '-c', 'c.yaml', '-o', 'out', '-q', '--prune'], w.dir, { fs });
    expect([second.code, second.stderr]).toEqual([0, '']);
    expect(indexMismatches(w.out)).toEqual([]);
  });
});
