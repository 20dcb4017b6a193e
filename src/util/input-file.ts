import * as fs from 'node:fs';

/**
 * The one way asmpkg reads a file it was given (a config, CA files, key material kept in
 * OUT, manifests to lint, package files to set) or standard input: only regular files,
 * never more than a cap, and strict UTF-8 for text.
 *
 * A FIFO, a socket, a device (`/dev/zero`) or a directory where a file is expected is
 * refused at once: files are opened with O_NONBLOCK (opening a FIFO with no writer
 * would otherwise block a thread for good, and with it every later file-system call and
 * the interrupt handler's cleanup) and the open descriptor is checked with fstat, so a
 * path swapped between a check and the open cannot slip through. Symbolic links are
 * followed (a Kubernetes Secret volume is made of them); what they point at must be a
 * regular file too.
 */

/** Caps per kind of input. A file bigger than its cap is refused, not read. */
export const INPUT_CAPS = {
  /** A config: clusters and their options; a thousand-cluster fleet is a few hundred KiB. */
  config: 1024 * 1024,
  /** A manifest file to lint, or standard input. */
  manifest: 16 * 1024 * 1024,
  /** A package file `asmpkg set` reads (Kptfile, YAML). */
  packageFile: 16 * 1024 * 1024,
  /** A PEM file: a certificate chain or a key is a few KiB; a Secret holding them is capped at 1 MiB by the API server. */
  pem: 1024 * 1024,
  /** OUT/index.yaml: a few lines per file of every cluster; a 1,000-cluster fleet's is a few MiB. */
  index: 64 * 1024 * 1024,
} as const;

/** Why an input was refused: `code` is the errno code, or one of asmpkg's own. */
export type InputFileCode = 'not-regular' | 'too-large' | 'not-utf8' | string;

/** An input refused or unreadable; one line, naming the path as the user gave it and the rule. Exit 2. */
export class InputFileError extends Error {
  readonly exitCode = 2;
  constructor(
    /** The path as shown to the user. */
    readonly file: string,
    readonly reason: string,
    readonly code: InputFileCode,
  ) {
    super(`${file}: ${reason}`);
    this.name = 'InputFileError';
  }
}

export interface ReadInputOptions {
  /** The cap in bytes. */
  readonly maxBytes: number;
  /** What the file is, for the size message: `a config file`. */
  readonly what?: string;
}

// O_NONBLOCK and O_NOCTTY are POSIX; on platforms without them the flags are 0.
const OPEN_FLAGS = fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0) | (fs.constants.O_NOCTTY ?? 0);

/** A file's type in words, for everything that is not a regular file. */
function kindOf(stat: fs.Stats): string {
  if (stat.isDirectory()) return 'a directory';
  if (stat.isFIFO()) return 'a FIFO (named pipe)';
  if (stat.isSocket()) return 'a socket';
  if (stat.isCharacterDevice()) return 'a character device';
  if (stat.isBlockDevice()) return 'a block device';
  return 'not a regular file';
}

function notRegular(shown: string, stat: fs.Stats): InputFileError {
  const kind = kindOf(stat);
  const what = kind === 'not a regular file' ? kind : `${kind}, not a regular file`;
  return new InputFileError(shown, `is ${what}; asmpkg reads only regular files`, 'not-regular');
}

function tooLarge(shown: string, options: ReadInputOptions): InputFileError {
  return new InputFileError(shown, `is larger than ${formatBytes(options.maxBytes)}, the limit for ${options.what ?? 'this input'}; refused`, 'too-large');
}

export function formatBytes(n: number): string {
  if (n % (1024 * 1024) === 0) return `${n / 1024 / 1024} MiB`;
  if (n % 1024 === 0) return `${n / 1024} KiB`;
  return `${n} bytes`;
}

/** An errno failure of open/read as a one-line reason. */
export function errnoReason(e: unknown): { reason: string; code: string } {
  const code = (e as NodeJS.ErrnoException)?.code ?? 'EUNKNOWN';
  const reasons: Record<string, string> = {
    ENOENT: 'no such file or directory',
    EACCES: 'permission denied',
    EPERM: 'permission denied',
    ENOTDIR: 'a part of the path is not a directory',
    ELOOP: 'too many levels of symbolic links',
    ENAMETOOLONG: 'the path is too long',
    EISDIR: 'is a directory, not a regular file; asmpkg reads only regular files',
    ENXIO: 'is a socket or device, not a regular file; asmpkg reads only regular files',
    EIO: 'cannot be read (input/output error)',
  };
  return { reason: reasons[code] ?? `cannot be read (${code})`, code };
}

function failure(shown: string, e: unknown): InputFileError {
  if (e instanceof InputFileError) return e;
  const { reason, code } = errnoReason(e);
  return new InputFileError(shown, reason, code === 'EISDIR' || code === 'ENXIO' ? 'not-regular' : code);
}

