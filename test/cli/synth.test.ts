import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import { parse } from 'yaml';
import { configText, GKE_CLUSTER, ISTIOCTL_CLUSTER, ONPREM_CLUSTER, withField } from '../helpers/config';
import { run, tempDir, treeState } from '../helpers/cli';

const sha256 = (s: Buffer) => require('node:crypto').createHash('sha256').update(s).digest('hex');

function workspace(text: string): { dir: string; config: string; out: string } {
  const dir = tempDir();
  const config = path.join(dir, 'asmpkg.yaml');
  writeFileSync(config, text);
  return { dir, config, out: path.join(dir, 'out') };
}

describe('asmpkg synth', () => {
  const fleet = configText(GKE_CLUSTER, ISTIOCTL_CLUSTER, ONPREM_CLUSTER);

  test('renders every cluster and an index whose hashes match the files', async () => {
    const w = workspace(fleet);
    const r = await run(['synth', '--config', 'asmpkg.yaml', '--out', 'out'], w.dir);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/rendered 3 clusters \(\d+ files\) to out\//);
    expect(readdirSync(w.out).sort()).toEqual(['asm-existing', 'asm-gke', 'asm-onprem', 'index.yaml']);
    const index = parse(readFileSync(path.join(w.out, 'index.yaml'), 'utf8'));
    expect(index.clusters.map((c: { name: string; profile: string }) => [c.name, c.profile])).toEqual([
      ['asm-gke', 'gke'],
      ['asm-existing', 'gke-istioctl'],
      ['asm-onprem', 'onprem'],
    ]);
    for (const c of index.clusters) {
      for (const f of c.files) expect(sha256(readFileSync(path.join(w.out, f.path)))).toBe(f.sha256);
    }
    expect(existsSync(path.join(w.out, 'asm-gke/config-connector/cluster.yaml'))).toBe(true);
    expect(existsSync(path.join(w.out, 'asm-existing/config-connector'))).toBe(false);
    expect(existsSync(path.join(w.out, 'asm-onprem/bootstrap/cluster-admin-binding.yaml'))).toBe(true);
    expect(readFileSync(path.join(w.out, 'asm-onprem/INSTALL.md'), 'utf8')).toMatch(/kubectl apply -f secrets\/cacerts\.yaml/);
    // GKE clusters (no Citadel) get the sidecar injector's and galley's serving certificates in secrets/; on-prem Citadel issues them.
    for (const gke of ['asm-gke', 'asm-existing']) {
      expect(readdirSync(path.join(w.out, gke, 'secrets')).sort()).toEqual(['.gitignore', 'galley', 'galley-certs.yaml', 'sidecar-injector', 'sidecar-injector-certs.yaml']);
      for (const set of ['sidecar-injector', 'galley']) {
        expect(readdirSync(path.join(w.out, gke, 'secrets', set)).sort()).toEqual(['cert-chain.pem', 'key.pem', 'root-cert.pem']);
      }
    }
    expect(existsSync(path.join(w.out, 'asm-onprem/secrets/sidecar-injector'))).toBe(false);
    expect(existsSync(path.join(w.out, 'asm-onprem/secrets/galley'))).toBe(false);
  });

  test('INSTALL.md of GKE clusters loads the injector and galley certificates after the namespace, before the components', async () => {
    const w = workspace(fleet);
    expect((await run(['synth', '-c', w.config, '-o', w.out], w.dir)).code).toBe(0);
    const order: Record<string, string[]> = {
      'asm-gke': [
        'get-credentials',
        'in-cluster/00-namespace.yaml',
        'kubectl apply -f secrets/sidecar-injector-certs.yaml',
        'kubectl apply -f secrets/galley-certs.yaml',
        'kubectl apply -f crds/',
        'kubectl apply -f in-cluster/\n',
      ],
      'asm-existing': [
        'in-cluster/00-namespace.yaml',
        'kubectl apply -f secrets/sidecar-injector-certs.yaml',
        'kubectl apply -f secrets/galley-certs.yaml',
        'istioctl manifest apply',
        'kubectl apply -f in-cluster/\n',
      ],
    };
    for (const [cluster, steps] of Object.entries(order)) {
      const guide = readFileSync(path.join(w.out, cluster, 'INSTALL.md'), 'utf8');
      const at = steps.map((step) => guide.indexOf(step));
      expect([cluster, at.every((i) => i >= 0)]).toEqual([cluster, true]);
      expect([cluster, at]).toEqual([cluster, [...at].sort((a, b) => a - b)]);
    }
    expect(readFileSync(path.join(w.out, 'asm-onprem/INSTALL.md'), 'utf8')).not.toMatch(/sidecar-injector-certs|galley-certs/);
  });

  test('is deterministic, keeps the on-prem CA and the GKE injector certificates, and a re-run with the same inputs changes nothing', async () => {
    const w = workspace(fleet);
    expect((await run(['synth', '-c', w.config, '-o', w.out], w.dir)).code).toBe(0);
    const first = treeState(w.out);
    const again = await run(['synth', '-c', w.config, '-o', w.out], w.dir);
    expect(again.stdout).toMatch(/up to date/);
    expect(treeState(w.out)).toEqual(first);

    // A config change re-renders, but the generated key material is reused from secrets/.
    writeFileSync(w.config, fleet + '\n# a comment changes the fingerprint\n');
    expect((await run(['synth', '-c', w.config, '-o', w.out], w.dir)).code).toBe(0);
    const after = treeState(w.out);
    for (const [file, state] of Object.entries(first)) {
      if (file !== 'index.yaml') expect([file, after[file]]).toEqual([file, state]);
    }

    // A fresh output directory with the same config (and the same key material) gives the same package files.
    const other = path.join(w.dir, 'other');
    const kept: [string, string[]][] = [
      ['asm-onprem/secrets', ['ca-cert.pem', 'ca-key.pem', 'root-cert.pem', 'cert-chain.pem']],
      ...['asm-gke', 'asm-existing'].flatMap((c) =>
        ['sidecar-injector', 'galley'].map((set): [string, string[]] => [`${c}/secrets/${set}`, ['root-cert.pem', 'cert-chain.pem', 'key.pem']]),
      ),
    ];
    for (const [dir, names] of kept) {
      mkdirSync(path.join(other, dir), { recursive: true });
      for (const f of names) writeFileSync(path.join(other, dir, f), readFileSync(path.join(w.out, dir, f)));
    }
    expect((await run(['synth', '-c', w.config, '-o', other], w.dir)).code).toBe(0);
    expect(treeState(other)).toEqual(after);

    // --regenerate-ca replaces the injector and galley certificates too (and the CA), nothing else.
    expect((await run(['synth', '-c', w.config, '-o', other, '--regenerate-ca=all'], w.dir)).code).toBe(0);
    const regenerated = treeState(other);
    const changed = Object.keys(after).filter((f) => regenerated[f] !== after[f]).sort();
    expect(changed).toEqual(
      [
        'index.yaml',
        ...['asm-existing', 'asm-gke'].flatMap((c) =>
          ['sidecar-injector', 'galley'].flatMap((set) => [`${c}/secrets/${set}-certs.yaml`, ...['cert-chain.pem', 'key.pem', 'root-cert.pem'].map((f) => `${c}/secrets/${set}/${f}`)]),
        ),
        ...['ca-cert.pem', 'ca-key.pem', 'cacerts.yaml', 'cert-chain.pem', 'root-cert.pem'].map((f) => `asm-onprem/secrets/${f}`),
      ].sort(),
    );
  });

  test('keeps secrets apart: mode 0600, git-ignored, never printed', async () => {
    const w = workspace(fleet);
    execFileSync('git', ['init', '-q', w.dir]);
    const r = await run(['synth', '-c', w.config, '-o', w.out], w.dir);
    expect(r.code).toBe(0);
    expect(r.stdout + r.stderr).not.toMatch(/PRIVATE KEY/);
    const secrets = path.join(w.out, 'asm-onprem/secrets');
    expect(statSync(path.join(secrets, 'ca-key.pem')).mode & 0o777).toBe(0o600);
    expect(statSync(path.join(secrets, 'cacerts.yaml')).mode & 0o777).toBe(0o600);
    expect(statSync(secrets).mode & 0o777).toBe(0o700);
    expect(readFileSync(path.join(secrets, '.gitignore'), 'utf8')).toMatch(/^\*$/m);
    execFileSync('git', ['check-ignore', '-q', path.join(secrets, 'ca-key.pem')], { cwd: w.dir });
    // The GKE clusters' injector and galley certificates likewise.
    const keyFiles = [
      'asm-existing/secrets/galley/key.pem',
      'asm-existing/secrets/sidecar-injector/key.pem',
      'asm-gke/secrets/galley/key.pem',
      'asm-gke/secrets/sidecar-injector/key.pem',
      'asm-onprem/secrets/ca-key.pem',
    ];
    for (const gke of ['asm-gke', 'asm-existing']) {
      const dir = path.join(w.out, gke, 'secrets');
      expect(readFileSync(path.join(dir, '.gitignore'), 'utf8')).toMatch(/^\*$/m);
      for (const set of ['sidecar-injector', 'galley']) {
        expect(statSync(path.join(dir, `${set}/key.pem`)).mode & 0o777).toBe(0o600);
        expect(statSync(path.join(dir, `${set}-certs.yaml`)).mode & 0o777).toBe(0o600);
        for (const f of [`${set}/key.pem`, `${set}-certs.yaml`]) {
          execFileSync('git', ['check-ignore', '-q', path.join(dir, f)], { cwd: w.dir });
        }
      }
    }
    // Only the secrets directories hold key material: one PEM private key per set.
    const state = treeState(w.out);
    const withKey = Object.keys(state)
      .filter((f) => !f.endsWith('/'))
      .filter((file) => /PRIVATE KEY/.test(readFileSync(path.join(w.out, file), 'utf8')));
    expect(withKey.sort()).toEqual(keyFiles);
    for (const file of withKey) expect(file).toMatch(/^[^/]+\/secrets\//);
    // The cacerts Secret carries the same key, base64-encoded, beside it; so does the injector's Secret.
    const secret = parse(readFileSync(path.join(secrets, 'cacerts.yaml'), 'utf8'));
    expect(Buffer.from(secret.data['ca-key.pem'], 'base64').toString()).toBe(readFileSync(path.join(secrets, 'ca-key.pem'), 'utf8'));
    for (const set of ['sidecar-injector', 'galley']) {
      const served = parse(readFileSync(path.join(w.out, `asm-gke/secrets/${set}-certs.yaml`), 'utf8'));
      expect(Buffer.from(served.data['key.pem'], 'base64').toString()).toBe(readFileSync(path.join(w.out, `asm-gke/secrets/${set}/key.pem`), 'utf8'));
    }
  });

  test('drops clusters a previous run rendered that the config no longer lists, and leaves foreign files', async () => {
    const w = workspace(fleet);
    expect((await run(['synth', '-c', w.config, '-o', w.out], w.dir)).code).toBe(0);
    writeFileSync(path.join(w.out, 'README.md'), 'mine\n');
    writeFileSync(w.config, configText(GKE_CLUSTER));
    // The dropped clusters' secrets/ hold key material: refused unless --prune.
    const before = treeState(w.out);
    const refused = await run(['synth', '-c', w.config, '-o', w.out], w.dir);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/cluster asm-onprem is no longer in the config and its secrets\/ holds key material; .* --prune/);
    expect(refused.stderr).toMatch(/cluster asm-existing is no longer in the config/);
    expect(treeState(w.out)).toEqual(before);
    expect((await run(['synth', '-c', w.config, '-o', w.out, '--prune'], w.dir)).code).toBe(0);
    expect(readdirSync(w.out).sort()).toEqual(['README.md', 'asm-gke', 'index.yaml']);
    expect(statSync(w.out).mode & 0o777).toBe(0o755);
    expect(readdirSync(w.dir).filter((n) => n.includes('asmpkg-'))).toEqual([]);
  });

  describe('refusals exit 2 and leave the output directory as it was', () => {
    const cases: [string, (w: ReturnType<typeof workspace>) => void, string[], RegExp][] = [
      ['too few nodes', (w) => writeFileSync(w.config, configText(withField(GKE_CLUSTER, 'nodePool.nodeCount', 3))), [], /nodePool\.nodeCount = 3: must be at least 4/],
      ['a small machine', (w) => writeFileSync(w.config, configText(withField(GKE_CLUSTER, 'nodePool.machineType', 'n1-standard-2'))), [], /has 2 vCPU/],
      ['an old GKE version', (w) => writeFileSync(w.config, configText(withField(GKE_CLUSTER, 'version', '1.14.8-gke.17'))), [], /below the minimum GKE version/],
      ['one bad cluster in a fleet', (w) => writeFileSync(w.config, configText(GKE_CLUSTER, withField(ONPREM_CLUSTER, 'version', '1.1.0-gke.1'))), [], /clusters\[1\]\.version/],
      ['not YAML', (w) => writeFileSync(w.config, 'clusters: [\n'), [], /not valid YAML/],
      ['a missing config', () => undefined, ['--config', 'nope.yaml'], /nope\.yaml: config file not found/],
      ['a config that is a directory', (w) => mkdirSync(path.join(w.dir, 'cfgdir')), ['--config', 'cfgdir'], /cfgdir: is a directory, not a regular file/],
      ['bad user CA files', (w) => {
        mkdirSync(path.join(w.dir, 'ca'));
        writeFileSync(path.join(w.dir, 'ca', 'ca-cert.pem'), 'not a certificate\n');
        writeFileSync(w.config, configText(GKE_CLUSTER, ISTIOCTL_CLUSTER, withField(ONPREM_CLUSTER, 'certificates', { dir: 'ca' })));
      }, [], /certificates\.dir: ca\/ca-cert\.pem: /],
    ];
    test.each(cases)('%s', async (_what, prepare, args, expected) => {
      const w = workspace(fleet);
      expect((await run(['synth', '-c', w.config, '-o', w.out], w.dir)).code).toBe(0);
      const before = treeState(w.out);
      prepare(w);
      const r = await run(['synth', ...(args.length ? args : ['-c', w.config]), '-o', w.out], w.dir);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(expected);
      expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
      expect(treeState(w.out)).toEqual(before);
      expect(readdirSync(w.dir).filter((n) => n.includes('asmpkg-'))).toEqual([]);
    });
  });

  test('a broken injector certificate set is refused (exit 2, OUT untouched) until fixed or --regenerate-ca', async () => {
    const w = workspace(configText(GKE_CLUSTER));
    expect((await run(['synth', '-c', w.config, '-o', w.out], w.dir)).code).toBe(0);
    const other = workspace(configText(GKE_CLUSTER));
    expect((await run(['synth', '-c', other.config, '-o', other.out], other.dir)).code).toBe(0);
    // Another cluster's key: it does not match this serving certificate.
    const key = path.join(w.out, 'asm-gke/secrets/sidecar-injector/key.pem');
    writeFileSync(key, readFileSync(path.join(other.out, 'asm-gke/secrets/sidecar-injector/key.pem')));
    writeFileSync(w.config, configText(GKE_CLUSTER) + '# changed\n');
    const before = treeState(w.out);
    const r = await run(['synth', '-c', w.config, '-o', w.out], w.dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`asmpkg: ${key}: does not match the public key of the first certificate of cert-chain.pem (fix or remove it, or pass --regenerate-ca asm-gke)`);
    expect(treeState(w.out)).toEqual(before);
    expect((await run(['synth', '-c', w.config, '-o', w.out, '--regenerate-ca'], w.dir)).code).toBe(0);
    expect(readFileSync(key, 'utf8')).not.toBe(readFileSync(path.join(other.out, 'asm-gke/secrets/sidecar-injector/key.pem'), 'utf8'));
  });

  test('an output path that is a file, or below one, is refused', async () => {
    const w = workspace(configText(GKE_CLUSTER));
    writeFileSync(w.out, 'a file');
    const r = await run(['synth', '-c', w.config, '-o', w.out], w.dir);
    expect([r.code, r.stderr]).toEqual([2, expect.stringMatching(/exists and is not a directory/)]);
    const below = await run(['synth', '-c', w.config, '-o', path.join(w.out, 'sub')], w.dir);
    expect([below.code, below.stderr]).toEqual([2, expect.stringMatching(/not writable|not a directory/)]);
    expect(readFileSync(w.out, 'utf8')).toBe('a file');
  });

  test('--help on every command, and usage errors exit 2', async () => {
    for (const cmd of ['synth', 'set', 'lint', 'certs']) {
      const r = await run([cmd, '--help'], tempDir());
      expect([cmd, r.code]).toEqual([cmd, 0]);
      expect(r.stdout).toMatch(new RegExp(`Usage: asmpkg ${cmd}`));
    }
    expect((await run(['synth', '--bogus'], tempDir())).code).toBe(2);
    expect((await run(['frobnicate'], tempDir())).code).toBe(2);
  });

  test('shows progress on a terminal only, and is silent with --quiet', async () => {
    const w = workspace(configText(GKE_CLUSTER, ISTIOCTL_CLUSTER));
    const tty = await run(['synth', '-c', w.config, '-o', w.out], w.dir, { isTTY: true });
    expect(tty.code).toBe(0);
    expect(tty.stderr).toMatch(/rendered 1\/2 clusters \(\d+\.\d s\)/);
    expect(tty.stderr).toMatch(/rendered 2\/2 clusters/);
    expect(tty.stdout).toMatch(/rendered 2 clusters \(\d+ files\) to /);
    writeFileSync(w.config, configText(GKE_CLUSTER));
    const quiet = await run(['synth', '-c', w.config, '-o', path.join(w.dir, 'quiet'), '--quiet'], w.dir, { isTTY: true });
    expect([quiet.code, quiet.stdout, quiet.stderr]).toEqual([0, '', '']);
    const piped = await run(['synth', '-c', w.config, '-o', path.join(w.dir, 'o2')], w.dir, { isTTY: false });
    expect(piped.stderr).toBe('');
  });

  test('says which key material it made, and warns loudly when it replaces it', async () => {
    const w = workspace(configText(GKE_CLUSTER, ONPREM_CLUSTER));
    const first = await run(['synth', '-c', w.config, '-o', w.out], w.dir);
    expect(first.stdout).toMatch(/made key material for 2 clusters; it stays in .*\/<cluster>\/secrets\/ \(never commit it\)/);
    const again = await run(['synth', '-c', w.config, '-o', w.out, '--regenerate-ca=all', '--quiet'], w.dir);
    expect(again.code).toBe(0);
    expect(again.stderr.split('\n')).toEqual([
      expect.stringMatching(/^asmpkg: asm-gke: new sidecar injector certificate and galley certificate in .*asm-gke\/secrets\/; apply it, then restart/),
      expect.stringMatching(/^asmpkg: asm-onprem: new CA in .*asm-onprem\/secrets\/; apply it, then restart/),
    ]);
  });

  test('a new GKE cluster gets one serving certificate for galley and the injector, naming both Services', async () => {
    const { X509Certificate } = await import('node:crypto');
    const w = workspace(configText(GKE_CLUSTER));
    expect((await run(['synth', '-c', w.config, '-o', w.out, '-q'], w.dir)).code).toBe(0);
    const read = (dir: string) => readFileSync(path.join(w.out, 'asm-gke/secrets', dir, 'cert-chain.pem'), 'utf8');
    expect(read('galley')).toBe(read('sidecar-injector'));
    const sans = new X509Certificate(read('galley')).subjectAltName ?? '';
    expect(sans).toContain('DNS:istio-galley.istio-system.svc');
    expect(sans).toContain('DNS:istio-sidecar-injector.istio-system.svc');
  });
});
