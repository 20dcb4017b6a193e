import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { stringify } from 'yaml';
import { PACKAGE_FORMAT_DIRS, PACKAGE_PROFILES } from '../../src/packages';
import { run, tempDir } from '../helpers/cli';
import { clusterConfigFor, copyTree, PACKAGES_DIR, readTree, UNSEEN_VALUES, valuesForPackage } from './helpers';

/**
 * The real consumers of a package, on every machine of this project (SPEC section 11):
 * today's anthoscli and kpt 1.x, run offline against what the generator writes, for a
 * cluster no other test uses. `anthoscli vet` exits 0 even when it finds problems, so
 * every line it prints that is not a glog info/warning line is a failure.
 */
const work = tempDir('asmpkg-real-tools-');
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

const ENV = { ...process.env, CDK8S_CHECK_UPGRADE: 'false', GIT_TERMINAL_PROMPT: '0', HOME: work };

function tool(cmd: string, args: string[], cwd = work): { code: number | null; out: string } {
  const r = spawnSync(cmd, args, { cwd, env: ENV, encoding: 'utf8', timeout: 120_000 });
  if (r.error) throw r.error;
  return { code: r.status, out: `${r.stdout}${r.stderr}` };
}

/** `anthoscli vet -f DIR`: the lines that are problems (anything but glog I/W lines and blank ones). */
function vetProblems(dir: string): string[] {
  const r = tool('anthoscli', ['vet', '-f', dir]);
  expect(r.code).toBe(0);
  return r.out.split('\n').filter((l) => l.trim() !== '' && !/^[IW]\d{4} /.test(l));
}

function git(args: string[], cwd: string): void {
  const r = tool('git', ['-c', 'user.email=test@example.com', '-c', 'user.name=test', '-c', 'init.defaultBranch=main', ...args], cwd);
  expect(r.out).not.toMatch(/fatal|error/i);
  expect(r.code).toBe(0);
}

describe('anthoscli vet reports nothing for the gke profile', () => {
  const values = valuesForPackage(readTree(path.join(PACKAGES_DIR, 'gke')), UNSEEN_VALUES);

  test('on a rendered package (asmpkg synth)', async () => {
    const dir = path.join(work, 'synth');
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'config.yaml'), stringify({ clusters: [clusterConfigFor('gke', values)] }));
    const r = await run(['synth', '--config', 'config.yaml', '--out', 'out', '--quiet'], dir);
    expect(r.code).toBe(0);
    const pkg = path.join(dir, 'out', values['cluster-name']);
    for (const sub of ['config-connector', 'control-plane']) expect([sub, vetProblems(path.join(pkg, sub))]).toEqual([sub, []]);
    // the check has teeth: the March-2020 flavour is what today's anthoscli refuses
    fs.writeFileSync(path.join(dir, 'old.yaml'), stringify({ clusters: [{ ...clusterConfigFor('gke', values), kcc: 'anthoscli' }] }));
    expect((await run(['synth', '--config', 'old.yaml', '--out', 'old', '--quiet'], dir)).code).toBe(0);
    expect(vetProblems(path.join(dir, 'old', values['cluster-name'], 'control-plane')).join('\n')).toMatch(/clusterName.*deprecated/);
  });

  test.each(['v1', 'v0'] as const)('on the committed kpt %s package after asmpkg set', async (format) => {
    const dir = path.join(work, `vet-${format}`);
    copyTree(path.join(PACKAGES_DIR, PACKAGE_FORMAT_DIRS[format], 'gke'), dir);
    const r = await run(['set', dir, ...Object.entries(values).map(([k, v]) => `${k}=${v}`)], work);
    expect(r.code).toBe(0);
    const [cp] = fs.readFileSync(path.join(dir, 'control-plane', 'istio-control-plane.yaml'), 'utf8').match(/gke\.io\/cluster: .*/) ?? [];
    expect(cp).toMatch(`gke.io/cluster: "gke://${values['gcloud.core.project']}/${values['gcloud.compute.zone']}/${values['cluster-name']}"`);
    for (const sub of ['config-connector', 'control-plane']) expect([sub, vetProblems(path.join(dir, sub))]).toEqual([sub, []]);
  });
});

