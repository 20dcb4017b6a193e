import type { GitopsEngine } from '../catalog/gitops';
import { GITOPS_DIR } from '../config/gitops';
import type { GitopsSpec } from '../config/model';
import type { RenderedFile } from '../render/types';
import { argocd } from './engines/argocd';
import { configsync } from './engines/configsync';
import { flux } from './engines/flux';
import type { EngineEmitter, FleetCluster } from './engines/types';

export type { FleetCluster } from './engines/types';

const EMITTERS: Record<GitopsEngine, EngineEmitter> = { argocd, flux, configsync };

/** The fleet's controller objects, paths relative to OUT: `gitops/<engine>/...`. */
export function gitopsFiles(gitops: GitopsSpec, clusters: readonly FleetCluster[]): RenderedFile[] {
  return EMITTERS[gitops.engine](gitops, clusters).map((f) => ({ ...f, path: `${GITOPS_DIR}/${gitops.engine}/${f.path}` }));
}
