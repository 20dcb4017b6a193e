import { dump } from 'js-yaml';

/**
 * YAML output settings: no line folding, no anchors, so files diff and apply cleanly;
 * single quotes where quoting is needed (JSON values stay readable). js-yaml's compatibility mode (the default)
 * also quotes YAML 1.1 booleans such as `on` and `yes`, which Kubernetes' YAML 1.1
 * reader would otherwise read as booleans.
 */
export const YAML_OPTIONS = { lineWidth: -1, noRefs: true } as const;

/**
 * A value as YAML text. Output goes through js-yaml because it is several times faster
 * than the `yaml` package's stringifier, which matters for fleets; `yaml` stays the
 * parser and the comment-keeping editor (setters, config errors with line numbers).
 */
export function stringifyYaml(value: unknown): string {
  return dump(value, YAML_OPTIONS);
}
