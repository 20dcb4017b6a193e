import { execFileSync } from 'node:child_process';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, Server } from 'node:net';
import * as path from 'node:path';
import { Readable } from 'node:stream';
import {
  decodeUtf8,
  firstInvalidUtf8,
  InputFileError,
  readInputFile,
  readInputFileSync,
  readStreamCapped,
  readTextFile,
  readTextFileSync,
} from '../../src/util/input-file';
import { tempDir } from '../helpers/cli';

/** The one reader of every file input: regular files only, capped, strict UTF-8. */

const CAP = { maxBytes: 64, what: 'a test file' };

function fifo(dir: string, name = 'pipe.yaml'): string {
  const p = path.join(dir, name);
  execFileSync('mkfifo', [p]);
  return p;
}

async function refusal(read: () => unknown): Promise<InputFileError> {
  try {
    await read();
  } catch (e) {
    expect(e).toBeInstanceOf(InputFileError);
    return e as InputFileError;
  }
  throw new Error('expected a refusal');
}

describe('what is not a regular file is refused at once, naming the path and the rule', () => {
  let dir: string;
  let server: Server | undefined;
  beforeEach(() => {
    dir = tempDir('asmpkg-input-');
  });
  afterEach(() => {
    server?.close();
    server = undefined;
  });

  test('a FIFO with no writer (which a plain open would wait on forever)', async () => {
    const p = fifo(dir);
    for (const read of [() => readInputFileSync(p, 'pipe.yaml', CAP), () => readInputFile(p, 'pipe.yaml', CAP)]) {
      const e = await refusal(read);
      expect([e.message, e.code, e.exitCode]).toEqual(['pipe.yaml: is a FIFO (named pipe), not a regular file; asmpkg reads only regular files', 'not-regular', 2]);
    }
  });

  test('/dev/zero, directly and through a symlink (no size to check, endless content)', async () => {
    symlinkSync('/dev/zero', path.join(dir, 'zero.pem'));
    for (const [p, shown] of [['/dev/zero', '/dev/zero'], [path.join(dir, 'zero.pem'), 'zero.pem']]) {
      expect((await refusal(() => readInputFile(p, shown, CAP))).message).toBe(`${shown}: is a character device, not a regular file; asmpkg reads only regular files`);
      expect((await refusal(() => readInputFileSync(p, shown, CAP))).code).toBe('not-regular');
    }
  });

  test('a directory', async () => {
    mkdirSync(path.join(dir, 'd.yaml'));
    const e = await refusal(() => readTextFile(path.join(dir, 'd.yaml'), 'd.yaml', CAP));
    expect(e.message).toBe('d.yaml: is a directory, not a regular file; asmpkg reads only regular files');
  });

  test('a socket', async () => {
    const p = path.join(dir, 's.yaml');
    server = createServer();
    await new Promise<void>((resolve) => server!.listen(p, resolve));
    for (const read of [() => readInputFileSync(p, 's.yaml', CAP), () => readInputFile(p, 's.yaml', CAP)]) {
      const e = await refusal(read);
      expect([e.code, e.message]).toEqual(['not-regular', expect.stringMatching(/^s\.yaml: is a (socket or device|socket), not a regular file; asmpkg reads only regular files$/)]);
    }
  });

  test('a missing file: the errno code, for callers that treat absence as "none yet"', async () => {
    const e = await refusal(() => readInputFile(path.join(dir, 'nope'), 'nope', CAP));
    expect([e.code, e.message]).toEqual(['ENOENT', 'nope: no such file or directory']);
  });
});

describe('the size cap', () => {
  test('a file one byte over the cap is refused; one at the cap is read', async () => {
    const dir = tempDir('asmpkg-input-');
    writeFileSync(path.join(dir, 'at'), 'x'.repeat(64));
    writeFileSync(path.join(dir, 'over'), 'x'.repeat(65));
    expect(readTextFileSync(path.join(dir, 'at'), 'at', CAP)).toBe('x'.repeat(64));
    expect(await readTextFile(path.join(dir, 'at'), 'at', CAP)).toBe('x'.repeat(64));
    const e = await refusal(() => readInputFile(path.join(dir, 'over'), 'over', CAP));
    expect([e.code, e.message]).toEqual(['too-large', 'over: is larger than 64 bytes, the limit for a test file; refused']);
    expect((await refusal(() => readInputFileSync(path.join(dir, 'over'), 'over', CAP))).code).toBe('too-large');
  });

  test('a symlink to a regular file is read (Kubernetes Secret volumes are made of them)', () => {
    const dir = tempDir('asmpkg-input-');
    writeFileSync(path.join(dir, 'real'), 'hello\n');
    symlinkSync('real', path.join(dir, 'link'));
    expect(readTextFileSync(path.join(dir, 'link'), 'link', CAP)).toBe('hello\n');
  });

  test('standard input past the cap: the stream is destroyed, not read to its end', async () => {
    let produced = 0;
    const endless = new Readable({
      read() {
        produced += 16;
        this.push(Buffer.alloc(16));
      },
    });
    const e = await refusal(() => readStreamCapped(endless, '<stdin>', { maxBytes: 1000, what: 'standard input' }));
    expect([e.code, e.message]).toEqual(['too-large', '<stdin>: is larger than 1000 bytes, the limit for standard input; refused']);
    expect(endless.destroyed).toBe(true);
    expect(produced).toBeLessThan(100_000);
  });

  test('standard input within the cap is read whole', async () => {
    expect(await readStreamCapped(Readable.from([Buffer.from('a: 1\n'), Buffer.from('b: é\n')]), '<stdin>', CAP)).toBe('a: 1\nb: é\n');
  });
});

describe('strict UTF-8', () => {
  test('invalid bytes are refused with line and column, never turned into U+FFFD', async () => {
    const bytes = Buffer.concat([Buffer.from('a: 1\nname: é'), Buffer.from([0xff]), Buffer.from('x\n')]);
    const e = await refusal(() => decodeUtf8(bytes, 'c.yaml'));
    expect([e.code, e.message]).toEqual(['not-utf8', 'c.yaml: line 2, column 8: not valid UTF-8 (byte 0xff); asmpkg reads UTF-8 text only']);
  });

  test.each([
    ['overlong encoding', [0xc0, 0xaf]],
    ['a lone continuation byte', [0x80]],
    ['an encoded surrogate', [0xed, 0xa0, 0x80]],
    ['past U+10FFFF', [0xf4, 0x90, 0x80, 0x80]],
    ['a truncated sequence at the end', [0xe2, 0x82]],
  ])('%s', (_name, raw) => {
    const bytes = Buffer.from([0x61, ...raw]);
    expect(firstInvalidUtf8(bytes)).toBe(1);
    expect(() => decodeUtf8(bytes, 'f')).toThrow(/^f: line 1, column 2: not valid UTF-8/);
  });

  test('valid text of every width passes', () => {
    const text = 'a é € 𝄞 中文\n';
    expect(firstInvalidUtf8(Buffer.from(text))).toBe(Buffer.byteLength(text));
    expect(decodeUtf8(Buffer.from(text), 'f')).toBe(text);
  });
});
