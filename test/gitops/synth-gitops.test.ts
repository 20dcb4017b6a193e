/**
 * A mixed fleet rendered for each GitOps engine with sealed secrets: the controller
 * objects validate against the real schemas, point at directories that exist and that
 * kustomize builds, order the stages, and never apply the local-config IstioControlPlane,
 * Config Connector objects or plain key material; the sealed Secrets open to exactly the
 * kept ones.
 */
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { stringify } from 'yaml';
import { GKE_CLUSTER, ISTIO_ON_GKE_CLUSTER, ISTIOCTL_CLUSTER, ONPREM_CLUSTER } from '../helpers/config';
import { run, tempDir } from '../helpers/cli';
import { filesBelow, kustomize, kustomizePlainDir, modelProblems, Obj, yamlObjects } from '../helpers/gitops';
import { keyNeedles, PEM_PRIVATE_KEY } from '../helpers/hardening';
import { SealingPair, sealingPair, unseal } from '../helpers/sealing';
import { rootSyncSchema } from './rootsync-schema';

const ENGINES = ['argocd', 'flux', 'configsync'] as const;
type Engine = (typeof ENGINES)[number];
const REPO_PATH = 'fleet/mesh';

/** A mixed fleet over three waves; one cluster with an explicit destination where the engine has them. */
function fleet(engine: Engine, secrets: object): string {
  const destination = engine === 'configsync' ? {} : { gitops: { destination: 'prod-east' } };
  return stringify({
    gitops: { engine, repoURL: 'https://git.example.com/platform/mesh.git', revision: 'main', path: REPO_PATH },
    secrets,
    clusters: [
      { ...GKE_CLUSTER, wave: 1 },
      { ...ISTIOCTL_CLUSTER, ...destination },
      { ...ONPREM_CLUSTER, wave: 2 },
      { ...GKE_CLUSTER, name: 'asm-gke-2', wave: 1 },
      { ...ISTIO_ON_GKE_CLUSTER, wave: 1 },
    ],
  });
}
/** The clusters with an ASM control plane (and so with key material); the add-on cluster has neither. */
const CLUSTERS = ['asm-gke', 'asm-existing', 'asm-onprem', 'asm-gke-2'];
const ALL_CLUSTERS = [...CLUSTERS, 'istio-addon'];

