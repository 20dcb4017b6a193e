import type { AsmProfile as Profile } from '../catalog/profiles';

/**
 * `error`: the resource uses something ASM 1.4 does not support. `warning`: it may
 * still work, degraded (L7 protocols ASM only carries as TCP byte streams).
 */
export type Severity = 'error' | 'warning';

/** A Kubernetes object as read from a manifest, with where it came from. */
export interface LintResource {
  readonly apiVersion: string;
  /** API group (`networking.istio.io`), empty for the core group. */
  readonly group: string;
  readonly kind: string;
  readonly name?: string;
  readonly namespace?: string;
  /** The object itself, as plain JSON. */
  readonly body: Readonly<Record<string, unknown>>;
}

/** Where a rule found a problem inside a resource, and what it found. */
export interface LintHit {
  /** Field path inside the resource, e.g. `['spec', 'subsets', 0, 'trafficPolicy']`. */
  readonly path: readonly (string | number)[];
  /** What the resource does, phrased to be followed by the matrix reason. */
  readonly message: string;
}

/** One check of user manifests against one support matrix feature. */
export interface LintRule {
  /** The support matrix feature id; also the rule id users see. */
  readonly feature: string;
  readonly severity: Severity;
  /** What to do instead (cdk8s report "how to fix"). */
  readonly fix: string;
  readonly check: (resource: LintResource) => LintHit[];
}

export interface LintFinding {
  /** Rule id: the support matrix feature id. */
  readonly rule: string;
  readonly severity: Severity;
  readonly file: string;
  /** 1-based line of the offending field (or of the resource when it is the whole resource). */
  readonly line: number;
  readonly column: number;
  readonly apiVersion: string;
  readonly kind: string;
  readonly namespace?: string;
  readonly name?: string;
  /** Dotted field path inside the resource (`spec.trafficPolicy.loadBalancer.consistentHash`). */
  readonly field: string;
  readonly message: string;
  /** The matrix's reason. */
  readonly reason: string;
  readonly fix: string;
}

/** Input that could not be read: a missing file, or YAML that does not parse. */
export interface LintInputError {
  readonly file: string;
  readonly line?: number;
  readonly column?: number;
  readonly message: string;
}

export interface LintOptions {
  /** Whose statuses apply. @default 'gke' */
  readonly profile?: Profile;
}