test.each(PACKAGE_PROFILES.filter((p) => fs.existsSync(path.join(PACKAGES_DIR, p, 'config-connector'))))(
  'anthoscli vet reports nothing for the Config Connector resources of the committed %s package after asmpkg set',
  async (profile) => {
    const dir = path.join(work, `vet-cc-${profile}`);
    copyTree(path.join(PACKAGES_DIR, profile), dir);
    const values = valuesForPackage(readTree(dir), UNSEEN_VALUES);
    expect((await run(['set', dir, ...Object.entries(values).map(([k, v]) => `${k}=${v}`)], work)).code).toBe(0);
    expect(vetProblems(path.join(dir, 'config-connector'))).toEqual([]);
  },
);

describe('kpt 1.x and anthoscli fetch and read every committed package', () => {
  // the committed packages/ in a git repository of their own, as users get them
  const repo = path.join(work, 'repo');
  const ws = path.join(work, 'ws');
  beforeAll(() => {
    fs.mkdirSync(repo, { recursive: true });
    copyTree(PACKAGES_DIR, path.join(repo, 'packages'));
    git(['init', '-q'], repo);
    git(['add', '-A'], repo);
    git(['commit', '-qm', 'packages'], repo);
    fs.mkdirSync(ws, { recursive: true });
    git(['init', '-q'], ws);
    fs.writeFileSync(path.join(ws, 'README'), 'workspace\n');
    git(['add', '-A'], ws);
    git(['commit', '-qm', 'init'], ws);
  });

  test.each(PACKAGE_PROFILES)('%s: kpt pkg get, asmpkg set, kpt pkg tree, kpt live init, kpt pkg update, anthoscli get', async (profile) => {
    const get = tool('kpt', ['pkg', 'get', `${repo}/.git/packages/${profile}`, profile], ws);
    expect([get.code, get.out]).toEqual([0, expect.stringContaining('Fetched 1 package(s)')]);
    const dir = path.join(ws, profile);
    const values = valuesForPackage(readTree(dir), UNSEEN_VALUES);
    expect((await run(['set', dir, ...Object.entries(values).map(([k, v]) => `${k}=${v}`)], ws)).code).toBe(0);

    // what kpt pkg get added (merge comments, upstream-identifier annotations) does not disturb anthoscli
    for (const sub of ['config-connector', 'control-plane'].filter((d) => profile !== 'onprem' && profile !== 'gke-istioctl' && fs.existsSync(path.join(dir, d)))) {
      expect([sub, vetProblems(path.join(dir, sub))]).toEqual([sub, []]);
    }

    const tree = tool('kpt', ['pkg', 'tree', profile], ws);
    expect([tree.code, tree.out]).toEqual([0, expect.stringContaining(`Package "${profile}"`)]);
    expect(tree.out).not.toMatch(/error/i);

    const live = tool('kpt', ['live', 'init', profile], ws);
    expect([live.code, live.out]).toEqual([0, expect.stringContaining('success')]);
    git(['add', '-A'], ws);
    git(['commit', '-qm', `set ${profile}`], ws);

    // upstream unchanged: an update keeps the local values
    const update = tool('kpt', ['pkg', 'update', profile], ws);
    expect([update.code, update.out]).toEqual([0, expect.stringContaining('Updated 1 package(s)')]);
    const setters = fs.readFileSync(path.join(dir, 'setters.yaml'), 'utf8');
    for (const v of Object.values(values)) expect(setters).toContain(v);

    const got = tool('anthoscli', ['get', `${repo}/.git/packages/${profile}`, `anthoscli-${profile}`], ws);
    expect([got.code, got.out]).toEqual([0, expect.stringContaining('Fetched 1 package(s)')]);
    expect(fs.existsSync(path.join(ws, `anthoscli-${profile}`, 'Kptfile'))).toBe(true);
  });

  test('kpt 1.x refuses the kpt v0 form, which stays for kpt 0.x users', () => {
    const r = tool('kpt', ['pkg', 'get', `${repo}/.git/packages/v0/gke`, 'old-gke'], ws);
    expect(r.code).not.toBe(0);
    expect(r.out).toMatch(/old version .*v1alpha1/);
  });
});
