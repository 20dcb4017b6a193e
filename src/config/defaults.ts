/**
 * `defaults:` in a config is merged into every cluster; the cluster's own values win.
 * Mappings merge key by key; lists and scalars are replaced whole, so a cluster can
 * always state exactly what it wants.
 */
export function mergeDefaults(defaults: unknown, cluster: unknown): unknown {
  if (!isMapping(defaults) || !isMapping(cluster)) return cluster === undefined ? defaults : cluster;
  const out: Record<string, unknown> = {};
  // defineProperty, not assignment: a key named `__proto__` must stay an own (and so
  // refusable) field instead of replacing the object's prototype.
  const put = (key: string, value: unknown) => Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
  for (const [key, value] of Object.entries(defaults)) put(key, value);
  for (const [key, value] of Object.entries(cluster)) {
    put(key, Object.prototype.hasOwnProperty.call(defaults, key) ? mergeDefaults(defaults[key], value) : value);
  }
  return out;
}

export function isMapping(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Whether `path` is present in a (raw) value; tells a cluster's own field from a default. */
export function hasPath(value: unknown, path: readonly (string | number)[]): boolean {
  let cur = value;
  for (const part of path) {
    if (Array.isArray(cur) && typeof part === 'number') cur = cur[part];
    else if (isMapping(cur) && typeof part === 'string' && Object.prototype.hasOwnProperty.call(cur, part)) cur = cur[part];
    else return false;
  }
  return true;
}
