import { ARGOCD, CONFIG_SYNC, KUSTOMIZE } from '../catalog/gitops';
import type { GitopsEngine } from '../catalog/gitops';
import { isApplied, Stage, stageIndex, stageOf, STAGES } from './stages';

/**
 * What GitOps changes in a cluster's package: each applied object carries its stage in
 * the annotation its engine orders by, and the package root gets a kustomization.yaml
 * listing exactly the files GitOps applies (never config-connector/, control-plane/,
 * bootstrap/ or secrets/).
 */

/** One file of a package before serialisation. */
export interface ManifestFile {
  readonly path: string;
  readonly header?: string;
  readonly manifests: unknown[];
}

interface Obj {
  apiVersion?: string;
  kind?: string;
  metadata?: { name?: string; namespace?: string; annotations?: Record<string, string> };
}

/** The package root's kustomization.yaml: where Argo CD and Config Sync point. */
export const CLUSTER_KUSTOMIZATION = 'kustomization.yaml';

/** Workload kinds whose readiness is the control plane's: the policies wait for them. */
const WORKLOAD_KINDS = new Set(['Deployment', 'DaemonSet', 'StatefulSet']);

/** Config Sync's object reference: `GROUP/namespaces/NS/KIND/NAME`, or `GROUP/KIND/NAME` cluster-scoped. */
export function dependsOnRef(o: Obj): string {
  const apiVersion = o.apiVersion ?? '';
  const group = apiVersion.includes('/') ? apiVersion.split('/')[0] : '';
  const ns = o.metadata?.namespace;
  return ns ? `${group}/namespaces/${ns}/${o.kind}/${o.metadata?.name}` : `${group}/${o.kind}/${o.metadata?.name}`;
}

function annotate(o: Obj, key: string, value: string): Obj {
  return { ...o, metadata: { ...o.metadata, annotations: { ...o.metadata?.annotations, [key]: value } } };
}

/**
 * Adds the engine's ordering annotations to a package's applied objects (new objects;
 * the input is not changed). Argo CD: a sync wave per stage. Config Sync: the control
 * plane depends on the Secrets it mounts, the policies on the control plane's
 * workloads (Config Sync orders CRDs before their objects and a namespace before its
 * objects by itself). Flux orders by directory (see the flux engine): nothing to add.
 */
export function orderForEngine(engine: GitopsEngine, files: readonly ManifestFile[]): ManifestFile[] {
  if (engine === 'flux') return [...files];
  const staged = files.map((f) => ({ file: f, stages: isApplied(f.path) ? f.manifests.map((m) => stageOf(f.path, m as Obj)) : undefined }));
  if (engine === 'argocd') {
    return staged.map(({ file, stages }) =>
      stages ? { ...file, manifests: file.manifests.map((m, i) => annotate(m as Obj, ARGOCD.syncWaveAnnotation, String(stageIndex(stages[i])))) } : file,
    );
  }
  // Objects Argo CD must never delete (namespaces asmpkg labels but does not own) are detached, not deleted, by Config Sync too.
  const keep = (m: Obj) => (m.metadata?.annotations?.[ARGOCD.syncOptionsAnnotation] ?? '').split(',').includes('Delete=false');
  const of = (stage: Stage, pick: (o: Obj) => boolean) =>
    staged.flatMap(({ file, stages }) => (stages ? file.manifests.filter((m, i) => stages[i] === stage && pick(m as Obj)).map((m) => dependsOnRef(m as Obj)) : []));
  const dependencies: Partial<Record<Stage, string>> = {
    'control-plane': of('secrets', (o) => o.kind !== 'Namespace').join(','),
    policies: of('control-plane', (o) => WORKLOAD_KINDS.has(o.kind ?? '')).join(','),
  };
  return staged.map(({ file, stages }) => {
    if (!stages) return file;
    return {
      ...file,
      manifests: file.manifests.map((m, i) => {
        const deps = dependencies[stages[i]];
        let o = m as Obj;
        if (deps) o = annotate(o, CONFIG_SYNC.dependsOnAnnotation, deps);
        if (keep(o)) o = annotate(o, CONFIG_SYNC.deletionAnnotation, CONFIG_SYNC.deletionDetach);
        return o;
      }),
    };
  });
}

/** The package root's kustomization.yaml: the applied files, stage by stage. */
export function clusterKustomization(files: readonly ManifestFile[]): ManifestFile {
  const rank = (f: ManifestFile) => Math.min(...f.manifests.map((m) => stageIndex(stageOf(f.path, m as Obj))), STAGES.length);
  const applied = files.filter((f) => isApplied(f.path) && f.manifests.length > 0);
  const ordered = applied.map((f) => ({ path: f.path, rank: rank(f) })).sort((a, b) => a.rank - b.rank || (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return {
    path: CLUSTER_KUSTOMIZATION,
    header: [
      'What a GitOps controller applies to this cluster, in stage order: CRDs, namespace and',
      'Secrets, control plane, policies. Not config-connector/ (applied where Config Connector',
      'runs), control-plane/ (anthoscli/istioctl input), bootstrap/ or secrets/ (never in Git).',
    ].join('\n'),
    manifests: [{ apiVersion: KUSTOMIZE.apiVersion, kind: KUSTOMIZE.kind, resources: ordered.map((f) => f.path) }],
  };
}
