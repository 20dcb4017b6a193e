import { CliError } from './io';

/**
 * Failures of the machine rather than of asmpkg (a full disk, a read-only mount, a
 * permission, another program writing in the same place): the user can act on them, so
 * they are refusals (exit 2) with one line naming the path and the cause, not internal
 * errors.
 */
const CAUSES: Readonly<Record<string, string>> = {
  ENOSPC: 'no space left on the device (or no free inodes)',
  EDQUOT: 'disk quota exceeded',
  EFBIG: 'file too large for the file system',
  ENAMETOOLONG: 'file name too long',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'read-only file system',
  ENOTEMPTY: 'directory not empty (is another program writing there?)',
  EEXIST: 'already exists (is another program writing there?)',
  EXDEV: 'cannot be moved across file systems',
  EBUSY: 'busy (a mount point, or in use)',
  EMFILE: 'too many open files',
  ENFILE: 'too many open files in the system',
  EIO: 'input/output error',
  ELOOP: 'too many levels of symbolic links',
  ENOTDIR: 'a part of the path is not a directory',
  EISDIR: 'is a directory',
  ENOENT: 'no such file or directory (removed by another program?)',
  ESTALE: 'stale file handle (network file system)',
};

/** What the operation was, in words, by the name Node gives its system call. */
const ACTIONS: Readonly<Record<string, string>> = {
  open: 'open',
  write: 'write',
  read: 'read',
  mkdir: 'create directory',
  mkdtemp: 'create directory',
  rename: 'rename',
  rmdir: 'remove',
  rm: 'remove',
  unlink: 'remove',
  chmod: 'set mode of',
  scandir: 'list',
  stat: 'inspect',
  lstat: 'inspect',
  fsync: 'sync',
  copyfile: 'copy',
  access: 'access',
};

/** Whether `e` is a Node system error of the kinds above. */
export function isEnvironmentError(e: unknown): e is NodeJS.ErrnoException {
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  return typeof code === 'string' && code in CAUSES && typeof (e as NodeJS.ErrnoException).syscall === 'string';
}

/**
 * Runs `fn`, giving a system error without a path the path it was about: Node names no
 * path when a write fails after the open succeeded (a disk that fills up mid-file), and
 * the refusal must still say which file.
 */
export function atPath<T>(p: string, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (isEnvironmentError(e) && e.path === undefined) e.path = p;
    throw e;
  }
}

/**
 * The one-line exit-2 refusal for a system error, or undefined for anything else.
 * `after` is appended (what became of the output directory).
 */
export function environmentError(e: unknown, after = ''): CliError | undefined {
  if (!isEnvironmentError(e)) return undefined;
  const where = e.path ?? (e as { dest?: string }).dest ?? '(unknown path)';
  const action = ACTIONS[e.syscall ?? ''] ?? e.syscall;
  return new CliError(`asmpkg: ${where}: cannot ${action}: ${errnoCause(e)}${after}`, 2);
}

/** A system error's cause in words, with its code: `permission denied (EACCES)`. */
export function errnoCause(e: NodeJS.ErrnoException): string {
  return `${CAUSES[e.code ?? ''] ?? e.message} (${e.code})`;
}

/** A system error as plain data (to cross from a worker thread) and back. */
export interface ErrnoData {
  readonly code: string;
  readonly syscall?: string;
  readonly path?: string;
  readonly message: string;
}

export function errnoData(e: unknown): ErrnoData | undefined {
  if (!isEnvironmentError(e)) return undefined;
  return { code: e.code!, syscall: e.syscall, path: e.path, message: e.message };
}

export function errnoFromData(data: ErrnoData): NodeJS.ErrnoException {
  return Object.assign(new Error(data.message), { code: data.code, syscall: data.syscall, path: data.path });
}
