/**
 * Hardening (issue 8): key material. A fleet with an on-prem cluster (its CA generated,
 * ECDSA P-256 for speed) is rendered through the CLI inside a Git work tree; then every
 * file written and every byte printed is scanned for PEM private key blocks and for
 * the key's base64 body. Only files under `<cluster>/secrets/` may hold key material,
 * each with mode 0600; `secrets/.gitignore` ignores everything, and Git agrees, also
 * when ignore files of lower precedence try to un-ignore them; a secret Git would
 * track (because it is in the index) makes the CLI refuse with nothing written.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { configText, GKE_CLUSTER, ONPREM_CLUSTER } from '../helpers/config';
import { run, tempDir, treeState, type RunResult } from '../helpers/cli';
import { keyNeedles, leftoverStaging, PEM_PRIVATE_KEY, stderrLines, STACK_LINE } from '../helpers/hardening';

const FLEET = configText(GKE_CLUSTER, { ...ONPREM_CLUSTER, certificates: { algorithm: 'ecdsa-p256' } });
const SECRETS = 'asm-onprem/secrets';
const INJECTOR_SECRETS = 'asm-gke/secrets';

function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, GIT_CONFIG_NOSYSTEM: '1', HOME: cwd } }).toString();
}

/** Whether `git check-ignore` says the path is ignored (exit 0) rather than not (exit 1). */
function ignored(cwd: string, rel: string): boolean {
  try {
    git(cwd, 'check-ignore', '-q', rel);
    return true;
  } catch (e) {
    if ((e as { status?: number }).status === 1) return false;
    throw e;
  }
}

/** Files (not directories) of a tree, relative paths. */
function files(dir: string): string[] {
  return Object.keys(treeState(dir)).filter((f) => !f.endsWith('/'));
}

function gitWorkspace(): { dir: string; out: string } {
  const dir = tempDir('asmpkg-secrets-');
  git(dir, 'init', '-q');
  writeFileSync(path.join(dir, 'asmpkg.yaml'), FLEET);
  return { dir, out: path.join(dir, 'out') };
}

describe('a rendered on-prem CA', () => {
  let w: { dir: string; out: string };
  let r: RunResult;
  let needles: string[];

  beforeAll(async () => {
    w = gitWorkspace();
    r = await run(['synth', '--config', 'asmpkg.yaml', '--out', 'out'], w.dir);
    // The GKE cluster's sidecar injector and galley certificates (no Citadel there) are key material too.
    needles = [`${SECRETS}/ca-key.pem`, `${INJECTOR_SECRETS}/sidecar-injector/key.pem`, `${INJECTOR_SECRETS}/galley/key.pem`].flatMap((file) =>
      keyNeedles(readFileSync(path.join(w.out, file), 'utf8')),
    );
  });

  test('renders (exit 0) and the key is a PEM private key', () => {
    expect([r.code, r.stderr]).toEqual([0, '']);
    expect(readFileSync(path.join(w.out, SECRETS, 'ca-key.pem'), 'utf8')).toMatch(PEM_PRIVATE_KEY);
    expect(needles.length).toBeGreaterThanOrEqual(3);
  });

  test('nothing printed holds key material', () => {
    const printed = `${r.stdout}\n${r.stderr}`;
    expect(printed).not.toMatch(PEM_PRIVATE_KEY);
    expect(needles.filter((n) => printed.includes(n))).toEqual([]);
  });

  test('only files under <cluster>/secrets/ hold key material, each with mode 0600', () => {
    const holders = files(w.out).filter((f) => {
      const text = readFileSync(path.join(w.out, f), 'utf8');
      return PEM_PRIVATE_KEY.test(text) || needles.some((n) => text.includes(n));
    });
    expect(holders.sort()).toEqual([
      `${INJECTOR_SECRETS}/galley-certs.yaml`,
      `${INJECTOR_SECRETS}/galley/key.pem`,
      `${INJECTOR_SECRETS}/sidecar-injector-certs.yaml`,
      `${INJECTOR_SECRETS}/sidecar-injector/key.pem`,
      `${SECRETS}/ca-key.pem`,
      `${SECRETS}/cacerts.yaml`,
    ]);
    for (const f of holders) {
      expect(f).toMatch(/^[a-z][-a-z0-9]*\/secrets\/([-a-z0-9]+\/)?[^/]+$/);
      expect([f, (statSync(path.join(w.out, f)).mode & 0o777).toString(8)]).toEqual([f, '600']);
    }
    // Nothing else was written beside OUT: the workspace holds the config, .git and OUT.
    expect(readdirSync(w.dir).sort()).toEqual(['.git', 'asmpkg.yaml', 'out']);
    expect(leftoverStaging(w.dir)).toEqual([]);
  });

  test('the base64 in cacerts.yaml is the key itself (so the scan above can find it)', () => {
    const secret = readFileSync(path.join(w.out, SECRETS, 'cacerts.yaml'), 'utf8');
    expect(needles.some((n) => secret.includes(n))).toBe(true);
  });

  test('secrets/.gitignore ignores everything', () => {
    const rules = readFileSync(path.join(w.out, SECRETS, '.gitignore'), 'utf8')
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l !== '' && !l.startsWith('#'));
    expect(rules).toEqual(['*']);
  });

  test('git check-ignore reports every secrets/ file ignored, and git status lists none of them', () => {
    const secretFiles = files(path.join(w.out, SECRETS));
    expect(secretFiles).toEqual(expect.arrayContaining(['ca-key.pem', 'cacerts.yaml']));
    for (const f of [...secretFiles, 'a-file-added-later.pem']) expect([f, ignored(w.dir, `out/${SECRETS}/${f}`)]).toEqual([f, true]);
    const status = git(w.dir, 'status', '--porcelain', '--untracked-files=all');
    expect(status.split('\n').filter((l) => l.includes('/secrets/'))).toEqual([]);
    expect(status).toMatch(/out\/asm-onprem\/INSTALL\.md/); // the scan sees the package
  });

  test('lower-precedence ignore rules cannot un-ignore them (parent .gitignore, info/exclude, core.excludesFile)', () => {
    writeFileSync(path.join(w.dir, '.gitignore'), '!**/secrets/\n!**/secrets/*\n!*.pem\n!cacerts.yaml\n');
    writeFileSync(path.join(w.out, '.gitignore'), '!*/secrets/**\n');
    writeFileSync(path.join(w.dir, '.git', 'info', 'exclude'), '!ca-key.pem\n');
    const globalExcludes = path.join(w.dir, 'global-excludes');
    writeFileSync(globalExcludes, '!ca-key.pem\n!cacerts.yaml\n');
    git(w.dir, 'config', 'core.excludesFile', globalExcludes);
    for (const f of ['ca-key.pem', 'cacerts.yaml']) expect([f, ignored(w.dir, `out/${SECRETS}/${f}`)]).toEqual([f, true]);
  });
});

