import { PACKAGE_DIRS } from '../catalog/layout';

/**
 * The order a GitOps controller applies a package in, as stages: the CRDs; the
 * namespace and the Secrets the components mount; the control plane; and last the
 * mesh's policies, which are Istio config objects that galley validates and pilot
 * serves, so they go in once the control plane is up.
 */
export const STAGES = ['crds', 'secrets', 'control-plane', 'policies'] as const;
export type Stage = (typeof STAGES)[number];

/** The package directories GitOps applies, by the layout's names; everything else is applied elsewhere or not at all. */
const APPLIED_DIRS: readonly string[] = [PACKAGE_DIRS.crds, PACKAGE_DIRS.inCluster, PACKAGE_DIRS.policies, PACKAGE_DIRS.namespaces];

/**
 * Directories GitOps never applies to the mesh cluster: Config Connector resources
 * (they declare the cluster, applied where Config Connector runs), the IstioControlPlane
 * (local config, anthoscli/istioctl input), the cluster-admin grant for a person, and
 * secrets/ (key material, never in Git; its Secrets reach the cluster sealed or external).
 */
export function isApplied(filePath: string): boolean {
  const dir = filePath.split('/')[0];
  return filePath.includes('/') && APPLIED_DIRS.includes(dir);
}

interface Manifest {
  readonly apiVersion?: string;
  readonly kind?: string;
}

const SECRET_STAGE_KINDS = new Set(['Namespace', 'Secret', 'SealedSecret', 'ExternalSecret']);

/** The stage of one object of an applied file. */
export function stageOf(filePath: string, manifest: Manifest): Stage {
  if (manifest.kind === 'CustomResourceDefinition') return 'crds';
  if (filePath.startsWith(`${PACKAGE_DIRS.policies}/`)) return 'policies';
  if (manifest.kind !== undefined && SECRET_STAGE_KINDS.has(manifest.kind)) return 'secrets';
  // Istio's own config objects (MeshPolicy, Policy, DestinationRule, ...) need the control plane.
  if (/^[a-z.]+\.istio\.io\//.test(manifest.apiVersion ?? '')) return 'policies';
  return 'control-plane';
}

/** Stage number, from 0 (CRDs). */
export function stageIndex(stage: Stage): number {
  return STAGES.indexOf(stage);
}

/**
 * The directories of a cluster's package a directory-based controller (Flux) applies,
 * each with the stage it stands for, in order. A directory holds one or more stages:
 * in-cluster/ holds the namespace, the Secrets and the control plane; the controller
 * orders kinds within it.
 */
export function stageDirs(files: readonly string[]): { readonly dir: string; readonly stage: Stage }[] {
  const present = new Set(files.filter(isApplied).map((f) => f.split('/')[0]));
  const order: [string, Stage][] = [
    [PACKAGE_DIRS.crds, 'crds'],
    [PACKAGE_DIRS.inCluster, 'control-plane'],
    [PACKAGE_DIRS.policies, 'policies'],
    // Application namespaces' injection labels: once the injector is there.
    [PACKAGE_DIRS.namespaces, 'policies'],
  ];
  return order.filter(([dir]) => present.has(dir)).map(([dir, stage]) => ({ dir, stage }));
}
