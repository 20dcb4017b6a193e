/**
 * secrets.mode external: an ExternalSecret per kept Secret, reading one Secret Manager
 * secret per cluster, Secret and key; INSTALL.md uploads exactly those from secrets/.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { stringify } from 'yaml';
import { secretManagerName } from '../../src/gitops/external-secrets';
import { GKE_CLUSTER, ONPREM_CLUSTER } from '../helpers/config';
import { run, tempDir } from '../helpers/cli';
import { filesBelow, kustomize, modelProblems, yamlObjects } from '../helpers/gitops';

let out: string;
beforeAll(async () => {
  const dir = tempDir();
  writeFileSync(
    path.join(dir, 'asmpkg.yaml'),
    stringify({
      gitops: { engine: 'configsync', repoURL: 'git@git.example.com:platform/mesh.git', secretRef: 'git-creds' },
      secrets: { mode: 'external', store: { kind: 'ClusterSecretStore', name: 'gcp-secret-manager' } },
      clusters: [GKE_CLUSTER, ONPREM_CLUSTER],
    }),
  );
  const r = await run(['synth', '-c', 'asmpkg.yaml', '-o', 'out', '--quiet'], dir);
  expect(r.stderr).toBe('');
  out = path.join(dir, 'out');
}, 120_000);

test('a private repository over ssh: the RootSync authenticates with ssh keys from the named Secret', () => {
  const [rs] = yamlObjects(path.join(out, 'gitops/configsync/wave-0/asm-gke.yaml'));
  expect(rs.spec.git).toEqual({ repo: 'git@git.example.com:platform/mesh.git', branch: 'main', dir: 'asm-gke', auth: 'ssh', secretRef: { name: 'git-creds' } });
});

test('Secret Manager names: <cluster>_<secret>_<key>, dots as hyphens, only allowed characters', () => {
  expect(secretManagerName('asm-gke', 'istio.istio-galley-service-account', 'key.pem')).toBe('asm-gke_istio-istio-galley-service-account_key-pem');
});

test.each(['asm-gke', 'asm-onprem'])('%s: ExternalSecrets mirror the kept Secrets and validate; INSTALL.md uploads every key from its file', (cluster) => {
  const external = yamlObjects(path.join(out, cluster, 'in-cluster/05-external-secrets.yaml'));
  expect(modelProblems(external)).toEqual([]);
  const kept = filesBelow(path.join(out, cluster, 'secrets'))
    .filter((f) => f.endsWith('.yaml'))
    .flatMap((f) => yamlObjects(path.join(out, cluster, 'secrets', f)));
  expect(external.map((e) => e.metadata.name).sort()).toEqual(kept.map((k) => k.metadata.name).sort());
  const install = readFileSync(path.join(out, cluster, 'INSTALL.md'), 'utf8');
  for (const secret of kept) {
    const e = external.find((x) => x.metadata.name === secret.metadata.name)!;
    expect(e.spec.secretStoreRef).toEqual({ kind: 'ClusterSecretStore', name: 'gcp-secret-manager' });
    expect(e.spec.target.name).toBe(secret.metadata.name);
    expect(e.spec.target.template.type).toBe(secret.type);
    expect(e.spec.target.template.metadata?.annotations).toEqual(secret.metadata.annotations);
    expect(e.spec.data.map((d: any) => d.secretKey)).toEqual(Object.keys(secret.data).sort());
    for (const d of e.spec.data) {
      const name = d.remoteRef.key as string;
      expect(name).toMatch(/^[A-Za-z0-9_-]{1,255}$/);
      // The upload reads the kept file whose bytes are this key of the Secret.
      const upload = new RegExp(`^gcloud secrets versions add ${name} --data-file=(\\S+)$`, 'm').exec(install);
      expect(upload).not.toBeNull();
      const file = path.join(out, cluster, upload![1]);
      expect(existsSync(file)).toBe(true);
      expect(readFileSync(file).equals(Buffer.from(secret.data[d.secretKey], 'base64'))).toBe(true);
      expect(install).toMatch(new RegExp(`gcloud secrets create ${name} --replication-policy=automatic`));
    }
  }
  // What Config Sync applies holds the ExternalSecrets and no key material.
  const applied = kustomize(path.join(out, cluster));
  expect(applied.filter((o) => o.kind === 'ExternalSecret')).toHaveLength(kept.length);
  expect(applied.filter((o) => o.kind === 'Secret')).toEqual([]);
});
