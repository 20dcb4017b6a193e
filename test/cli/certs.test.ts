import { spawnSync } from 'node:child_process';
import { createPrivateKey, X509Certificate } from 'node:crypto';
import { chmod, mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command, CommanderError } from 'commander';
import { CommandError, registerCerts } from '../../src/cli/certs';
import type { CliIO } from '../../src/cli/io';
import { CA_FILE_NAMES } from '../../src/certs/types';
import { validateCaFiles } from '../../src/certs/validate';
import { readCaDir } from '../../src/certs/store';

/** The environment without GIT_* variables, so a surrounding repository cannot leak in. */
const ENV = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('GIT_')));

let tmp: string;
let out: string[];
let err: string[];

beforeEach(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'asmpkg-cli-certs-'));
  out = [];
  err = [];
});
afterEach(async () => {
  await rm(tmp, { recursive: true, force: true });
});

function io(env: NodeJS.ProcessEnv = ENV): CliIO {
  return { stdout: (l) => out.push(l), stderr: (l) => err.push(l), env, cwd: tmp };
}

/** Runs `asmpkg ARGS...`; resolves to the exit code main would return. */
async function run(args: string[], env?: NodeJS.ProcessEnv): Promise<number> {
  const program = new Command('asmpkg')
    .exitOverride()
    .configureOutput({ writeOut: (s) => out.push(s), writeErr: (s) => err.push(s) });
  registerCerts(program, io(env));
  try {
    await program.parseAsync(args, { from: 'user' });
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode;
    if (error instanceof CommandError) {
      err.push(...error.lines);
      return error.exitCode;
    }
    throw error;
  }
}

const FAST = ['--algorithm', 'ecdsa-p256'];