/** A directory of OUT as the controller names it (`fleet/mesh/asm-gke/crds`, optionally `./`). */
function outDir(out: string, repoPath: string): string {
  const rel = repoPath.replace(/^\.\//, '');
  expect(rel.startsWith(`${REPO_PATH}/`)).toBe(true);
  const dir = path.join(out, rel.slice(REPO_PATH.length + 1));
  expect(existsSync(dir) && statSync(dir).isDirectory()).toBe(true);
  return dir;
}

/** What GitOps must never apply to the mesh cluster. */
function expectOnlyMeshObjects(objects: readonly Obj[]): void {
  for (const o of objects) {
    expect(o.kind).not.toBe('IstioControlPlane');
    expect(o.apiVersion).not.toMatch(/cnrm\.cloud\.google\.com/);
    expect(o.kind).not.toBe('Secret');
    expect(o.metadata.annotations?.['config.kubernetes.io/local-config']).toBeUndefined();
    expect(o.kind === 'ClusterRoleBinding' && /admin/.test(o.metadata.name) && o.roleRef?.name === 'cluster-admin').toBe(false);
  }
}

/** Every kept Secret of secrets/ comes back from its SealedSecret, byte for byte. */
function expectSealedEqualsKept(out: string, cluster: string, pair: SealingPair): void {
  const sealed = yamlObjects(path.join(out, cluster, 'in-cluster/05-sealed-secrets.yaml'));
  const kept = filesBelow(path.join(out, cluster, 'secrets'))
    .filter((f) => f.endsWith('.yaml'))
    .flatMap((f) => yamlObjects(path.join(out, cluster, 'secrets', f)));
  expect(kept.length).toBeGreaterThan(0);
  expect(sealed.map((s) => s.metadata.name).sort()).toEqual(kept.map((k) => k.metadata.name).sort());
  for (const secret of kept) {
    const s = sealed.find((x) => x.metadata.name === secret.metadata.name)!;
    const opened = unseal(pair.privateKey, s as never) as Obj;
    expect(opened).toEqual(secret);
    for (const key of Object.keys(secret.data)) expect(Buffer.from(opened.data[key], 'base64').equals(Buffer.from(secret.data[key], 'base64'))).toBe(true);
  }
}

/** No private key, in PEM or base64, anywhere outside secrets/. */
function expectNoKeysOutsideSecrets(out: string): void {
  const all = filesBelow(out);
  const needles = all.filter((f) => /(^|\/)(ca-key|key)\.pem$/.test(f)).flatMap((f) => keyNeedles(readFileSync(path.join(out, f), 'utf8')));
  expect(needles.length).toBeGreaterThan(0);
  for (const f of all.filter((f) => !f.split('/').includes('secrets'))) {
    const text = readFileSync(path.join(out, f), 'utf8');
    expect(PEM_PRIVATE_KEY.test(text)).toBe(false);
    for (const n of needles) expect(text.includes(n)).toBe(false);
  }
}

const WAVE_ANNOTATION = 'argocd.argoproj.io/sync-wave';
const DEPENDS_ON = 'config.kubernetes.io/depends-on';

let pair: SealingPair;
const outs = {} as Record<Engine, string>;
beforeAll(async () => {
  pair = await sealingPair();
  for (const engine of ENGINES) {
    const dir = tempDir();
    writeFileSync(path.join(dir, 'seal.pem'), pair.certPem);
    writeFileSync(path.join(dir, 'asmpkg.yaml'), fleet(engine, { mode: 'sealed', sealingCertificate: 'seal.pem' }));
    const r = await run(['synth', '-c', 'asmpkg.yaml', '-o', 'out', '--quiet'], dir);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    outs[engine] = path.join(dir, 'out');
  }
}, 240_000);

describe.each(ENGINES)('%s with sealed secrets', (engine) => {
  test('sealed Secrets open to exactly the kept Secrets; no private key outside secrets/', () => {
    const out = outs[engine];
    for (const c of CLUSTERS) expectSealedEqualsKept(out, c, pair);
    expectNoKeysOutsideSecrets(out);
  });

  test('every controller object and SealedSecret validates against its schema', () => {
    const out = outs[engine];
    const gitops = filesBelow(path.join(out, 'gitops', engine)).filter((f) => f.endsWith('.yaml') && !f.endsWith('kustomization.yaml'));
    const objects = gitops.flatMap((f) => yamlObjects(path.join(out, 'gitops', engine, f)));
    expect(objects.length).toBeGreaterThan(0);
    const sealed = CLUSTERS.flatMap((c) => yamlObjects(path.join(out, c, 'in-cluster/05-sealed-secrets.yaml')));
    if (engine === 'configsync') {
      for (const o of objects) expect(rootSyncSchema.safeParse(o).error?.issues ?? []).toEqual([]);
      expect(modelProblems(sealed)).toEqual([]);
    } else {
      expect(modelProblems([...objects, ...sealed])).toEqual([]);
    }
    // The checker is real: a wrong field is caught.
    expect(modelProblems([{ ...sealed[0], spec: { ...sealed[0].spec, encryptedData: 'x' } }])).toHaveLength(1);
  });
});

describe('argocd', () => {
  test('one ApplicationSet: an element per cluster at its directory, RollingSync by wave, destination name', () => {
    const out = outs.argocd;
    const [set, ...rest] = yamlObjects(path.join(out, 'gitops/argocd/application-set.yaml'));
    expect(rest).toEqual([]);
    expect(set.kind).toBe('ApplicationSet');
    const elements = set.spec.generators[0].list.elements as { cluster: string; destination: string; path: string; wave: string }[];
    expect(elements.map((e) => e.cluster)).toEqual(ALL_CLUSTERS);
    expect(elements.find((e) => e.cluster === 'asm-existing')!.destination).toBe('prod-east');
    expect(elements.find((e) => e.cluster === 'asm-gke')!.destination).toBe('asm-gke');
    expect(set.spec.strategy.type).toBe('RollingSync');
    expect(set.spec.strategy.rollingSync.steps.map((s: any) => s.matchExpressions[0].values)).toEqual([['0'], ['1'], ['2']]);
    expect(set.spec.template.metadata.labels['asmpkg.dev/wave']).toBe('{{wave}}');
    expect(set.spec.template.spec.source).toEqual({ repoURL: 'https://git.example.com/platform/mesh.git', targetRevision: 'main', path: '{{path}}' });
    for (const e of elements) {
      const objects = kustomize(outDir(out, e.path));
      expectOnlyMeshObjects(objects);
      // Sync waves: CRDs, then namespace and Secrets, then the control plane, then the policies.
      const wave = (o: Obj) => Number(o.metadata.annotations?.[WAVE_ANNOTATION]);
      for (const o of objects) expect(Number.isInteger(wave(o))).toBe(true);
      if (!CLUSTERS.includes(e.cluster)) {
        expect(objects.map((o) => `${o.kind} ${o.metadata.name}`)).toEqual(['Namespace default', 'Namespace shop']);
        continue;
      }
      const of = (pick: (o: Obj) => boolean) => objects.filter(pick).map(wave);
      expect(new Set(of((o) => o.kind === 'CustomResourceDefinition'))).toEqual(new Set([0]));
      expect(new Set(of((o) => o.kind === 'Namespace' || o.kind === 'SealedSecret'))).toEqual(new Set([1]));
      expect(new Set(of((o) => o.kind === 'Deployment' || o.kind === 'DaemonSet' || o.kind === 'ConfigMap'))).toEqual(new Set([2]));
      expect(new Set(of((o) => o.kind === 'MeshPolicy'))).toEqual(new Set([3]));
      expect(objects.filter((o) => o.kind === 'SealedSecret').length).toBeGreaterThan(0);
    }
  });
});

describe('flux', () => {
  test('a GitRepository and per cluster Kustomizations chained crds → in-cluster, waves gated, every path a real directory', () => {
    const out = outs.flux;
    const dir = path.join(out, 'gitops/flux');
    const files = filesBelow(dir);
    const all = files.filter((f) => f !== 'gate/kustomization.yaml').flatMap((f) => yamlObjects(path.join(dir, f)));
    const repo = all.find((o) => o.kind === 'GitRepository')!;
    expect(repo.spec).toMatchObject({ url: 'https://git.example.com/platform/mesh.git', ref: { branch: 'main' } });
    const ks = all.filter((o) => o.kind === 'Kustomization');
    const names = new Set(ks.map((k) => k.metadata.name));
    for (const k of ks) {
      expect(k.spec.sourceRef).toEqual({ kind: 'GitRepository', name: repo.metadata.name });
      for (const d of k.spec.dependsOn ?? []) expect(names.has(d.name)).toBe(true);
      const objects = kustomizePlainDir(outDir(out, k.spec.path));
      expectOnlyMeshObjects(objects);
    }
    for (const c of CLUSTERS) {
      const crds = ks.find((k) => k.metadata.name === `asm-${c}-crds`)!;
      const mesh = ks.find((k) => k.metadata.name === `asm-${c}-in-cluster`)!;
      expect(crds.spec.path).toBe(`./${REPO_PATH}/${c}/crds`);
      expect(mesh.spec.path).toBe(`./${REPO_PATH}/${c}/in-cluster`);
      expect(mesh.spec.dependsOn).toEqual([{ name: crds.metadata.name }]);
      expect(crds.spec.wait && mesh.spec.wait).toBe(true);
      expect(kustomizePlainDir(outDir(out, crds.spec.path)).every((o) => o.kind === 'CustomResourceDefinition')).toBe(true);
      const inCluster = kustomizePlainDir(outDir(out, mesh.spec.path)).map((o) => o.kind);
      expect(inCluster).toEqual(expect.arrayContaining(['Namespace', 'SealedSecret', 'Deployment']));
      // the policies (policies/) once the control plane is up
      const policies = ks.find((k) => k.metadata.name === `asm-${c}-policies`)!;
      expect(policies.spec.path).toBe(`./${REPO_PATH}/${c}/policies`);
      expect(policies.spec.dependsOn).toEqual([{ name: mesh.metadata.name }]);
      expect(kustomizePlainDir(outDir(out, policies.spec.path)).map((o) => o.kind)).toContain('MeshPolicy');
    }
    expect(ks.find((k) => k.metadata.name === 'asm-asm-existing-crds')!.spec.kubeConfig).toEqual({ secretRef: { name: 'prod-east' } });
    expect(ks.find((k) => k.metadata.name === 'asm-asm-gke-crds')!.spec.kubeConfig).toEqual({ secretRef: { name: 'asm-gke-kubeconfig' } });
    // Wave 0 starts at once; wave 1 waits for wave 0's last stage, wave 2 for wave 1's.
    expect(ks.find((k) => k.metadata.name === 'asm-asm-existing-crds')!.spec.dependsOn).toBeUndefined();
    expect(ks.find((k) => k.metadata.name === 'asm-asm-gke-crds')!.spec.dependsOn).toEqual([{ name: 'asm-wave-1' }]);
    expect(ks.find((k) => k.metadata.name === 'asm-wave-1')!.spec.dependsOn).toEqual([{ name: 'asm-asm-existing-policies' }]);
    expect(ks.find((k) => k.metadata.name === 'asm-wave-2')!.spec.dependsOn).toEqual([
      { name: 'asm-asm-gke-policies' },
      { name: 'asm-asm-gke-2-policies' },
      { name: 'asm-istio-addon-namespaces' },
    ]);
    // The add-on cluster: only its application namespaces' injection labels, never pruned.
    const addon = ks.filter((k) => k.metadata.name.startsWith('asm-istio-addon-'));
    expect(addon.map((k) => k.spec.path)).toEqual([`./${REPO_PATH}/istio-addon/namespaces`]);
    expect(addon[0].spec.dependsOn).toEqual([{ name: 'asm-wave-1' }]);
    expect(kustomize(outDir(out, ks.find((k) => k.metadata.name === 'asm-wave-1')!.spec.path))).toEqual([]);
  });
});

describe('configsync', () => {
  test('a RootSync per cluster (unstructured) on a directory whose depends-on annotations order the stages', () => {
    const out = outs.configsync;
    const files = filesBelow(path.join(out, 'gitops/configsync'));
    expect(files).toEqual(['wave-0/asm-existing.yaml', 'wave-1/asm-gke-2.yaml', 'wave-1/asm-gke.yaml', 'wave-1/istio-addon.yaml', 'wave-2/asm-onprem.yaml']);
    for (const f of files) {
      const [rs, ...rest] = yamlObjects(path.join(out, 'gitops/configsync', f));
      expect(rest).toEqual([]);
      expect(rs.spec.sourceFormat).toBe('unstructured');
      expect(rs.spec.git.dir).toBe(`${REPO_PATH}/${path.basename(f, '.yaml')}`);
      const objects = kustomize(outDir(out, rs.spec.git.dir));
      expectOnlyMeshObjects(objects);
      const refOf = (o: Obj) => {
        const group = o.apiVersion.includes('/') ? o.apiVersion.split('/')[0] : '';
        return o.metadata.namespace ? `${group}/namespaces/${o.metadata.namespace}/${o.kind}/${o.metadata.name}` : `${group}/${o.kind}/${o.metadata.name}`;
      };
      const refs = new Set(objects.map(refOf));
      const deps = (o: Obj) => (o.metadata.annotations?.[DEPENDS_ON] ?? '').split(',').filter(Boolean);
      // Every dependency is an object of the same sync.
      for (const o of objects) for (const d of deps(o)) expect(refs.has(d)).toBe(true);
      const sealed = objects.filter((o) => o.kind === 'SealedSecret').map(refOf);
      if (f.endsWith('istio-addon.yaml')) {
        // Namespaces asmpkg labels but does not own are left in place when they leave the repository.
        expect(objects.map((o) => [o.kind, o.metadata.annotations?.['client.lifecycle.config.k8s.io/deletion']])).toEqual([
          ['Namespace', 'detach'],
          ['Namespace', 'detach'],
        ]);
        continue;
      }
      expect(sealed.length).toBeGreaterThan(0);
      for (const d of objects.filter((o) => o.kind === 'Deployment')) expect(deps(d).sort()).toEqual(sealed.sort());
      const workloads = objects.filter((o) => o.kind === 'Deployment' || o.kind === 'DaemonSet').map(refOf);
      for (const p of objects.filter((o) => o.kind === 'MeshPolicy')) expect(deps(p).sort()).toEqual(workloads.sort());
      for (const o of objects.filter((o) => o.kind === 'CustomResourceDefinition' || o.kind === 'Namespace')) expect(deps(o)).toEqual([]);
    }
  });
});

test('re-rendering after a config change keeps every sealed value (no Git churn); a new certificate reseals', async () => {
  const out = outs.argocd;
  const dir = path.dirname(out);
  const sealedBefore = CLUSTERS.map((c) => readFileSync(path.join(out, c, 'in-cluster/05-sealed-secrets.yaml'), 'utf8'));
  writeFileSync(path.join(dir, 'asmpkg.yaml'), fleet('argocd', { mode: 'sealed', sealingCertificate: 'seal.pem' }) + '# changed\n');
  expect((await run(['synth', '-c', 'asmpkg.yaml', '-o', 'out', '--quiet'], dir)).code).toBe(0);
  expect(CLUSTERS.map((c) => readFileSync(path.join(out, c, 'in-cluster/05-sealed-secrets.yaml'), 'utf8'))).toEqual(sealedBefore);

  const next = await sealingPair();
  writeFileSync(path.join(dir, 'seal.pem'), next.certPem);
  // Same config text: the certificate is an input of the output, so this is not "up to date".
  expect((await run(['synth', '-c', 'asmpkg.yaml', '-o', 'out', '--quiet'], dir)).code).toBe(0);
  for (const [i, c] of CLUSTERS.entries()) {
    expect(readFileSync(path.join(out, c, 'in-cluster/05-sealed-secrets.yaml'), 'utf8')).not.toBe(sealedBefore[i]);
    expectSealedEqualsKept(out, c, next);
  }
}, 120_000);