describe('a secret Git would not ignore', () => {
  test('a key file already in the index (git add -f): a render that writes a new key refuses, nothing written', async () => {
    const w = gitWorkspace();
    expect((await run(['synth', '--config', 'asmpkg.yaml', '--out', 'out'], w.dir)).code).toBe(0);
    // Tracked files are not subject to ignore rules: the nested .gitignore no longer protects it.
    git(w.dir, 'add', '-f', `out/${SECRETS}/ca-key.pem`);
    expect(ignored(w.dir, `out/${SECRETS}/ca-key.pem`)).toBe(false);
    const before = treeState(w.out);

    const r = await run(['synth', '--config', 'asmpkg.yaml', '--out', 'out', '--regenerate-ca=all'], w.dir);
    expect({ exit: r.code, stderr: r.stderr }).toMatchObject({ exit: 2 });
    const lines = stderrLines(r);
    expect(lines.filter((l) => STACK_LINE.test(l))).toEqual([]);
    expect(lines).toContainEqual(expect.stringMatching(/secrets\/ca-key\.pem: a secret asmpkg writes is tracked by Git/));
    expect(treeState(w.out)).toEqual(before);
    expect(leftoverStaging(w.dir)).toEqual([]);
  });
});

describe('asmpkg certs', () => {
  test('prints no key material and writes the key 0600', async () => {
    const dir = tempDir('asmpkg-secrets-');
    const r = await run(['certs', '--out', 'ca', '--algorithm', 'ecdsa-p256'], dir);
    expect([r.code, r.stderr]).toEqual([0, '']);
    const key = readFileSync(path.join(dir, 'ca', 'ca-key.pem'), 'utf8');
    expect(key).toMatch(PEM_PRIVATE_KEY);
    const printed = `${r.stdout}\n${r.stderr}`;
    expect(printed).not.toMatch(PEM_PRIVATE_KEY);
    expect(keyNeedles(key).filter((n) => printed.includes(n))).toEqual([]);
    expect((statSync(path.join(dir, 'ca', 'ca-key.pem')).mode & 0o777).toString(8)).toBe('600');
    for (const f of files(path.join(dir, 'ca')).filter((f) => f !== 'ca-key.pem')) {
      expect([f, PEM_PRIVATE_KEY.test(readFileSync(path.join(dir, 'ca', f), 'utf8'))]).toEqual([f, false]);
    }
  });
});
