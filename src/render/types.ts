/** One file of a rendered package, relative to the cluster's output directory. */
export interface RenderedFile {
  /** POSIX path relative to `OUT/<cluster>/`, e.g. `in-cluster/20-pilot.yaml`. */
  readonly path: string;
  readonly content: string;
  /** File mode; 0o600 for secrets, 0o644 otherwise. */
  readonly mode?: number;
  /** Holds key material: written only to the secrets directory, never printed. */
  readonly secret?: boolean;
}
