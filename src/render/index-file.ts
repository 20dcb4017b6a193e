import { sha256 } from './fingerprint';
import type { RenderedFile } from './types';
import { stringifyYaml } from './serialize';

export { INDEX_FILE, sha256 } from './fingerprint';

/** One cluster's entry in OUT/index.yaml. */
export interface IndexCluster {
  readonly name: string;
  readonly profile: string;
  readonly files: readonly IndexedFile[];
}

/** A written file as the index records it: path relative to OUT, digest, whether it holds key material. */
export interface IndexedFile {
  readonly path: string;
  readonly sha256: string;
  readonly secret?: boolean;
}

/** How the index records a file (path relative to OUT); the content itself is not kept. */
export function indexedFile(file: RenderedFile): IndexedFile {
  return { path: file.path, sha256: sha256(file.content), ...(file.secret ? { secret: true } : {}) };
}

/** An input the output depends on besides the config (a user's CA files). */
export interface IndexInput {
  readonly path: string;
  readonly sha256: string;
}

/**
 * OUT/index.yaml: every cluster, its profile and files with their sha256, for pipelines
 * and for the next run. Its first line carries the fingerprint of everything the output
 * was rendered from, so a re-run with the same inputs can tell it has nothing to do
 * without loading the renderer.
 */
export function renderIndex(fingerprint: string, generator: string, clusters: readonly IndexCluster[], inputs: readonly IndexInput[]): string {
  const body = {
    generator,
    fingerprint,
    inputs: inputs.map((i) => ({ path: i.path, sha256: i.sha256 })),
    clusters: clusters.map((c) => ({
      name: c.name,
      profile: c.profile,
      files: c.files.map((f) => ({ path: f.path, sha256: f.sha256, ...(f.secret ? { secret: true } : {}) })),
    })),
  };
  return `# fingerprint: ${fingerprint}\n` + stringifyYaml(body);
}
