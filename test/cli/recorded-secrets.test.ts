/**
 * Re-rendering into an OUT whose index.yaml records the key material kept in secrets/:
 * the recorded sets are reused byte for byte, a set whose bytes differ from the record
 * is checked as thoroughly as ever, expiry is refused either way with the same words,
 * and an index that cannot be read or trusted changes nothing but speed.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { generateCa, generateServingCert } from '../../src/certs';
import { configText, GKE_CLUSTER, ISTIOCTL_CLUSTER, ONPREM_CLUSTER } from '../helpers/config';
import { run, tempDir, treeState } from '../helpers/cli';

const sha256 = (text: string | Buffer) => createHash('sha256').update(text).digest('hex');
const LONG_AGO = new Date('2001-02-03T04:05:06Z');

interface Workspace {
  readonly dir: string;
  readonly config: string;
  readonly out: string;
  /** Renders the config with a comment added, so the fingerprint changes and nothing is up to date. */
  synth(...extra: string[]): ReturnType<typeof run>;
}

let edits = 0;
function workspace(text: string): Workspace {
  const dir = tempDir();
  const config = path.join(dir, 'asmpkg.yaml');
  writeFileSync(config, text);
  const out = path.join(dir, 'out');
  return {
    dir,
    config,
    out,
    synth: (...extra) => {
      writeFileSync(config, `${text}# edit ${++edits}\n`);
      return run(['synth', '-c', config, '-o', out, ...extra], dir);
    },
  };
}

/** Every file below OUT's secrets/ directories, with its sha256 and mode. */
function secretsState(out: string): Record<string, string> {
  return Object.fromEntries(Object.entries(treeState(out)).filter(([file]) => file.includes('/secrets/')));
}

/**
 * Replaces files in OUT and, when `record`, their digests in index.yaml too, as if the
 * run that wrote the index had written them.
 */
function replace(out: string, files: Readonly<Record<string, string>>, { record }: { record: boolean }): void {
  const indexFile = path.join(out, 'index.yaml');
  let index = readFileSync(indexFile, 'utf8');
  for (const [file, content] of Object.entries(files)) {
    const full = path.join(out, file);
    const old = sha256(readFileSync(full));
    writeFileSync(full, content);
    if (record) {
      expect(index).toContain(`- path: ${file}\n`);
      index = index.split(old).join(sha256(content));
    }
  }
  writeFileSync(indexFile, index);
}

/** The refusal of a kept key set names its cluster (the directory above secrets/) for --regenerate-ca. */
const refusalLine = (file: string, reason: string) =>
  `asmpkg: ${file}: ${reason} (fix or remove it, or pass --regenerate-ca ${/([a-z0-9-]+)\/secrets\//.exec(file)![1]})`;