/** Reads a regular file of at most `maxBytes` (see the module comment). Throws {@link InputFileError}. */
export function readInputFileSync(file: string, shown: string, options: ReadInputOptions): Buffer {
  let fd: number;
  try {
    fd = fs.openSync(file, OPEN_FLAGS);
  } catch (e) {
    throw failure(shown, e);
  }
  try {
    const stat = fs.fstatSync(fd);
    if (!stat.isFile()) throw notRegular(shown, stat);
    if (stat.size > options.maxBytes) throw tooLarge(shown, options);
    // Read to the end rather than trust the size: a file may grow, or report 0 (/proc).
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const buf = Buffer.allocUnsafe(Math.min(Math.max(stat.size - total, 0) + 1, options.maxBytes + 1 - total, 1024 * 1024));
      const n = fs.readSync(fd, buf, 0, buf.length, null);
      if (n === 0) break;
      total += n;
      if (total > options.maxBytes) throw tooLarge(shown, options);
      chunks.push(buf.subarray(0, n));
    }
    return chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, total);
  } catch (e) {
    throw failure(shown, e);
  } finally {
    fs.closeSync(fd);
  }
}

/** {@link readInputFileSync}, off the main thread. */
export async function readInputFile(file: string, shown: string, options: ReadInputOptions): Promise<Buffer> {
  let handle: fs.promises.FileHandle;
  try {
    handle = await fs.promises.open(file, OPEN_FLAGS);
  } catch (e) {
    throw failure(shown, e);
  }
  try {
    const stat = await handle.stat();
    if (!stat.isFile()) throw notRegular(shown, stat);
    if (stat.size > options.maxBytes) throw tooLarge(shown, options);
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const buf = Buffer.allocUnsafe(Math.min(Math.max(stat.size - total, 0) + 1, options.maxBytes + 1 - total, 1024 * 1024));
      const { bytesRead } = await handle.read(buf, 0, buf.length, null);
      if (bytesRead === 0) break;
      total += bytesRead;
      if (total > options.maxBytes) throw tooLarge(shown, options);
      chunks.push(buf.subarray(0, bytesRead));
    }
    return chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, total);
  } catch (e) {
    throw failure(shown, e);
  } finally {
    await handle.close();
  }
}

const STRICT_UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

/**
 * Bytes as text, refusing invalid UTF-8 rather than turning it into U+FFFD (which
 * would then be rendered into a manifest as if the user had written it). The error
 * names the line and column (in characters) of the first bad byte.
 */
export function decodeUtf8(bytes: Uint8Array, shown: string): string {
  try {
    return STRICT_UTF8.decode(bytes);
  } catch {
    const at = firstInvalidUtf8(bytes);
    const before = new TextDecoder('utf-8').decode(bytes.subarray(0, at));
    const line = before.split('\n').length;
    const column = before.length - before.lastIndexOf('\n');
    const hex = bytes[at]?.toString(16).padStart(2, '0') ?? '';
    throw new InputFileError(shown, `line ${line}, column ${column}: not valid UTF-8 (byte 0x${hex}); asmpkg reads UTF-8 text only`, 'not-utf8');
  }
}

/** Offset of the first byte that does not start or continue a valid UTF-8 sequence. */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i];
    let need: number;
    let min: number;
    if (b < 0x80) {
      i++;
      continue;
    } else if (b >= 0xc2 && b <= 0xdf) [need, min] = [1, 0x80];
    else if (b >= 0xe0 && b <= 0xef) [need, min] = [2, 0x800];
    else if (b >= 0xf0 && b <= 0xf4) [need, min] = [3, 0x10000];
    else return i;
    let cp = b & (0xff >> (need + 2));
    for (let k = 1; k <= need; k++) {
      const c = bytes[i + k];
      if (c === undefined || (c & 0xc0) !== 0x80) return i;
      cp = (cp << 6) | (c & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return i;
    i += need + 1;
  }
  return bytes.length;
}

/** Reads a regular UTF-8 text file (see {@link readInputFileSync} and {@link decodeUtf8}). */
export function readTextFileSync(file: string, shown: string, options: ReadInputOptions): string {
  return decodeUtf8(readInputFileSync(file, shown, options), shown);
}

/** {@link readTextFileSync}, off the main thread. */
export async function readTextFile(file: string, shown: string, options: ReadInputOptions): Promise<string> {
  return decodeUtf8(await readInputFile(file, shown, options), shown);
}

/**
 * Reads a stream (standard input) to its end, at most `maxBytes`: past the cap the
 * stream is destroyed and the input refused, so `asmpkg lint - < /dev/zero` ends at once
 * instead of filling memory.
 */
export async function readStreamCapped(stream: NodeJS.ReadableStream & { destroy?: () => void }, shown: string, options: ReadInputOptions): Promise<string> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of stream) {
    const buf = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
    total += buf.length;
    if (total > options.maxBytes) {
      stream.destroy?.();
      throw tooLarge(shown, options);
    }
    chunks.push(buf);
  }
  return decodeUtf8(Buffer.concat(chunks, total), shown);
}
