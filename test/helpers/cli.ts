import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, readlinkSync, lstatSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { CliIO } from '../../src/cli/io';
import { main } from '../../src/cli/main';

export interface RunResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the CLI in-process with captured output. */
export async function run(args: string[], cwd: string, extra: Partial<CliIO> = {}): Promise<RunResult> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(args, {
    stdout: (l) => out.push(l),
    stderr: (l) => err.push(l),
    env: {},
    cwd,
    isTTY: false,
    ...extra,
  });
  return { code, stdout: out.join('\n'), stderr: err.join('\n') };
}

export function tempDir(prefix = 'asmpkg-test-'): string {
  return mkdtempSync(path.join(tmpdir(), prefix));
}

/** Every file below a directory with its sha256 and mode: equal trees give equal maps. */
export function treeState(dir: string): Record<string, string> {
  const state: Record<string, string> = {};
  const walk = (d: string) => {
    let entries: string[];
    try {
      entries = readdirSync(d).sort();
    } catch {
      return;
    }
    for (const name of entries) {
      const p = path.join(d, name);
      const st = lstatSync(p);
      const rel = path.relative(dir, p);
      if (st.isDirectory()) {
        state[rel + '/'] = 'dir';
        walk(p);
      } else if (st.isSymbolicLink() && statSync(p, { throwIfNoEntry: false })?.isDirectory()) {
        state[rel] = `symlink -> ${readlinkSync(p)}`;
      } else if (!st.isFile() && !st.isSymbolicLink()) {
        // A FIFO or socket a test put there: its type, never a read (that would block).
        state[rel] = st.isFIFO() ? 'fifo' : 'special';
      } else {
        state[rel] = `${(st.mode & 0o777).toString(8)} ${createHash('sha256').update(readFileSync(p)).digest('hex')}`;
      }
    }
  };
  walk(dir);
  return state;
}