function git(cwd: string, ...args: string[]): void {
  const result = spawnSync('git', args, { cwd, env: ENV, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`git ${args.join(' ')}: ${result.stderr}`);
}

async function listing(dir: string): Promise<string[]> {
  return (await readdir(dir)).sort();
}

describe('asmpkg certs', () => {
  it('writes a CA Citadel can use, the key with mode 0600, and prints only file names', async () => {
    expect(await run(['certs', '--out', 'ca', ...FAST, '--cluster', 'onprem-1'])).toBe(0);
    const dir = join(tmp, 'ca');
    expect(await listing(dir)).toEqual([...CA_FILE_NAMES].sort());
    expect((await stat(join(dir, 'ca-key.pem'))).mode & 0o777).toBe(0o600);
    expect((await stat(dir)).mode & 0o077).toBe(0);
    for (const file of ['ca-cert.pem', 'root-cert.pem', 'cert-chain.pem']) {
      expect((await stat(join(dir, file))).mode & 0o022).toBe(0);
    }

    const { files } = await readCaDir(dir);
    expect(await validateCaFiles(files)).toEqual([]);
    const caCert = new X509Certificate(files['ca-cert.pem']!);
    const root = new X509Certificate(files['root-cert.pem']!);
    expect(caCert.verify(root.publicKey)).toBe(true);
    expect(caCert.checkPrivateKey(createPrivateKey(files['ca-key.pem']!))).toBe(true);
    expect(caCert.subject).toContain('L=onprem-1');

    expect(out).toEqual(CA_FILE_NAMES.map((f) => `wrote ${join('ca', f)}`));
    expect(err).toEqual([]);
    expect(out.join('\n')).not.toMatch(/PRIVATE KEY|BEGIN/);
  });

  it('uses the name of DIR as the cluster by default and rsa-4096 unless told otherwise', async () => {
    expect(await run(['certs', '--out', 'edge-7'])).toBe(0);
    const caCert = new X509Certificate(await readFile(join(tmp, 'edge-7', 'ca-cert.pem')));
    expect(caCert.subject).toContain('L=edge-7');
    expect(caCert.publicKey.asymmetricKeyDetails).toMatchObject({ modulusLength: 4096 });
  });

  it('refuses to overwrite existing files without --force and writes nothing', async () => {
    const dir = join(tmp, 'ca');
    await mkdir(dir);
    await writeFile(join(dir, 'ca-cert.pem'), 'old cert');
    expect(await run(['certs', '--out', dir, ...FAST])).toBe(2);
    expect(err).toEqual([`--out: ${dir} already holds ca-cert.pem; pass --force to overwrite, or choose another directory`]);
    expect(await listing(dir)).toEqual(['ca-cert.pem']);
    expect(await readFile(join(dir, 'ca-cert.pem'), 'utf8')).toBe('old cert');
    expect(out).toEqual([]);
  });

  it('replaces existing files with --force, giving a world-readable old key mode 0600', async () => {
    const dir = join(tmp, 'ca');
    await mkdir(dir);
    await writeFile(join(dir, 'ca-key.pem'), 'old key');
    await chmod(join(dir, 'ca-key.pem'), 0o644);
    expect(await run(['certs', '--out', dir, ...FAST, '--force'])).toBe(0);
    expect(await readFile(join(dir, 'ca-key.pem'), 'utf8')).toMatch(/-----BEGIN PRIVATE\x20KEY-----/);
    expect((await stat(join(dir, 'ca-key.pem'))).mode & 0o777).toBe(0o600);
    expect(await listing(dir)).toEqual([...CA_FILE_NAMES].sort());
  });

  describe('inside a git work tree', () => {
    let repo: string;
    beforeEach(async () => {
      repo = join(tmp, 'repo');
      await mkdir(repo);
      git(repo, 'init', '-q');
    });

    it('refuses a directory that is not git-ignored, says how to proceed, and writes nothing', async () => {
      const dir = join(repo, 'secrets', 'ca');
      expect(await run(['certs', '--out', dir, ...FAST])).toBe(2);
      expect(err).toHaveLength(1);
      expect(err[0]).toMatch(/^--out: .* is inside the git work tree .* and is not git-ignored, so ca-key\.pem could be committed; /);
      expect(err[0]).toContain('add "/secrets/ca/" to');
      expect(err[0]).toContain('.gitignore or choose a directory outside the repository');
      expect(await listing(repo)).toEqual(['.git']);
      expect(out).toEqual([]);
    });

    it('refuses even with --force', async () => {
      expect(await run(['certs', '--out', join(repo, 'ca'), ...FAST, '--force'])).toBe(2);
      expect(await listing(repo)).toEqual(['.git']);
    });

    it('allows a git-ignored directory', async () => {
      await writeFile(join(repo, '.gitignore'), '/secrets/\n');
      expect(await run(['certs', '--out', join(repo, 'secrets', 'ca'), ...FAST])).toBe(0);
      expect(await listing(join(repo, 'secrets', 'ca'))).toEqual([...CA_FILE_NAMES].sort());
    });

    it('allows the write when git is not installed', async () => {
      expect(await run(['certs', '--out', join(repo, 'ca'), ...FAST], { ...ENV, PATH: join(tmp, 'no-bin') })).toBe(0);
      expect(await listing(join(repo, 'ca'))).toEqual([...CA_FILE_NAMES].sort());
    });
  });

  it.each([
    [['--algorithm', 'rsa-2048'], '--algorithm: must be one of rsa-4096, ecdsa-p256 (got "rsa-2048")'],
    [['--root-days', 'ten'], '--root-days: must be a whole number of days (got "ten")'],
    [['--ca-days', '4000'], `--ca-days: must not exceed the root's lifetime (3650 days) (got 4000)`],
    [['--org', ''], '--org: must be 1 to 64 printable characters (got "")'],
  ])('refuses %j with exit 2 and one line naming the option and rule', async (args, line) => {
    expect(await run(['certs', '--out', 'ca', ...args])).toBe(2);
    expect(err).toEqual([line]);
    expect(await listing(tmp)).toEqual([]);
  });

  it('requires --out', async () => {
    expect(await run(['certs', ...FAST])).toBe(2);
    expect(err).toEqual(['--out: is required; name the directory to write the CA files into']);
  });

  it('refuses an --out that is a file', async () => {
    await writeFile(join(tmp, 'file'), 'x');
    expect(await run(['certs', '--out', 'file', ...FAST])).toBe(2);
    expect(err).toEqual([`--out: ${join(tmp, 'file')} exists and is not a directory`]);
  });

  it('explains itself in --help', async () => {
    expect(await run(['certs', '--help'])).toBe(0);
    const help = out.join('');
    for (const text of ['--out <dir>', '--algorithm <name>', 'rsa-4096 or ecdsa-p256', '--force', 'ca-key.pem', 'git-ignored', 'kubectl create secret generic cacerts']) {
      expect(help).toContain(text);
    }
    // the defaults are applied by the command, and still shown
    for (const text of ['(default: "rsa-4096")', '(default: "3650")', '(default: "1825")', 'do not apply']) expect(help.replace(/\s+/g, ' ')).toContain(text);
  });
});

describe('asmpkg certs --sidecar-injector', () => {
  test('writes a serving certificate for the injector Service, its key 0600, and prints no key', async () => {
    const { X509Certificate, createPrivateKey } = await import('node:crypto');
    const { readFileSync, statSync } = await import('node:fs');
    const { run, tempDir } = await import('../helpers/cli');
    const dir = tempDir();
    const r = await run(['certs', '--sidecar-injector', '--out', 'inj', '--cluster', 'gke-1'], dir);
    expect([r.code, r.stderr]).toEqual([0, '']);
    expect(r.stdout.split('\n').map((l) => l.replace(/^wrote .*\//, ''))).toEqual(['root-cert.pem', 'cert-chain.pem', 'key.pem']);
    expect(r.stdout).not.toMatch(/PRIVATE KEY/);
    const read = (f: string) => readFileSync(`${dir}/inj/${f}`, 'utf8');
    const leaf = new X509Certificate(read('cert-chain.pem'));
    expect(leaf.subjectAltName).toContain('DNS:istio-sidecar-injector.istio-system.svc');
    expect(leaf.checkPrivateKey(createPrivateKey(read('key.pem')))).toBe(true);
    expect(leaf.verify(new X509Certificate(read('root-cert.pem')).publicKey)).toBe(true);
    expect(statSync(`${dir}/inj/key.pem`).mode & 0o777).toBe(0o600);
  });

  test.each([
    [['--algorithm', 'ecdsa-p256'], ['--algorithm']],
    [['--algorithm', 'rsa-4096', '--root-days', '10', '--ca-days', '5'], ['--algorithm', '--root-days', '--ca-days']],
    [['--ca-days', '365'], ['--ca-days']],
  ])('refuses the CA-only options %j, even at their default values; writes nothing', async (extra, flags) => {
    const { run, tempDir } = await import('../helpers/cli');
    const { existsSync } = await import('node:fs');
    const dir = tempDir();
    const r = await run(['certs', '--sidecar-injector', '--out', 'inj', ...extra], dir);
    expect(r.code).toBe(2);
    expect(r.stderr.split('\n')).toEqual(
      flags.map((f) => `asmpkg: ${f} does not apply to --sidecar-injector: the injector certificate is ECDSA P-256, one self-signed certificate`),
    );
    expect(r.stdout).toBe('');
    expect(existsSync(`${dir}/inj`)).toBe(false);
  });

  test('--org and --cluster still apply', async () => {
    const { run, tempDir } = await import('../helpers/cli');
    const dir = tempDir();
    const r = await run(['certs', '--sidecar-injector', '--out', 'inj', '--cluster', 'gke-1', '--org', 'Example'], dir);
    expect([r.code, r.stderr]).toEqual([0, '']);
  });
});

describe('asmpkg certs --galley', () => {
  test("writes a serving certificate for galley's Service, its key 0600, and prints no key", async () => {
    const { X509Certificate, createPrivateKey } = await import('node:crypto');
    const { readFileSync, statSync } = await import('node:fs');
    const { run, tempDir } = await import('../helpers/cli');
    const dir = tempDir();
    const r = await run(['certs', '--galley', '--out', 'gal', '--cluster', 'gke-1'], dir);
    expect([r.code, r.stderr]).toEqual([0, '']);
    expect(r.stdout.split('\n').map((l) => l.replace(/^wrote .*\//, ''))).toEqual(['root-cert.pem', 'cert-chain.pem', 'key.pem']);
    expect(r.stdout).not.toMatch(/PRIVATE KEY/);
    const read = (f: string) => readFileSync(`${dir}/gal/${f}`, 'utf8');
    const leaf = new X509Certificate(read('cert-chain.pem'));
    expect(leaf.subjectAltName).toContain('DNS:istio-galley.istio-system.svc');
    expect(leaf.subjectAltName).not.toContain('sidecar-injector');
    expect(leaf.checkPrivateKey(createPrivateKey(read('key.pem')))).toBe(true);
    expect(statSync(`${dir}/gal/key.pem`).mode & 0o777).toBe(0o600);
  });

  test('refuses the CA-only options, and --sidecar-injector with it; writes nothing', async () => {
    const { run, tempDir } = await import('../helpers/cli');
    const { existsSync } = await import('node:fs');
    const dir = tempDir();
    const caOnly = await run(['certs', '--galley', '--out', 'gal', '--root-days', '10'], dir);
    expect([caOnly.code, caOnly.stderr]).toEqual([2, 'asmpkg: --root-days does not apply to --galley: the galley certificate is ECDSA P-256, one self-signed certificate']);
    const both = await run(['certs', '--galley', '--sidecar-injector', '--out', 'gal'], dir);
    expect([both.code, both.stdout]).toEqual([2, '']);
    expect(both.stderr).toBe('asmpkg: --sidecar-injector and --galley cannot be combined: write each certificate into its own directory');
    expect(existsSync(`${dir}/gal`)).toBe(false);
  });
});

describe('error lines through main', () => {
  test('every stderr line starts with "asmpkg: "', async () => {
    const { run, tempDir } = await import('../helpers/cli');
    const dir = tempDir();
    const r = await run(['certs', '--algorithm', 'dsa', '--root-days', 'x'], dir);
    expect(r.code).toBe(2);
    const lines = r.stderr.split('\n');
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) expect(line).toMatch(/^asmpkg: /);
  });
});
