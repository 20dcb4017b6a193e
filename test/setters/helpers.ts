import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/** Shared inputs (reference packages, kpt conformance example); read in place, never copied into the repo. */
export const SHARED = path.resolve(__dirname, '../../../shared');
export const FIXTURES = path.resolve(__dirname, '../fixtures/setters');

/** Copies a directory tree to a fresh temp dir, making it writable (the shared inputs are read-only). */
export function copyToTemp(src: string, prefix = 'asmpkg-setters-'): string {
  const dest = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  fs.cpSync(src, dest, { recursive: true });
  const chmod = (p: string): void => {
    const st = fs.statSync(p);
    fs.chmodSync(p, st.mode | 0o200 | (st.isDirectory() ? 0o100 : 0));
    if (st.isDirectory()) for (const e of fs.readdirSync(p)) chmod(path.join(p, e));
  };
  chmod(dest);
  return dest;
}

/** Every file under a directory, path -> bytes as text. */
export function snapshot(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (abs: string, rel: string): void => {
    for (const e of fs.readdirSync(abs, { withFileTypes: true })) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) walk(path.join(abs, e.name), r);
      else out.set(r, fs.readFileSync(path.join(abs, e.name), 'utf8'));
    }
  };
  walk(dir, '');
  return out;
}

export interface LineChange {
  /** Removed lines (old text) and added lines (new text) of one hunk. */
  readonly removed: string[];
  readonly added: string[];
}

/** A line diff (LCS): the hunks in which two texts differ. */
export function lineDiff(a: string, b: string): LineChange[] {
  const x = a.split('\n');
  const y = b.split('\n');
  const n = x.length;
  const m = y.length;
  const lcs: number[][] = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(0));
  for (let i = n - 1; i >= 0; i--)
    for (let j = m - 1; j >= 0; j--) lcs[i][j] = x[i] === y[j] ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
  const hunks: LineChange[] = [];
  let cur: LineChange | undefined;
  let i = 0;
  let j = 0;
  const flush = (): void => {
    if (cur) hunks.push(cur);
    cur = undefined;
  };
  while (i < n || j < m) {
    if (i < n && j < m && x[i] === y[j]) {
      flush();
      i++;
      j++;
    } else if (j < m && (i === n || lcs[i][j + 1] >= lcs[i + 1][j])) {
      (cur ??= { removed: [], added: [] }).added.push(y[j++]);
    } else {
      (cur ??= { removed: [], added: [] }).removed.push(x[i++]);
    }
  }
  flush();
  return hunks;
}

/** Removed and added lines of all files that differ between two snapshots. */
export function treeDiff(before: Map<string, string>, after: Map<string, string>): Map<string, LineChange[]> {
  const out = new Map<string, LineChange[]>();
  for (const [p, text] of after) {
    const old = before.get(p) ?? '';
    if (old !== text) out.set(p, lineDiff(old, text));
  }
  for (const p of before.keys()) if (!after.has(p)) out.set(p, lineDiff(before.get(p)!, ''));
  return out;
}

export function removeDir(dir: string): void {
  fs.rmSync(dir, { recursive: true, force: true });
}
