/** Changing the delivery of an existing output: the engine's directory follows the config; a no-op run stays a no-op. */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { stringify } from 'yaml';
import { ISTIOCTL_CLUSTER } from '../helpers/config';
import { run, tempDir, treeState } from '../helpers/cli';
import { filesBelow } from '../helpers/gitops';

const GITOPS = { repoURL: 'https://git.example.com/platform/mesh.git' };

test('argocd → flux → none: OUT/gitops/ holds only the current engine, then goes; the package loses its kustomization.yaml', async () => {
  const dir = tempDir();
  const synth = async (config: object) => {
    writeFileSync(path.join(dir, 'asmpkg.yaml'), stringify({ ...config, clusters: [ISTIOCTL_CLUSTER] }));
    const r = await run(['synth', '-c', 'asmpkg.yaml', '-o', 'out'], dir);
    expect([r.code, r.stderr]).toEqual([0, '']);
    return r;
  };
  const out = path.join(dir, 'out');
  await synth({ gitops: { ...GITOPS, engine: 'argocd' } });
  expect(filesBelow(path.join(out, 'gitops'))).toEqual(['argocd/application-set.yaml']);
  const before = treeState(out);
  expect((await synth({ gitops: { ...GITOPS, engine: 'argocd' } })).stdout).toMatch(/is up to date/);
  expect(treeState(out)).toEqual(before);

  await synth({ gitops: { ...GITOPS, engine: 'flux', secretRef: 'git-creds' } });
  expect(filesBelow(path.join(out, 'gitops'))).toEqual(['flux/clusters/asm-existing.yaml', 'flux/gate/kustomization.yaml', 'flux/git-repository.yaml']);
  expect(readFileSync(path.join(out, 'gitops/flux/git-repository.yaml'), 'utf8')).toMatch(/^ {2}secretRef:\n {4}name: git-creds$/m);
  expect(existsSync(path.join(out, 'asm-existing/kustomization.yaml'))).toBe(true);

  await synth({});
  expect(existsSync(path.join(out, 'gitops'))).toBe(false);
  expect(existsSync(path.join(out, 'asm-existing/kustomization.yaml'))).toBe(false);
  expect(existsSync(path.join(out, 'asm-existing/secrets'))).toBe(true);
});
