import { stringify } from 'yaml';

/** YAML output settings: no line folding, no anchors, so files diff and apply cleanly. */
export const YAML_OPTIONS = { lineWidth: 0, aliasDuplicateObjects: false } as const;

/** A multi-document YAML file with an optional header comment. */
export function toYamlFile(manifests: readonly unknown[], header?: string): string {
  const head = header ? header.split('\n').map((l) => `# ${l}`.trimEnd()).join('\n') + '\n' : '';
  return head + manifests.map((m) => stringify(m, YAML_OPTIONS)).join('---\n');
}
