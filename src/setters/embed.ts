import { parseDocument } from 'yaml';

/**
 * Setter values that land inside a document embedded in a field: the sidecar
 * injector's `values` (JSON in a ConfigMap), the mesh config (YAML in a ConfigMap).
 * kpt substitutes text as is, so a `"` in `anthos.servicemesh.hub` ends the JSON
 * string early (breaking the injector, or adding keys to its values), and a `: ` or
 * `#` in a value changes what the embedded YAML says. Here a value is escaped where it
 * is embedded (inside a JSON string: JSON string escaping) and the result must say what
 * the pattern says with the values in place (same keys, each value exactly as given);
 * otherwise the value is refused.
 */

/** A marker of a pattern and the value it stands for. */
export interface MarkerValue {
  readonly marker: string;
  readonly value: string;
}

export type Filled = { readonly value: string } | { readonly problem: string };

/** What kind of document a pattern is: JSON and YAML ones get the structure check. */
export function embeddedKind(pattern: string): 'json' | 'yaml' | 'text' {
  const t = pattern.trim();
  if ((t.startsWith('{') && t.endsWith('}')) || (t.startsWith('[') && t.endsWith(']'))) {
    try {
      JSON.parse(t);
      return 'json';
    } catch {
      // not JSON: perhaps YAML flow, checked below
    }
  }
  if (pattern.includes('\n')) {
    const doc = parseDocument(pattern, { prettyErrors: false });
    const v: unknown = doc.errors.length === 0 ? doc.toJS() : undefined;
    if (v !== null && typeof v === 'object') return 'yaml';
  }
  return 'text';
}

/**
 * Whether a parsed document says what the pattern says with its markers filled in as
 * plain text: the same keys and structure, and every string that held a marker now
 * holding exactly the filled text (a `#` that cut the value short, or a `: ` that made a
 * new key, does not). A scalar the filled text turned into a number or boolean (a node
 * count) is the same value.
 */
function sameDocument(pattern: unknown, actual: unknown, fill: (text: string) => string): boolean {
  if (typeof pattern === 'string') {
    const expected = fill(pattern);
    return actual === expected || ((typeof actual === 'number' || typeof actual === 'boolean') && String(actual) === expected);
  }
  if (Array.isArray(pattern)) {
    return Array.isArray(actual) && actual.length === pattern.length && pattern.every((p, i) => sameDocument(p, actual[i], fill));
  }
  if (pattern !== null && typeof pattern === 'object') {
    if (actual === null || typeof actual !== 'object' || Array.isArray(actual)) return false;
    const want = Object.entries(pattern as Record<string, unknown>).map(([k, v]) => [fill(k), v] as const);
    const got = actual as Record<string, unknown>;
    return Object.keys(got).length === want.length && want.every(([k, v]) => Object.prototype.hasOwnProperty.call(got, k) && sameDocument(v, got[k], fill));
  }
  return pattern === actual;
}

function parseAs(kind: 'json' | 'yaml', text: string): { ok: true; value: unknown } | { ok: false } {
  try {
    if (kind === 'json') return { ok: true, value: JSON.parse(text) };
    const doc = parseDocument(text, { prettyErrors: false });
    return doc.errors.length === 0 ? { ok: true, value: doc.toJS() } : { ok: false };
  } catch {
    return { ok: false };
  }
}

/** A value as the inside of a JSON string. */
function jsonStringContent(value: string): string {
  return JSON.stringify(value).slice(1, -1);
}

/**
 * Fills `pattern` with `fill` (the caller's marker replacement), escaping each value for
 * where it lands, and checks that an embedded JSON or YAML document keeps its structure.
 */
export function fillEmbedded(pattern: string, markers: readonly MarkerValue[], fill: (pattern: string, markers: readonly MarkerValue[]) => string): Filled {
  // A Go template (the sidecar injector's) runs whatever {{ }} a value brings in.
  if (pattern.includes('{{') && markers.some((m) => m.value.includes('{{') || m.value.includes('}}'))) {
    return { problem: 'the field is a Go template (the sidecar injector runs it): a value must not contain "{{" or "}}"; refused' };
  }
  const kind = embeddedKind(pattern);
  if (kind === 'text') return { value: fill(pattern, markers) };
  const escaped = kind === 'json' ? markers.map((m) => ({ marker: m.marker, value: jsonStringContent(m.value) })) : markers;
  const value = fill(pattern, escaped);
  const before = parseAs(kind, pattern);
  const after = parseAs(kind, value);
  if (!before.ok || !after.ok || !sameDocument(before.value, after.value, (text) => fill(text, markers))) {
    return { problem: `the value would change the structure of the ${kind === 'json' ? 'JSON' : 'YAML'} document embedded in this field (a quote, ": ", "#" or line break would end or add to what the document says); refused` };
  }
  return { value };
}
