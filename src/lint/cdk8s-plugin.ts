import { InputFileError, INPUT_CAPS, readTextFileSync } from '../util/input-file';
import { escapeControls } from '../util/text';
import { MATRIX_PROFILES } from '../catalog/support-matrix';
import type { AsmProfile as Profile } from '../catalog/profiles';
import { fails, lintText } from './engine';
import type { LintFinding, Severity } from './model';

/**
 * A cdk8s validation plugin running `asmpkg lint`'s rules on what `cdk8s synth` wrote.
 *
 * cdk8s-cli loads it from `cdk8s.yaml`; a local path must start with `./` and `version`
 * must equal this package's package.json version (cdk8s-cli checks it), e.g.:
 *
 *   validations:
 *     - package: ./lib/lint/cdk8s-plugin.js
 *       class: AsmSupportValidation
 *       version: 0.1.0
 *       properties:
 *         profile: onprem        # gke (default), gke-istioctl, onprem
 *         failOn: warning        # or error: report warnings without failing synth
 *
 * cdk8s-cli is not a dependency, so its plugin types are restated below (only the
 * members used); they match cdk8s-cli's `plugins/validation.ts`.
 */

/** cdk8s-cli `ValidationViolatingResource`. */
export interface ValidationViolatingResource {
  readonly resourceName: string;
  readonly locations: string[];
  readonly manifestPath: string;
}

/** cdk8s-cli `ValidationViolation`. */
export interface ValidationViolation {
  readonly ruleName: string;
  readonly recommendation: string;
  readonly fix: string;
  readonly violatingResources: ValidationViolatingResource[];
}

/** The members of cdk8s-cli's `ValidationContext` a plugin uses. */
export interface ValidationContext {
  readonly manifests: string[];
  readonly report: {
    addViolation(violation: ValidationViolation): void;
    submit(status: 'success' | 'failure', metadata?: { [key: string]: string }): void;
  };
  readonly logger: { log(message: string): void };
}

/** cdk8s-cli `Validation`. */
export interface Validation {
  validate(context: ValidationContext): Promise<void>;
}

/** `properties:` of the cdk8s.yaml entry. */
export interface AsmSupportValidationProps {
  /** @default 'gke' */
  readonly profile?: string;
  /** @default 'warning' */
  readonly failOn?: string;
}

export class AsmSupportValidation implements Validation {
  private readonly profile: Profile;
  private readonly failOn: Severity;

  constructor(props: AsmSupportValidationProps = {}) {
    const profile = props.profile ?? 'gke';
    if (!MATRIX_PROFILES.includes(profile as Profile)) throw new Error(`AsmSupportValidation: profile must be one of ${MATRIX_PROFILES.join(', ')}, got "${profile}"`);
    const failOn = props.failOn ?? 'warning';
    if (failOn !== 'warning' && failOn !== 'error') throw new Error(`AsmSupportValidation: failOn must be warning or error, got "${failOn}"`);
    this.profile = profile as Profile;
    this.failOn = failOn;
  }

  async validate(context: ValidationContext): Promise<void> {
    const findings: LintFinding[] = [];
    let unreadable = false;
    for (const manifest of context.manifests) {
      let text: string;
      try {
        text = readTextFileSync(manifest, manifest, { maxBytes: INPUT_CAPS.manifest, what: 'a manifest file' });
      } catch (e) {
        unreadable = true;
        context.logger.log(escapeControls(e instanceof InputFileError ? e.message : `${manifest}: cannot be read`));
        continue;
      }
      const result = lintText(text, manifest, { profile: this.profile });
      findings.push(...result.findings);
      for (const e of result.errors) {
        unreadable = true;
        context.logger.log(escapeControls(`${e.file}:${e.line ?? 0}: ${e.message}`));
      }
    }
    for (const violation of violations(findings)) context.report.addViolation(violation);
    const failed = unreadable || findings.some((f) => fails(f, this.failOn));
    context.report.submit(failed ? 'failure' : 'success', { profile: this.profile });
  }
}

/** One violation per rule, listing each resource with the lines it breaks the rule on. */
export function violations(findings: readonly LintFinding[]): ValidationViolation[] {
  const byRule = new Map<string, LintFinding[]>();
  for (const f of findings) byRule.set(f.rule, [...(byRule.get(f.rule) ?? []), f]);
  return [...byRule.entries()].map(([rule, group]) => {
    const byResource = new Map<string, ValidationViolatingResource & { locations: string[] }>();
    for (const f of group) {
      const resourceName = f.name ?? '(unnamed)';
      const key = `${f.file}\u0000${f.kind}\u0000${f.namespace ?? ''}\u0000${resourceName}`;
      const entry = byResource.get(key) ?? { resourceName, manifestPath: f.file, locations: [] };
      entry.locations.push(`line ${f.line}: ${f.field} (${f.severity}: ${f.message})`);
      byResource.set(key, entry);
    }
    return {
      ruleName: rule,
      recommendation: `${group[0].reason} (ASM 1.4 support matrix, feature ${rule})`,
      fix: group[0].fix,
      violatingResources: [...byResource.values()],
    };
  });
}
