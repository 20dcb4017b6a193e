/** The gitops: and secrets: blocks: defaults, and bad input as one line per problem naming field, value and rule. */
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { stringify } from 'yaml';
import { parseConfig } from '../../src/config/load';
import { InputError } from '../../src/config/problems';
import { resolveCluster, resolveFleetDelivery } from '../../src/config/resolve';
import { GKE_CLUSTER, ISTIOCTL_CLUSTER } from '../helpers/config';
import { run, tempDir, treeState } from '../helpers/cli';
import { sealingPair } from '../helpers/sealing';

const GITOPS = { engine: 'flux', repoURL: 'https://git.example.com/platform/mesh.git' };

function problems(config: object): string[] {
  try {
    parseConfig(stringify(config), 'asmpkg.yaml');
  } catch (e) {
    if (e instanceof InputError) return e.message.split('\n');
    throw e;
  }
  return [];
}

test('defaults: branch main, the repository root, secrets as files, wave 0', () => {
  const config = parseConfig(stringify({ gitops: GITOPS, clusters: [GKE_CLUSTER] }));
  expect(resolveFleetDelivery(config)).toEqual({ gitops: { ...GITOPS, revision: 'main', path: '.' }, secrets: 'files' });
  expect(resolveCluster(config.clusters[0], config).delivery).toEqual({ engine: 'flux', wave: 0, secrets: 'files' });
  // No gitops: and no secrets: leave the cluster as before.
  expect(resolveCluster(parseConfig(stringify({ clusters: [GKE_CLUSTER] })).clusters[0]).delivery).toBeUndefined();
});

test.each([
  [{ gitops: { ...GITOPS, engine: 'jenkins' } }, 'asmpkg.yaml: gitops.engine = "jenkins": must be one of argocd, flux, configsync'],
  [{ gitops: { ...GITOPS, repoURL: 'not a url' } }, 'asmpkg.yaml: gitops.repoURL = "not a url": must be a Git URL'],
  [{ gitops: { ...GITOPS, path: '../up' } }, 'asmpkg.yaml: gitops.path = "../up": must be a relative path inside the repository without ..'],
  [{ gitops: { ...GITOPS, path: '/abs' } }, 'asmpkg.yaml: gitops.path = "/abs": must be a relative path'],
  [{ gitops: { ...GITOPS, revison: 'main' } }, 'asmpkg.yaml: gitops.revison: unknown field (did you mean "revision"?)'],
  [{ gitops: { ...GITOPS, revision: 'a b' } }, 'asmpkg.yaml: gitops.revision = "a b": must be a Git branch name'],
  [{ secrets: { mode: 'vault' } }, 'asmpkg.yaml: secrets.mode = "vault": must be one of files, sealed, external'],
  [{ secrets: { mode: 'sealed' } }, 'asmpkg.yaml: secrets.sealingCertificate: is required for mode sealed'],
  [{ secrets: { mode: 'external' } }, 'asmpkg.yaml: secrets.store: is required for mode external'],
  [{ secrets: { mode: 'files', sealingCertificate: 'c.pem' } }, 'asmpkg.yaml: secrets.sealingCertificate = "c.pem": applies to mode sealed; mode is files'],
  [{ secrets: { mode: 'external', store: { kind: 'Vault', name: 'x' } } }, 'asmpkg.yaml: secrets.store.kind = "Vault": must be ClusterSecretStore or SecretStore'],
  [{ clusters: [{ ...GKE_CLUSTER, wave: 1 }] }, 'asmpkg.yaml: clusters[0].wave = 1: applies with a top-level gitops: block; there is none'],
  [{ gitops: GITOPS, clusters: [{ ...GKE_CLUSTER, wave: -1 }] }, 'asmpkg.yaml: clusters[0].wave = -1: must not be negative'],
  [{ gitops: GITOPS, clusters: [{ ...GKE_CLUSTER, wave: 1.5 }] }, 'asmpkg.yaml: clusters[0].wave = 1.5: must be a whole number'],
  [{ gitops: { ...GITOPS, engine: 'configsync' }, clusters: [{ ...GKE_CLUSTER, gitops: { destination: 'east' } }] }, 'asmpkg.yaml: clusters[0].gitops.destination = "east": does not apply to engine configsync'],
  [{ gitops: { ...GITOPS, engine: 'argocd', secretRef: 'git-creds' } }, 'asmpkg.yaml: gitops.secretRef = "git-creds": does not apply to engine argocd'],
  [{ gitops: GITOPS, clusters: [{ ...GKE_CLUSTER, name: 'gitops' }] }, 'asmpkg.yaml: clusters[0].name = "gitops": is taken with gitops: the controller objects are written to OUT/gitops/'],
  [{ gitops: GITOPS, defaults: { gitops: { destination: 'Bad_Name' } } }, 'asmpkg.yaml: defaults.gitops.destination = "Bad_Name": must be a Kubernetes object name'],
])('%j is refused: %s', (extra, line) => {
  const found = problems({ clusters: [GKE_CLUSTER], ...extra });
  expect(found.filter((l) => l.startsWith(line))).toHaveLength(1);
  expect(found.length).toBeLessThanOrEqual(2);
});

test('several problems: one line each', () => {
  const found = problems({ gitops: { ...GITOPS, engine: 'x', path: '..' }, secrets: { mode: 'sealed' }, clusters: [GKE_CLUSTER] });
  expect(found).toHaveLength(2);
  expect(found.join('\n')).toMatch(/gitops\.engine = "x"/);
  expect(found.join('\n')).toMatch(/gitops\.path = "\.\."/);
});

describe('the sealing certificate is checked before anything is written', () => {
  test('expired, or not there: exit 2, one line naming the field and file, OUT untouched', async () => {
    const dir = tempDir();
    const expired = await sealingPair({ notBefore: new Date('2020-01-01'), notAfter: new Date('2021-01-01') });
    writeFileSync(path.join(dir, 'old.pem'), expired.certPem);
    const config = (cert: string) => stringify({ secrets: { mode: 'sealed', sealingCertificate: cert }, clusters: [ISTIOCTL_CLUSTER] });
    writeFileSync(path.join(dir, 'a.yaml'), config('old.pem'));
    writeFileSync(path.join(dir, 'b.yaml'), config('missing.pem'));
    const before = treeState(dir);
    const a = await run(['synth', '-c', 'a.yaml', '-o', 'out'], dir);
    expect(a.code).toBe(2);
    expect(a.stderr.split('\n')).toEqual([expect.stringMatching(/^asmpkg: a\.yaml: secrets\.sealingCertificate = "old\.pem": expired on 2021-01-01/)]);
    const b = await run(['synth', '-c', 'b.yaml', '-o', 'out'], dir);
    expect(b.code).toBe(2);
    expect(b.stderr).toBe('asmpkg: b.yaml: secrets.sealingCertificate = "missing.pem": no such file or directory');
    expect(treeState(dir)).toEqual(before);
  });
});
