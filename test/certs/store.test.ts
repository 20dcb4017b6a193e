import { chmod, mkdir, mkdtemp, rm, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { generateCa, GenerateCaOptions } from '../../src/certs/generate';
import { secretFiles } from '../../src/certs/secret-files';
import { CaFilesError, loadOrCreateCa, readCaDir, readExistingCa } from '../../src/certs/store';
import { CaFiles } from '../../src/certs/types';
import { RenderedFile } from '../../src/render/types';

const NOW = new Date('2030-01-01T00:00:00Z');
const OPTIONS: GenerateCaOptions = { algorithm: 'ecdsa-p256', organization: 'test', cluster: 'c1', now: NOW };

let tmp: string;
let ca: CaFiles;

beforeAll(async () => {
  ca = await generateCa(OPTIONS);
});
beforeEach(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'asmpkg-certs-store-'));
});
afterEach(async () => {
  await rm(tmp, { recursive: true, force: true });
});

/** What the integrator's output layer does with RenderedFiles, reduced to the essentials. */
async function writeRendered(root: string, files: RenderedFile[]): Promise<void> {
  for (const file of files) {
    await mkdir(dirname(join(root, file.path)), { recursive: true });
    await writeFile(join(root, file.path), file.content, { mode: file.mode });
  }
}

describe('readExistingCa / loadOrCreateCa', () => {
  it('reports an empty or missing directory as absent and generates a CA for it', async () => {
    expect(await readExistingCa(join(tmp, 'nope'))).toEqual({ status: 'absent' });
    const resolved = await loadOrCreateCa(join(tmp, 'nope'), OPTIONS);
    expect(resolved.generated).toBe(true);
    expect(resolved.ca['ca-key.pem']).toContain('PRIVATE KEY');
  });

  it('reuses the CA written by secretFiles, so re-rendering gives the same bytes', async () => {
    await writeRendered(tmp, secretFiles(ca));
    const secrets = join(tmp, 'secrets');
    expect(await readExistingCa(secrets, { now: NOW })).toEqual({ status: 'valid', ca });
    const resolved = await loadOrCreateCa(secrets, OPTIONS);
    expect(resolved).toEqual({ ca, generated: false });
    expect(secretFiles(resolved.ca)).toEqual(secretFiles(ca));
  });

  it('replaces the CA when asked to regenerate', async () => {
    await writeRendered(tmp, secretFiles(ca));
    const resolved = await loadOrCreateCa(join(tmp, 'secrets'), OPTIONS, { regenerate: true });
    expect(resolved.generated).toBe(true);
    expect(resolved.ca['root-cert.pem']).not.toBe(ca['root-cert.pem']);
  });

  it('refuses a partial CA instead of silently replacing it', async () => {
    await writeRendered(tmp, secretFiles(ca));
    await unlink(join(tmp, 'secrets', 'ca-key.pem'));
    const error = await loadOrCreateCa(join(tmp, 'secrets'), OPTIONS).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CaFilesError);
    expect((error as CaFilesError).exitCode).toBe(2);
    expect((error as CaFilesError).problems).toEqual([{ file: 'ca-key.pem', reason: 'is missing' }]);
    expect((error as CaFilesError).message).toBe(`${join(tmp, 'secrets', 'ca-key.pem')}: is missing`);
  });

  it('refuses an expired CA and says which files', async () => {
    await writeRendered(tmp, secretFiles(ca));
    const later = { ...OPTIONS, now: new Date(NOW.getTime() + 4000 * 24 * 3600 * 1000) };
    const error = (await loadOrCreateCa(join(tmp, 'secrets'), later).catch((e: unknown) => e)) as CaFilesError;
    expect(error.problems.map((p) => p.file)).toEqual(['ca-cert.pem', 'root-cert.pem', 'cert-chain.pem', 'cert-chain.pem']);
    expect(error.message).not.toMatch(/PRIVATE KEY/);
  });

  it('reads a missing directory, or one under a file, as empty, and an empty directory too', async () => {
    await writeFile(join(tmp, 'file'), 'x');
    await mkdir(join(tmp, 'empty'));
    for (const dir of [join(tmp, 'nope', 'deeper'), join(tmp, 'file'), join(tmp, 'file', 'secrets'), join(tmp, 'empty')]) {
      expect(await readCaDir(dir)).toEqual({ files: {}, problems: [] });
    }
  });

  it('reports a file it cannot read', async () => {
    if (process.getuid?.() === 0) {
      // root reads files whatever their mode; a directory in the file's place fails for everyone.
      await mkdir(join(tmp, 'ca-key.pem'));
    } else {
      await writeFile(join(tmp, 'ca-key.pem'), 'x');
      await chmod(join(tmp, 'ca-key.pem'), 0o000);
    }
    const { problems } = await readCaDir(tmp);
    expect(problems).toEqual([{ file: 'ca-key.pem', reason: expect.stringMatching(/^(is a directory, not a regular file; asmpkg reads only regular files|permission denied)$/) }]);
  });
});
