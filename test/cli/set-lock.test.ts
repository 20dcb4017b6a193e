import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { acquireDirLock, LOCK_FILE } from '../../src/cli/lock';
import { setPackageDir } from '../../src/setters';
import { run } from '../helpers/cli';
import { copyToTemp, removeDir, snapshot } from '../setters/helpers';

/**
 * Two `asmpkg set` runs on one package never interleave: the second waits for the
 * first's lock (or gives up naming it) and then reads what the first wrote, so both
 * updates land. Driven by events (the waiting message), not by timing.
 */

const PACKAGE = path.resolve(__dirname, '../../packages/v0/gke');
const CLI = path.resolve(__dirname, '../../bin/asmpkg.js');

let dirs: string[] = [];
function workspace(): string {
  const d = copyToTemp(PACKAGE, 'asmpkg-set-lock-');
  dirs.push(d);
  return d;
}
afterEach(() => {
  dirs.forEach(removeDir);
  dirs = [];
});

/** The value a Kptfile setter definition records. */
function recorded(dir: string, setter: string): string | undefined {
  const kptfile = fs.readFileSync(path.join(dir, 'Kptfile'), 'utf8');
  const at = kptfile.indexOf(`name: ${setter}\n`);
  return at === -1 ? undefined : /value: "?([^"\n]*)"?\n/.exec(kptfile.slice(at))?.[1];
}

test('a set while another holds the package waits, then applies its update on top of the other (no lost update)', async () => {
  const dir = workspace();
  // "The first run": holds the lock and writes its update.
  const first = await acquireDirLock(dir, { command: 'set' });
  expect(setPackageDir(dir, { values: { 'cluster-name': 'first' } }).problems).toEqual([]);

  const err: string[] = [];
  const second = run(['set', '.', 'gcloud.core.project=second-proj', '--lock-timeout', '30'], dir, {
    stderr: (l) => {
      err.push(l);
      if (/waiting for another asmpkg set run/.test(l)) first.release();
    },
  });
  const r = await second;
  expect(err[0]).toBe(`asmpkg: .: waiting for another asmpkg set run (pid ${process.pid} on ${first.holder.host}) to finish`);
  expect(r.code).toBe(0);
  expect([recorded(dir, 'cluster-name'), recorded(dir, 'gcloud.core.project')]).toEqual(['first', 'second-proj']);
  expect(fs.existsSync(path.join(dir, LOCK_FILE))).toBe(false);
});

test('with --lock-timeout 0 the second run gives up at once: exit 2 naming the holder, nothing changed', async () => {
  const dir = workspace();
  const first = await acquireDirLock(dir, { command: 'set' });
  try {
    const before = snapshot(dir);
    const r = await run(['set', '.', 'gcloud.core.project=second-proj', '--lock-timeout', '0'], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(new RegExp(`^asmpkg: \\.: locked by another asmpkg set run \\(pid ${process.pid} on .*\\); let it finish and run again`));
    expect(snapshot(dir)).toEqual(before);
  } finally {
    first.release();
  }
});

test('a lock left by a run that is gone (kill -9) is taken over', async () => {
  const dir = workspace();
  fs.writeFileSync(path.join(dir, LOCK_FILE), JSON.stringify({ pid: 2 ** 22 + 1, host: require('node:os').hostname(), since: '2020-01-01T00:00:00Z', command: 'set', nonce: 'x' }));
  const r = await run(['set', '.', 'gcloud.core.project=my-proj'], dir);
  expect([r.code, r.stderr]).toEqual([0, `asmpkg: .: took over the lock of an asmpkg run that is gone (pid ${2 ** 22 + 1})`]);
  expect(recorded(dir, 'gcloud.core.project')).toBe('my-proj');
});

test('two real processes setting different setters at once: both updates land, whatever the order (needs lib/ built)', async () => {
  const dir = workspace();
  const runCli = (arg: string) =>
    new Promise<number | null>((resolve) => spawn(process.execPath, [CLI, 'set', dir, arg], { stdio: 'ignore' }).on('exit', (code) => resolve(code)));
  const codes = await Promise.all([runCli('cluster-name=one'), runCli('gcloud.core.project=two-proj'), runCli('gcloud.compute.zone=europe-west1-b')]);
  expect(codes).toEqual([0, 0, 0]);
  expect([recorded(dir, 'cluster-name'), recorded(dir, 'gcloud.core.project'), recorded(dir, 'gcloud.compute.zone')]).toEqual(['one', 'two-proj', 'europe-west1-b']);
  expect([...snapshot(dir).keys()].filter((f) => /\.tmp$|journal|\.lock/.test(f))).toEqual([]);
});

test('a FIFO in the lock file\'s place is refused at once (exit 2), not waited on', async () => {
  const dir = workspace();
  require('node:child_process').execFileSync('mkfifo', [path.join(dir, LOCK_FILE)]);
  const r = await run(['set', '.', 'gcloud.core.project=my-proj', '--lock-timeout', '0'], dir);
  expect([r.code, r.stderr]).toEqual([2, `asmpkg: ${path.join(dir, LOCK_FILE)}: is a FIFO (named pipe), not a regular file; asmpkg reads only regular files; remove it`]);
});
