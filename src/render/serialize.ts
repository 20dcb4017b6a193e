import { stringifyYaml } from '../util/yaml';

export { YAML_OPTIONS, stringifyYaml } from '../util/yaml';

/**
 * Most manifests are the same in every cluster (CRDs, RBAC, webhooks), and YAML
 * serialisation is the largest cost of rendering a fleet; a manifest's JSON text is a
 * cheap, exact key for its YAML text. Bounded so a huge fleet cannot grow it without limit.
 */
const cache = new Map<string, string>();
const CACHE_LIMIT = 5000;

export function manifestYaml(manifest: unknown): string {
  const key = JSON.stringify(manifest);
  let text = cache.get(key);
  if (text === undefined) {
    text = stringifyYaml(manifest);
    if (cache.size >= CACHE_LIMIT) cache.clear();
    cache.set(key, text);
  }
  return text;
}

/** A multi-document YAML file with an optional header comment. */
export function toYamlFile(manifests: readonly unknown[], header?: string): string {
  const head = header ? header.split('\n').map((l) => `# ${l}`.trimEnd()).join('\n') + '\n' : '';
  return head + manifests.map(manifestYaml).join('---\n');
}
