import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import * as path from 'node:path';
import { acquireDirLock, DEFAULT_LOCK_WAIT_MS, LOCK_FILE, LockBusyError, LockHolder, lockWaitMs, withDirLock } from '../../src/cli/lock';
import { tempDir } from '../helpers/cli';

/** The pid of a process that has exited (reuse within the test's lifetime is not a concern on Linux's pid counter). */
function deadPid(): number {
  const r = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']);
  return Number(r.stdout.toString());
}

const holderFile = (dir: string, holder: Partial<LockHolder>) =>
  writeFileSync(path.join(dir, LOCK_FILE), JSON.stringify({ host: hostname(), since: '2026-01-02T03:04:05.000Z', nonce: 'n0', ...holder }) + '\n');

describe('directory lock', () => {
  test('records its holder and is removed on release', async () => {
    const dir = tempDir();
    const lock = await acquireDirLock(dir, { command: 'synth' });
    const recorded = JSON.parse(readFileSync(path.join(dir, LOCK_FILE), 'utf8'));
    expect(recorded).toMatchObject({ pid: process.pid, host: hostname(), command: 'synth', nonce: lock.holder.nonce });
    expect(new Date(recorded.since).toISOString()).toBe(recorded.since);
    lock.release();
    expect(existsSync(path.join(dir, LOCK_FILE))).toBe(false);
  });

  test('a second run that does not wait is refused (exit 2) naming the holder: pid, host, since when', async () => {
    const dir = tempDir();
    const first = await acquireDirLock(dir, { command: 'synth' });
    const second = acquireDirLock(dir, { waitMs: 0, shown: 'out' });
    await expect(second).rejects.toBeInstanceOf(LockBusyError);
    await expect(second).rejects.toMatchObject({
      exitCode: 2,
      message: `asmpkg: out: locked by another asmpkg synth run (pid ${process.pid} on ${hostname()}, since ${first.holder.since}); let it finish and run again, or, if that process is gone, remove ${path.join(dir, LOCK_FILE)}`,
    });
    first.release();
  });

  test('a waiting run takes the lock once the holder releases it; it gives up at the deadline otherwise', async () => {
    const dir = tempDir();
    const first = await acquireDirLock(dir);
    const waits: LockHolder[] = [];
    let sleeps = 0;
    // The "other run" ends during the waiter's second pause: no timing involved.
    const second = await acquireDirLock(dir, {
      onWait: (h) => waits.push(h),
      sleep: async () => {
        if (++sleeps === 2) first.release();
      },
    });
    expect(sleeps).toBe(2);
    expect(waits.map((h) => h.nonce)).toEqual([first.holder.nonce]);
    expect(JSON.parse(readFileSync(path.join(dir, LOCK_FILE), 'utf8')).nonce).toBe(second.holder.nonce);

    // A clock that runs 10 s per pause: a 30 s wait gives up after a few pauses.
    let clock = 0;
    const third = acquireDirLock(dir, { waitMs: 30_000, now: () => clock, sleep: async (ms) => void (clock += Math.max(ms, 10_000)) });
    await expect(third).rejects.toThrow(/gave up after 30 s \(--lock-timeout\)/);
    second.release();
  });

  test("a dead holder's lock is taken over and reported", async () => {
    const dir = tempDir();
    const pid = deadPid();
    holderFile(dir, { pid });
    const stale: (LockHolder | undefined)[] = [];
    const lock = await acquireDirLock(dir, { waitMs: 0, onStale: (h) => stale.push(h) });
    expect(stale.map((h) => h?.pid)).toEqual([pid]);
    expect(lock.holder.pid).toBe(process.pid);
    lock.release();
  });

  test('a live pid that started after the lock was taken (a reused pid) does not hold it', async () => {
    const dir = tempDir();
    holderFile(dir, { pid: process.pid, procStart: '1' });
    const lock = await acquireDirLock(dir, { waitMs: 0 });
    lock.release();
  });

  test("another host's lock cannot be checked and is waited for", async () => {
    const dir = tempDir();
    holderFile(dir, { pid: deadPid(), host: `not-${hostname()}` });
    await expect(acquireDirLock(dir, { waitMs: 0, shown: 'out' })).rejects.toThrow(new RegExp(`pid \\d+ on not-${hostname()}, since 2026-01-02T03:04:05.000Z`));
  });

  test('a lock file being written is waited for; one left unreadable by a crash is taken over', async () => {
    const dir = tempDir();
    const file = path.join(dir, LOCK_FILE);
    writeFileSync(file, '');
    await expect(acquireDirLock(dir, { waitMs: 0 })).rejects.toThrow(/its lock file is being written/);
    utimesSync(file, new Date(Date.now() - 60_000), new Date(Date.now() - 60_000));
    const lock = await acquireDirLock(dir, { waitMs: 0 });
    lock.release();
    expect(existsSync(file)).toBe(false);
  });

  test('release leaves a lock that is no longer its own', async () => {
    const dir = tempDir();
    const lock = await acquireDirLock(dir);
    holderFile(dir, { pid: process.pid, nonce: 'someone-else' });
    lock.release();
    expect(JSON.parse(readFileSync(path.join(dir, LOCK_FILE), 'utf8')).nonce).toBe('someone-else');
  });

  test('withDirLock releases however the function ends', async () => {
    const dir = tempDir();
    await expect(withDirLock(dir, async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(existsSync(path.join(dir, LOCK_FILE))).toBe(false);
    expect(await withDirLock(dir, async (lock) => existsSync(lock.file))).toBe(true);
    expect(existsSync(path.join(dir, LOCK_FILE))).toBe(false);
  });

  test('a process that exits while holding the lock (a signal handler calling process.exit) releases it', () => {
    const dir = tempDir();
    const lockModule = path.resolve(__dirname, '../../lib/cli/lock.js');
    const r = spawnSync(process.execPath, ['-e', `require(${JSON.stringify(lockModule)}).acquireDirLock(${JSON.stringify(dir)}).then(() => process.exit(143))`]);
    expect(r.status).toBe(143);
    expect(existsSync(path.join(dir, LOCK_FILE))).toBe(false);
  });

  test('the wait comes from --lock-timeout, else ASMPKG_LOCK_TIMEOUT, else the default; bad values are refused', () => {
    expect(lockWaitMs(undefined, {})).toBe(DEFAULT_LOCK_WAIT_MS);
    expect(lockWaitMs(undefined, { ASMPKG_LOCK_TIMEOUT: '5' })).toBe(5000);
    expect(lockWaitMs('0.5', { ASMPKG_LOCK_TIMEOUT: '5' })).toBe(500);
    expect(lockWaitMs('0', {})).toBe(0);
    expect(() => lockWaitMs('-1', {})).toThrow('asmpkg: --lock-timeout: must be a number of seconds from 0 to 86400 (got "-1")');
    expect(() => lockWaitMs(undefined, { ASMPKG_LOCK_TIMEOUT: 'soon' })).toThrow(/ASMPKG_LOCK_TIMEOUT: must be/);
  });
});
