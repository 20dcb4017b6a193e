/**
 * kpt reads setter values from the environment (internal/util/setters PerformSetters):
 * every variable `KPT_SET_<REST>=<value>` sets the setter named `strings.ToLower(REST)`.
 * No character is mapped (`_` stays `_`, there is no `.`/`-` translation); the whole
 * name is lower-cased, so a setter with capitals (e.g. `maxNodes`) cannot be reached
 * this way. We follow that rule and warn when a variable would have matched but for case.
 */
export const ENV_PREFIX = 'KPT_SET_';

export interface EnvValues {
  readonly values: Record<string, string>;
  /** Variable name per setter name, for messages. */
  readonly sources: Record<string, string>;
}

export function setterValuesFromEnv(env: Readonly<Record<string, string | undefined>> | undefined): EnvValues {
  const values: Record<string, string> = Object.create(null);
  const sources: Record<string, string> = Object.create(null);
  for (const [key, value] of Object.entries(env ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    if (!key.startsWith(ENV_PREFIX) || value === undefined) continue;
    const name = key.slice(ENV_PREFIX.length).toLowerCase();
    if (name === '') continue;
    values[name] = value;
    sources[name] = key;
  }
  return { values, sources };
}