describe('re-rendering into an OUT whose index records the key material', () => {
  const fleet = configText(GKE_CLUSTER, ISTIOCTL_CLUSTER, ONPREM_CLUSTER);

  test('reuses every recorded set byte for byte, and the index still matches the files', async () => {
    const w = workspace(fleet);
    expect((await w.synth()).code).toBe(0);
    const secrets = secretsState(w.out);
    expect(Object.keys(secrets).filter((f) => f.endsWith('.pem'))).toHaveLength(4 + 2 * 6);
    const again = await w.synth();
    expect([again.code, again.stderr]).toEqual([0, '']);
    expect(secretsState(w.out)).toEqual(secrets);
    const index = readFileSync(path.join(w.out, 'index.yaml'), 'utf8');
    for (const m of index.matchAll(/- path: (\S+)\n\s+sha256: (\w+)/g)) expect([m[1], sha256(readFileSync(path.join(w.out, m[1])))]).toEqual([m[1], m[2]]);
  });

  test.each([
    ['the on-prem CA', 'asm-onprem/secrets/ca-key.pem', 'does not match the public key of ca-cert.pem'],
    ['a GKE serving certificate', 'asm-gke/secrets/galley/key.pem', 'does not match the public key of the first certificate of cert-chain.pem'],
  ])("%s with another cluster's key in place of its own is refused as before, OUT untouched", async (_what, file, reason) => {
    const w = workspace(fleet);
    expect((await w.synth()).code).toBe(0);
    const other = workspace(fleet);
    expect((await other.synth()).code).toBe(0);
    // A valid key, but not this set's: only the full validation can tell.
    writeFileSync(path.join(w.out, file), readFileSync(path.join(other.out, file)));
    const before = treeState(w.out);
    const r = await w.synth();
    expect([r.code, r.stderr]).toEqual([2, refusalLine(path.join(w.out, file), reason)]);
    expect(treeState(w.out)).toEqual(before);
  });

  test.each([
    [
      'an on-prem CA',
      'asm-onprem/secrets',
      async () => generateCa({ algorithm: 'ecdsa-p256', organization: 'asmpkg', cluster: 'asm-onprem', now: LONG_AGO }),
    ],
    [
      // Galley's set stays valid, so the one refusal is the injector's.
      'a GKE injector certificate',
      'asm-gke/secrets/sidecar-injector',
      async () => generateServingCert(['sidecarInjector', 'galley'], { cluster: 'asm-gke', now: LONG_AGO }),
    ],
  ])('%s that has expired is refused whether or not the index records it, in the same words', async (_what, dir, expiredSet) => {
    const w = workspace(fleet);
    expect((await w.synth()).code).toBe(0);
    const files = await expiredSet();
    replace(w.out, Object.fromEntries(Object.entries(files).map(([name, text]) => [`${dir}/${name}`, text])), { record: true });
    const before = treeState(w.out);
    const recorded = await w.synth();
    expect(recorded.code).toBe(2);
    expect(recorded.stderr).toMatch(/: certificate .* expired at 20\d\d-/);
    expect(treeState(w.out)).toEqual(before);

    rmSync(path.join(w.out, 'index.yaml'));
    const unrecorded = await w.synth();
    expect([unrecorded.code, unrecorded.stderr]).toEqual([2, recorded.stderr]);
  });

  test.each([
    ['empty', () => ''],
    ['not YAML', () => 'clusters: [\n\0\xff garbage'],
    ['random bytes', () => Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256)).toString('latin1')],
    ['truncated', (index: string) => index.slice(0, Math.floor(index.length / 2))],
    ['every digest wrong', (index: string) => index.replace(/sha256: [0-9a-f]{64}/g, `sha256: ${'0'.repeat(64)}`)],
  ])('an index that is %s: the key material is fully validated, reused when sound and refused when not', async (_what, spoil) => {
    const w = workspace(fleet);
    expect((await w.synth()).code).toBe(0);
    const secrets = secretsState(w.out);
    const indexFile = path.join(w.out, 'index.yaml');
    const spoiled = spoil(readFileSync(indexFile, 'utf8'));
    const key = path.join(w.out, 'asm-onprem/secrets/ca-key.pem');
    const own = readFileSync(key);

    writeFileSync(indexFile, spoiled);
    const other = await generateCa({ algorithm: 'ecdsa-p256', organization: 'asmpkg', cluster: 'asm-onprem' });
    writeFileSync(key, other['ca-key.pem']);
    const refused = await w.synth();
    expect([refused.code, refused.stderr]).toEqual([2, refusalLine(key, 'does not match the public key of ca-cert.pem')]);

    writeFileSync(key, own);
    const ok = await w.synth();
    expect([ok.code, ok.stderr]).toEqual([0, '']);
    expect(secretsState(w.out)).toEqual(secrets);
  });

  test("trusts only its own version's record", async () => {
    const w = workspace(configText(ONPREM_CLUSTER));
    expect((await w.synth()).code).toBe(0);
    const key = 'asm-onprem/secrets/ca-key.pem';
    const other = await generateCa({ algorithm: 'ecdsa-p256', organization: 'asmpkg', cluster: 'asm-onprem' });
    // A set that does not hold together, recorded as if this version had written it: it
    // is taken as it is (the record says it was checked), which is what a record means.
    replace(w.out, { [key]: other['ca-key.pem'] }, { record: true });
    const indexFile = path.join(w.out, 'index.yaml');
    const index = readFileSync(indexFile, 'utf8');
    // The same record from another version of asmpkg vouches for nothing.
    writeFileSync(indexFile, index.replace(/^generator: asmpkg .*$/m, 'generator: asmpkg 0.0.0-older'));
    const refused = await w.synth();
    expect([refused.code, refused.stderr]).toEqual([2, refusalLine(path.join(w.out, key), 'does not match the public key of ca-cert.pem')]);
    writeFileSync(indexFile, index);
    expect((await w.synth()).code).toBe(0);
  });

  test('--regenerate-ca replaces recorded sets as before', async () => {
    const w = workspace(fleet);
    expect((await w.synth()).code).toBe(0);
    const secrets = secretsState(w.out);
    expect((await w.synth('--regenerate-ca=all', '--quiet')).code).toBe(0);
    const after = secretsState(w.out);
    const changed = Object.keys(secrets).filter((f) => f.endsWith('.pem') && after[f] !== secrets[f]);
    expect(changed).toHaveLength(4 + 2 * 6);
  });
});

