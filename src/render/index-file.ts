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
export function renderIndex(fingerprint: string, generator: string, clusters: readonly IndexCluster[], inputs: readonly IndexInput[], gitops: readonly IndexedFile[] = []): string {
  const body = {
    generator,
    fingerprint,
    inputs: inputs.map((i) => ({ path: i.path, sha256: i.sha256 })),
    clusters: clusters.map((c) => ({
      name: c.name,
      profile: c.profile,
      files: c.files.map((f) => ({ path: f.path, sha256: f.sha256, ...(f.secret ? { secret: true } : {}) })),
    })),
    // The fleet's GitOps controller objects (OUT/gitops/), after the clusters.
    ...(gitops.length > 0 ? { gitops: gitops.map((f) => ({ path: f.path, sha256: f.sha256 })) } : {}),
  };
  return `# fingerprint: ${fingerprint}\n` + stringifyYaml(body);
}

/** What a run uses of the previous run's index. */
export interface PreviousIndex {
  /** Its cluster directories. */
  readonly clusters: readonly string[];
  /**
   * By cluster, the sha256 of each PEM file of its secrets/, by path below secrets/
   * (`ca-key.pem`, `galley/key.pem`): the key material that run generated or fully
   * validated. Empty when the index is another version's.
   */
  readonly secrets: ReadonlyMap<string, Readonly<Record<string, string>>>;
  /** Whether it lists GitOps controller objects (OUT/gitops/). */
  readonly gitops?: boolean;
  /**
   * By cluster, the PEM files of its secrets/ the index lists (paths below secrets/),
   * whichever version wrote it: key material that existed, which a run must not silently
   * replace when it has gone missing (a fresh clone, where secrets/ is git-ignored).
   */
  readonly keyFiles: ReadonlyMap<string, readonly string[]>;
}

/**
 * Reads an index {@link renderIndex} wrote, with regexes rather than a YAML parser: for a
 * large fleet it is megabytes, and only a few lines matter. Whatever it cannot make out
 * (garbage, a hand edit) simply records less, and key material not recorded is fully
 * validated.
 */
export function parsePreviousIndex(text: string, generator: string): PreviousIndex {
  const clusters = [...text.matchAll(/^ {2}- name: ([a-z0-9-]+)$/gm)].map((m) => m[1]);
  const secrets = new Map<string, Record<string, string>>();
  const gitops = /^gitops:$/m.test(text);
  const keyFiles = new Map<string, string[]>();
  const clustersAt = text.indexOf('\nclusters:');
  if (clustersAt === -1) return { clusters, secrets, gitops, keyFiles };
  // Another version may have accepted key material this one refuses: its record vouches for nothing.
  const vouches = /^generator: (.*)$/m.exec(text)?.[1] === generator;
  // Only the PEM files, the ones read back: the record is copied to every render worker.
  for (const m of text.slice(clustersAt).matchAll(/^ *- path: ([a-z0-9-]+)\/secrets\/([^\s/]+(?:\/[^\s/]+)?\.pem)\n *sha256: ([0-9a-f]{64})$/gm)) {
    const [, cluster, file, digest] = m;
    let files = keyFiles.get(cluster);
    if (!files) keyFiles.set(cluster, (files = []));
    files.push(file);
    if (!vouches) continue;
    let recorded = secrets.get(cluster);
    if (!recorded) secrets.set(cluster, (recorded = {}));
    recorded[file] = digest;
  }
  return { clusters, secrets, gitops, keyFiles };
}
