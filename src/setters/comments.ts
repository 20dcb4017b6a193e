/**
 * The setter markers a field's line comment can carry:
 * - kpt v0 (setters2): `# {"$ref":"#/definitions/io.k8s.cli.setters.NAME"}`
 * - kustomize v1 setters (early 2020 packages): `# {"type":"string","x-kustomize":{"setter":{...}}}`
 *   or `{"x-kustomize":{"partialSetters":[{"name":..,"value":..}]}}`
 * - kpt v1 apply-setters: `# kpt-set: PATTERN` with `${name}` placeholders.
 */

export interface LegacySetter {
  name: string;
  value?: string;
}

export interface LegacyMeta {
  /** The whole parsed comment object; rewritten with updated recorded values. */
  readonly json: Record<string, unknown>;
  readonly type?: string;
  readonly setter?: LegacySetter;
  readonly partialSetters: readonly LegacySetter[];
}

export type SetterComment =
  | { readonly kind: 'ref'; readonly ref: string }
  | { readonly kind: 'legacy'; readonly meta: LegacyMeta }
  | { readonly kind: 'kpt-set'; readonly pattern: string }
  | { readonly kind: 'malformed'; readonly message: string };

/** kpt's own test: the line comment must start with exactly this (applysetters.SetterCommentIdentifier). */
export const KPT_SET = '# kpt-set: ';

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function legacySetter(v: unknown): LegacySetter | undefined {
  if (!isObject(v) || typeof v.name !== 'string') return undefined;
  return { name: v.name, value: typeof v.value === 'string' ? v.value : undefined };
}

/** Reads a line comment (from `#`); undefined when it carries no setter. */
export function parseSetterComment(comment: string | undefined): SetterComment | undefined {
  if (comment === undefined) return undefined;
  if (comment.startsWith(KPT_SET)) return { kind: 'kpt-set', pattern: comment.slice(KPT_SET.length).trim() };
  const body = comment.replace(/^#\s*/, '');
  if (!body.startsWith('{')) return undefined;
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    if (/"\$ref"|x-kustomize/.test(body)) return { kind: 'malformed', message: 'setter comment is not valid JSON' };
    return undefined;
  }
  if (!isObject(json)) return undefined;
  if (typeof json.$ref === 'string') return { kind: 'ref', ref: json.$ref };
  const ext = json['x-kustomize'];
  if (isObject(ext)) {
    const partial = Array.isArray(ext.partialSetters) ? ext.partialSetters.map(legacySetter) : [];
    if (partial.some((p) => p === undefined)) {
      return { kind: 'malformed', message: 'x-kustomize partialSetters entries need a "name"' };
    }
    return {
      kind: 'legacy',
      meta: {
        json,
        type: typeof json.type === 'string' ? json.type : undefined,
        setter: legacySetter(ext.setter),
        partialSetters: partial as LegacySetter[],
      },
    };
  }
  return undefined;
}

/** `${name}` placeholders of a kpt-set pattern, in order. */
export function patternNames(pattern: string): string[] {
  return [...pattern.matchAll(/\$\{([^}]*)\}/g)].map((m) => m[1].trim());
}
