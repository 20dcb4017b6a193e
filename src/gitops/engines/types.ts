import type { GitopsSpec } from '../../config/model';
import type { RenderedFile } from '../../render/types';

/** What an engine needs to know of each cluster of the fleet. */
export interface FleetCluster {
  readonly name: string;
  readonly wave: number;
  readonly destination?: string;
  /** The package's files, relative to the cluster's directory. */
  readonly files: readonly string[];
}

/** An engine writes its controller objects for the whole fleet; paths relative to OUT/gitops/<engine>/. */
export type EngineEmitter = (gitops: GitopsSpec, clusters: readonly FleetCluster[]) => RenderedFile[];

/** A directory of OUT as the repository names it: `PATH/sub` (just `sub` when OUT is the repository's root). */
export function repoPath(gitops: GitopsSpec, ...parts: string[]): string {
  return [gitops.path === '.' ? undefined : gitops.path, ...parts].filter(Boolean).join('/');
}

/** The waves of a fleet, lowest first. */
export function wavesOf(clusters: readonly FleetCluster[]): number[] {
  return [...new Set(clusters.map((c) => c.wave))].sort((a, b) => a - b);
}
