import { closeSync, openSync, readFileSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { InputFileError, readTextFileSync } from '../util/input-file';
import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import * as path from 'node:path';
import { CliError } from './io';

/**
 * A lock on a directory that asmpkg writes (synth's OUT, set's package directory), so two
 * runs never interleave their changes: an `O_EXCL` file in the directory names its holder
 * (pid, host, since when). A lock whose holder died without releasing it (kill -9, power
 * loss) is noticed and taken over: its pid is gone on this host, or now belongs to a
 * process that started later. Within one host that is exact; a holder on another host
 * (a shared volume) cannot be checked and is waited for like a live one.
 */

/** The lock file, in the locked directory. Hidden, and not a file any package tool reads. */
export const LOCK_FILE = '.asmpkg.lock';

/** How long a run waits for another run's lock by default before giving up (exit 2). */
export const DEFAULT_LOCK_WAIT_MS = 60_000;

/** Who holds a lock, as its file records it. */
export interface LockHolder {
  readonly pid: number;
  readonly host: string;
  /** ISO time the lock was taken. */
  readonly since: string;
  /** What the holder is doing (`synth`, `set`), for messages. */
  readonly command?: string;
  /** Linux: the holder process's start time (field 22 of /proc/PID/stat), to tell a reused pid. */
  readonly procStart?: string;
  /** Unique per acquisition, so a holder removes only its own lock. */
  readonly nonce: string;
}

export interface LockOptions {
  /** How long to wait for another holder, in milliseconds (0: do not wait). Default {@link DEFAULT_LOCK_WAIT_MS}. */
  readonly waitMs?: number;
  /** How the directory is named in messages (default: its path). */
  readonly shown?: string;
  /** What the holder is doing, recorded in the lock (`synth`, `set`). */
  readonly command?: string;
  /** Called once, when the lock is held by another live run and this one starts waiting. */
  readonly onWait?: (holder: LockHolder) => void;
  /** Called when the lock of a run that died was taken over. */
  readonly onStale?: (holder: LockHolder | undefined) => void;
  /** Waits between attempts; tests inject one that releases the other holder, so no test depends on timing. */
  readonly sleep?: (ms: number) => Promise<void>;
  /** The current time in milliseconds (tests). */
  readonly now?: () => number;
}

/** Refused because another run holds the lock: exit 2, one line naming the holder. */
export class LockBusyError extends CliError {
  constructor(
    message: string,
    readonly holder: LockHolder | undefined,
  ) {
    super(message, 2);
    this.name = 'LockBusyError';
  }
}

/** A held lock; {@link release} removes it (only if it is still this holder's). */
export interface DirLock {
  readonly file: string;
  readonly holder: LockHolder;
  release(): void;
}

/**
 * A lock file that exists but cannot be read as a holder yet is one being written (its
 * creator opened it and has not written it): waited for, unless it stays unreadable this
 * long, which only a crash between the open and the write leaves.
 */
const UNREADABLE_GRACE_MS = 5_000;

/** A takeover guard older than this was left by a run that died while taking over. */
const BREAK_GUARD_STALE_MS = 10_000;

/** Locks `dir` (which must exist) for the duration of `fn`, releasing it however `fn` ends. */
export async function withDirLock<T>(dir: string, fn: (lock: DirLock) => Promise<T>, options: LockOptions = {}): Promise<T> {
  const lock = await acquireDirLock(dir, options);
  try {
    return await fn(lock);
  } finally {
    lock.release();
  }
}

/**
 * Takes the lock of `dir`, waiting up to `waitMs` for a live holder; throws
 * {@link LockBusyError} naming the holder when the wait is over. The lock is released
 * on process exit too (process.exit from a signal handler), so only a hard kill leaves
 * it behind, and the next run takes that over.
 */
export async function acquireDirLock(dir: string, options: LockOptions = {}): Promise<DirLock> {
  const file = path.join(dir, LOCK_FILE);
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const waitMs = options.waitMs ?? DEFAULT_LOCK_WAIT_MS;
  const deadline = now() + waitMs;
  let waited = false;
  let pause = 25;
  for (;;) {
    const holder: LockHolder = {
      pid: process.pid,
      host: hostname(),
      since: new Date(now()).toISOString(),
      ...(options.command ? { command: options.command } : {}),
      ...(ownProcStart() ? { procStart: ownProcStart() } : {}),
      nonce: randomBytes(8).toString('hex'),
    };
    if (tryCreate(file, holder)) return heldLock(file, holder);
    const current = readHolder(file);
    if (current.state === 'gone') continue;
    if (current.state === 'stale' || (current.state === 'unreadable' && current.ageMs > UNREADABLE_GRACE_MS)) {
      const taken = current.state === 'stale' ? current.holder : undefined;
      if (breakStaleLock(file, taken)) options.onStale?.(taken);
      continue;
    }
    const busy = current.state === 'held' ? current.holder : undefined;
    if (now() >= deadline) throw busyError(options.shown ?? dir, file, busy, waitMs);
    if (!waited && busy) options.onWait?.(busy);
    waited = true;
    await sleep(Math.min(pause, Math.max(1, deadline - now())));
    pause = Math.min(pause * 2, 500);
  }
}

/** Creates the lock file with the holder in it, or returns false if it exists. */
function tryCreate(file: string, holder: LockHolder): boolean {
  let fd: number;
  try {
    fd = openSync(file, 'wx', 0o644);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw e;
  }
  try {
    writeSync(fd, JSON.stringify(holder) + '\n');
  } catch (e) {
    // A full disk: no half-made lock is left for others to wait on.
    closeSync(fd);
    unlinkSync(file);
    throw e;
  }
  closeSync(fd);
  return true;
}

function heldLock(file: string, holder: LockHolder): DirLock {
  let released = false;
  const release = () => {
    if (released) return;
    released = true;
    process.off('exit', release);
    // Only this acquisition's lock: one taken over after a hang is someone else's now.
    const current = readHolder(file);
    if ((current.state === 'held' || current.state === 'stale') && current.holder.nonce === holder.nonce) {
      try {
        unlinkSync(file);
      } catch {
        // already gone
      }
    }
  };
  process.on('exit', release);
  return { file, holder, release };
}

type HolderState =
  | { state: 'gone' }
  | { state: 'held'; holder: LockHolder }
  | { state: 'stale'; holder: LockHolder }
  | { state: 'unreadable'; ageMs: number };

/** Reads a lock file and decides whether its holder still runs. */
function readHolder(file: string): HolderState {
  let text: string;
  let mtimeMs: number;
  try {
    mtimeMs = statSync(file).mtimeMs;
    // The shared reader: a FIFO put in the lock's place is refused, not waited on forever.
    text = readTextFileSync(file, file, { maxBytes: 64 * 1024, what: 'a lock file' });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return { state: 'gone' };
    if (e instanceof InputFileError) throw new CliError(`asmpkg: ${e.message}; remove it`, 2);
    throw e;
  }
  const holder = parseHolder(text);
  if (!holder) return { state: 'unreadable', ageMs: Date.now() - mtimeMs };
  return { state: holderAlive(holder) ? 'held' : 'stale', holder };
}

function parseHolder(text: string): LockHolder | undefined {
  try {
    const value = JSON.parse(text) as Partial<LockHolder>;
    if (!Number.isInteger(value.pid) || (value.pid as number) <= 0 || typeof value.host !== 'string' || typeof value.since !== 'string' || typeof value.nonce !== 'string') {
      return undefined;
    }
    return value as LockHolder;
  } catch {
    return undefined;
  }
}

/** Whether a holder may still be running: always, for another host's. */
function holderAlive(holder: LockHolder): boolean {
  if (holder.host !== hostname()) return true;
  try {
    process.kill(holder.pid, 0);
  } catch (e) {
    // EPERM: the process exists, it is someone else's.
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
  // The pid runs, but it may be a new process that reused a dead holder's pid.
  if (holder.procStart) {
    const start = procStart(holder.pid);
    if (start !== undefined && start !== holder.procStart) return false;
  }
  return true;
}

/**
 * Removes a dead holder's lock. Two runs may find the same dead lock at once: a guard file
 * (O_EXCL) lets one of them re-check and remove it, so neither removes a lock the other
 * has just taken.
 */
function breakStaleLock(file: string, stale: LockHolder | undefined): boolean {
  const guard = `${file}.break`;
  let fd: number;
  try {
    fd = openSync(guard, 'wx', 0o644);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    // Another run is taking over; a guard left by one that died is removed once old.
    try {
      if (Date.now() - statSync(guard).mtimeMs > BREAK_GUARD_STALE_MS) unlinkSync(guard);
    } catch {
      // gone meanwhile
    }
    return false;
  }
  closeSync(fd);
  try {
    const again = readHolder(file);
    const same =
      stale === undefined
        ? again.state === 'unreadable' && again.ageMs > UNREADABLE_GRACE_MS
        : again.state === 'stale' && again.holder.nonce === stale.nonce;
    if (!same) return false;
    unlinkSync(file);
    return true;
  } finally {
    try {
      unlinkSync(guard);
    } catch {
      // nothing to do
    }
  }
}

function busyError(shown: string, file: string, holder: LockHolder | undefined, waitMs: number): LockBusyError {
  const who = holder
    ? `another asmpkg${holder.command ? ` ${holder.command}` : ''} run (pid ${holder.pid} on ${holder.host}, since ${holder.since})`
    : 'another asmpkg run (its lock file is being written)';
  const waited = waitMs > 0 ? `; gave up after ${formatSeconds(waitMs)} (--lock-timeout)` : '';
  return new LockBusyError(
    `asmpkg: ${shown}: locked by ${who}${waited}; let it finish and run again, or, if that process is gone, remove ${file}`,
    holder,
  );
}

function formatSeconds(ms: number): string {
  const s = ms / 1000;
  return `${Number.isInteger(s) ? s : s.toFixed(1)} s`;
}

/**
 * The wait for a lock, from a `--lock-timeout SECONDS` option or the ASMPKG_LOCK_TIMEOUT
 * variable (the option wins); bad values are refused (exit 2).
 */
export function lockWaitMs(option: string | undefined, env: NodeJS.ProcessEnv): number {
  const [text, source] = option !== undefined ? [option, '--lock-timeout'] : [env.ASMPKG_LOCK_TIMEOUT, 'ASMPKG_LOCK_TIMEOUT'];
  if (text === undefined || text === '') return DEFAULT_LOCK_WAIT_MS;
  if (!/^\d+(\.\d+)?$/.test(text.trim()) || Number(text) > 86_400) {
    throw new CliError(`asmpkg: ${source}: must be a number of seconds from 0 to 86400 (got ${JSON.stringify(text)})`, 2);
  }
  return Math.round(Number(text) * 1000);
}

let ownStart: string | undefined | null = null;
function ownProcStart(): string | undefined {
  if (ownStart === null) ownStart = procStart(process.pid);
  return ownStart;
}

/** Linux: a process's start time in clock ticks since boot; undefined where /proc is not there. */
function procStart(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces and parentheses) start after the last ')'.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}