/** The same through the compiled CLI, whose fleets of 48 clusters or more render on worker threads. */
describe('a fleet rendered on worker threads (needs lib/ built, as `npm test` does)', () => {
  const CLI = path.resolve(__dirname, '../../bin/asmpkg.js');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { fleetConfig } = require('../../bench/fleet.js') as { fleetConfig(n: number): string };
  const synth = (w: Workspace) => {
    writeFileSync(w.config, `${fleetConfig(48)}# edit ${++edits}\n`);
    const r = spawnSync(process.execPath, [CLI, 'synth', '-c', w.config, '-o', w.out, '-q'], { cwd: w.dir, encoding: 'utf8' });
    return { code: r.status, stderr: r.stderr.trimEnd() };
  };

  test('reuses recorded sets, refuses a tampered one and an expired recorded one as before', async () => {
    const w = workspace(fleetConfig(48));
    expect(synth(w)).toEqual({ code: 0, stderr: '' });
    const secrets = secretsState(w.out);
    expect(synth(w)).toEqual({ code: 0, stderr: '' });
    expect(secretsState(w.out)).toEqual(secrets);

    // c00002 is on-prem, c00003 GKE (bench/fleet.js deals the profiles in turn).
    const caKey = path.join(w.out, 'c00002/secrets/ca-key.pem');
    const own = readFileSync(caKey);
    writeFileSync(caKey, readFileSync(path.join(w.out, 'c00005/secrets/ca-key.pem')));
    expect(synth(w)).toEqual({ code: 2, stderr: refusalLine(caKey, 'does not match the public key of ca-cert.pem') });
    writeFileSync(caKey, own);

    const expired = await generateServingCert(['sidecarInjector', 'galley'], { cluster: 'c00003', now: LONG_AGO });
    const dir = 'c00003/secrets/galley';
    replace(w.out, Object.fromEntries(Object.entries(expired).map(([name, text]) => [`${dir}/${name}`, text])), { record: true });
    const recorded = synth(w);
    expect(recorded.code).toBe(2);
    expect(recorded.stderr).toMatch(new RegExp(`^asmpkg: ${path.join(w.out, dir)}/cert-chain\\.pem: certificate ".*" expired at 20\\d\\d-.*--regenerate-ca c00003\\)$`));
    rmSync(path.join(w.out, 'index.yaml'));
    expect(synth(w)).toEqual(recorded);
  });
});
