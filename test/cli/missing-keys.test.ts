import { execFileSync } from 'node:child_process';
import { cpSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { regenerateSet } from '../../src/cli/synth';
import { configText, GKE_CLUSTER, ISTIOCTL_CLUSTER, ONPREM_CLUSTER, withField } from '../helpers/config';
import { run, tempDir, treeState } from '../helpers/cli';
import { indexMismatches } from '../helpers/out-index';

const git = (cwd: string, ...args: string[]) =>
  execFileSync('git', ['-c', 'user.email=t@example.com', '-c', 'user.name=t', ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'] }).toString();

/** The key material of OUT: every file below a secrets/ directory. */
const keysOf = (out: string) => Object.fromEntries(Object.entries(treeState(out)).filter(([f]) => /\/secrets\/.+[^/]$/.test(f)));

const FLEET = configText(GKE_CLUSTER, ISTIOCTL_CLUSTER, ONPREM_CLUSTER);

/** A repository holding a config and its rendered OUT, committed (secrets/ is git-ignored), and a fresh clone of it. */
async function repoAndClone() {
  const origin = tempDir('asmpkg-origin-');
  git(origin, 'init', '-q');
  writeFileSync(path.join(origin, 'asmpkg.yaml'), FLEET);
  expect((await run(['synth', '-c', 'asmpkg.yaml', '-o', 'out', '-q'], origin)).code).toBe(0);
  git(origin, 'add', '-A');
  git(origin, 'commit', '-qm', 'rendered');
  const clone = path.join(tempDir('asmpkg-clone-'), 'repo');
  git(path.dirname(clone), 'clone', '-q', origin, clone);
  return { origin, clone };
}

describe('key material recorded in the index and missing', () => {
  test('a fresh clone (secrets/ git-ignored): exit 2 naming every cluster and its missing files, also with --quiet; nothing written', async () => {
    const { origin, clone } = await repoAndClone();
    const before = treeState(path.join(clone, 'out'));
    for (const quiet of [[], ['--quiet']]) {
      const r = await run(['synth', '-c', 'asmpkg.yaml', '-o', 'out', ...quiet], clone);
      expect(r.code).toBe(2);
      const out = path.join(clone, 'out');
      const serving = 'galley/cert-chain.pem, galley/key.pem, galley/root-cert.pem, sidecar-injector/cert-chain.pem, sidecar-injector/key.pem, sidecar-injector/root-cert.pem';
      const line = (cluster: string, files: string) =>
        `asmpkg: ${out}/${cluster}/secrets/: ${files} (recorded in ${out}/index.yaml) are missing; restore them from where you keep ${cluster}'s key material ` +
        `(secrets/ is git-ignored: a clone does not have it), or pass --regenerate-ca ${cluster} to make new key material for this cluster only`;
      // In config order, every cluster in one run.
      expect(r.stderr.split('\n')).toEqual([
        line('asm-gke', serving),
        line('asm-existing', serving),
        line('asm-onprem', 'ca-cert.pem, ca-key.pem, cert-chain.pem, root-cert.pem'),
      ]);
      expect(treeState(path.join(clone, 'out'))).toEqual(before);
    }

    // Regenerating one cluster does not let the others through.
    const one = await run(['synth', '-c', 'asmpkg.yaml', '-o', 'out', '--regenerate-ca', 'asm-gke'], clone);
    expect(one.code).toBe(2);
    expect(one.stderr.split('\n').map((l) => /\/out\/([a-z-]+)\/secrets/.exec(l)?.[1])).toEqual(['asm-existing', 'asm-onprem']);
    expect(treeState(path.join(clone, 'out'))).toEqual(before);

    // Restored from where they are kept: the clone renders with the very same key material.
    for (const cluster of ['asm-gke', 'asm-existing', 'asm-onprem']) {
      cpSync(path.join(origin, 'out', cluster, 'secrets'), path.join(clone, 'out', cluster, 'secrets'), { recursive: true });
    }
    const restored = await run(['synth', '-c', 'asmpkg.yaml', '-o', 'out', '-q'], clone);
    expect([restored.code, restored.stderr]).toEqual([0, '']);
    expect(keysOf(path.join(clone, 'out'))).toEqual(keysOf(path.join(origin, 'out')));
    expect(indexMismatches(path.join(clone, 'out'))).toEqual([]);
  });

  test('one missing file of a set is enough; --regenerate-ca CLUSTER replaces that cluster only', async () => {
    const dir = tempDir('asmpkg-missing-');
    writeFileSync(path.join(dir, 'c.yaml'), FLEET);
    const out = path.join(dir, 'out');
    expect((await run(['synth', '-c', 'c.yaml', '-o', 'out', '-q'], dir)).code).toBe(0);
    const keys = keysOf(out);
    rmSync(path.join(out, 'asm-onprem/secrets/ca-key.pem'));
    const r = await run(['synth', '-c', 'c.yaml', '-o', 'out', '-q'], dir);
    expect([r.code, r.stderr]).toEqual([2, expect.stringMatching(/^asmpkg: \S+\/out\/asm-onprem\/secrets\/: ca-key\.pem \(recorded in \S+\) is missing; restore it .* --regenerate-ca asm-onprem to make/)]);

    const again = await run(['synth', '-c', 'c.yaml', '-o', 'out', '-q', '--regenerate-ca', 'asm-onprem'], dir);
    expect([again.code, again.stderr]).toEqual([0, expect.stringMatching(/^asmpkg: asm-onprem: new CA in out\/asm-onprem\/secrets\/; apply it/)]);
    const after = keysOf(out);
    const changed = Object.keys(keys).filter((f) => after[f] !== keys[f]);
    expect(changed.every((f) => f.startsWith('asm-onprem/'))).toBe(true);
    expect(changed).toContain('asm-onprem/secrets/ca-cert.pem');
    expect(indexMismatches(out)).toEqual([]);
  });

  test("a user's own CA (certificates.dir) is read from there, so its copies in OUT are not missing key material", async () => {
    const dir = tempDir('asmpkg-missing-');
    expect((await run(['certs', '--out', 'ca', '--algorithm', 'ecdsa-p256'], dir)).code).toBe(0);
    writeFileSync(path.join(dir, 'c.yaml'), configText(withField(ONPREM_CLUSTER, 'certificates', { dir: 'ca' })));
    expect((await run(['synth', '-c', 'c.yaml', '-o', 'out', '-q'], dir)).code).toBe(0);
    rmSync(path.join(dir, 'out/asm-onprem/secrets'), { recursive: true });
    const r = await run(['synth', '-c', 'c.yaml', '-o', 'out', '-q'], dir);
    expect([r.code, r.stderr]).toEqual([0, '']);
    expect(readFileSync(path.join(dir, 'out/asm-onprem/secrets/ca-key.pem'), 'utf8')).toBe(readFileSync(path.join(dir, 'ca/ca-key.pem'), 'utf8'));
  });
});

describe('--regenerate-ca names its clusters', () => {
  const clusters = ['a', 'b', 'c'];
  test('names, comma lists and =all', () => {
    expect([...regenerateSet(['a', 'c'], clusters, 'c.yaml')]).toEqual(['a', 'c']);
    expect([...regenerateSet(['a,b'], clusters, 'c.yaml')]).toEqual(['a', 'b']);
    expect([...regenerateSet(['all'], clusters, 'c.yaml')]).toEqual(clusters);
    expect([...regenerateSet(undefined, clusters, 'c.yaml')]).toEqual([]);
  });

  test('a bare flag means the one cluster of a one-cluster config, and is refused where it would mean several', () => {
    expect([...regenerateSet(true, ['only'], 'c.yaml')]).toEqual(['only']);
    expect(() => regenerateSet(true, clusters, 'c.yaml')).toThrow(
      'asmpkg: --regenerate-ca: name the clusters whose key material to replace (e.g. --regenerate-ca a), or pass --regenerate-ca=all for all 3 clusters of c.yaml',
    );
  });

  test('unknown names are refused, each on its line', () => {
    expect(() => regenerateSet(['a', 'x', 'y'], clusters, 'c.yaml')).toThrow(
      'asmpkg: --regenerate-ca: "x" is not a cluster of c.yaml (its clusters: a, b, c)\nasmpkg: --regenerate-ca: "y" is not a cluster of c.yaml (its clusters: a, b, c)',
    );
  });

  test('through the CLI: a bare flag on a fleet is exit 2 and changes nothing', async () => {
    const dir = tempDir('asmpkg-regen-');
    writeFileSync(path.join(dir, 'c.yaml'), FLEET);
    expect((await run(['synth', '-c', 'c.yaml', '-o', 'out', '-q'], dir)).code).toBe(0);
    const before = treeState(path.join(dir, 'out'));
    const bare = await run(['synth', '-c', 'c.yaml', '-o', 'out', '--regenerate-ca'], dir);
    expect([bare.code, bare.stderr]).toEqual([2, expect.stringMatching(/^asmpkg: --regenerate-ca: name the clusters/)]);
    const unknown = await run(['synth', '-c', 'c.yaml', '-o', 'out', '--regenerate-ca=nope'], dir);
    expect([unknown.code, unknown.stderr]).toEqual([2, expect.stringMatching(/"nope" is not a cluster of c\.yaml/)]);
    expect(treeState(path.join(dir, 'out'))).toEqual(before);
  });
});
