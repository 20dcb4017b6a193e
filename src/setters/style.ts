import { isScalar, parseDocument, Scalar } from 'yaml';

/**
 * How a new value is written into an existing scalar:
 * - `string`: the field must stay a string (setter of type string, substitutions,
 *   Kptfile values). The existing quoting is kept; a plain scalar is quoted only if
 *   the value would otherwise read back as something else (e.g. `1234567890`, `on`).
 * - `typed`: integer/boolean/number setters; always plain, so the type is right.
 * - `untyped`: a v0 setter without `type`: a plain non-string field (e.g. `4`) stays
 *   plain while the new value has the same YAML type, otherwise `string` rules.
 * - `any`: kpt v1 apply-setters clears the tag, so the value is written as-is in the
 *   existing style; quoting is added only when it could not be read back at all.
 */
export type WriteMode = 'string' | 'typed' | 'untyped' | 'any';

const DOUBLE = 'QUOTE_DOUBLE';
const SINGLE = 'QUOTE_SINGLE';
const PLAIN = 'PLAIN';

/** Reads `value` as a plain scalar in block or flow context; undefined if it does not come back verbatim. */
function plainRead(value: string, inFlow: boolean, schema: 'core' | 'yaml-1.1'): Scalar | undefined {
  const src = inFlow ? `k: [${value}]` : `k: ${value}`;
  const doc = parseDocument(src, { schema, prettyErrors: false });
  if (doc.errors.length > 0 || doc.warnings.length > 0) return undefined;
  const raw = doc.get('k', true);
  const node = inFlow ? (raw as { items?: unknown[] } | undefined)?.items?.[0] : raw;
  if (!isScalar(node) || node.type !== PLAIN || !node.range) return undefined;
  const offset = inFlow ? 4 : 3;
  if (src.slice(node.range[0], node.range[1]) !== value || node.range[0] !== offset) return undefined;
  if (inFlow && (doc.get('k', true) as { items: unknown[] }).items.length !== 1) return undefined;
  return node;
}

/** Whether `value` may be written unquoted and still read back as the same string (YAML 1.2 and 1.1). */
export function plainKeepsString(value: string, inFlow = false): boolean {
  if (value === '') return false;
  const core = plainRead(value, inFlow, 'core');
  const y11 = plainRead(value, inFlow, 'yaml-1.1');
  // the yaml package's 1.1 float pattern also matches words like `e0` (giving NaN);
  // YAML 1.1 itself (and Go's yaml.v2) reads those as strings
  const y11String = typeof y11?.value === 'string' || (Number.isNaN(y11?.value) && !/^[-+]?\.nan$/i.test(value));
  return typeof core?.value === 'string' && y11String;
}

/** Whether `value` may be written unquoted and read back as a scalar with this exact text (any type). */
export function plainReadsBack(value: string, inFlow = false): boolean {
  return value !== '' && plainRead(value, inFlow, 'core') !== undefined;
}

/** The YAML 1.2 core type a plain scalar resolves to. */
function plainType(value: string, inFlow: boolean): string | undefined {
  const node = plainRead(value, inFlow, 'core');
  if (!node) return undefined;
  return node.value === null ? 'null' : typeof node.value;
}

export function doubleQuoted(value: string): string {
  // JSON string syntax is valid YAML double-quoted syntax; control characters never get here.
  return JSON.stringify(value);
}

function singleQuoted(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

/** Source text for `value` replacing a scalar currently written as `existing` (of yaml node type `type`). */
export function renderScalar(
  value: string,
  existing: { type?: string | null; source: string; value?: unknown },
  mode: WriteMode,
  inFlow = false,
): string {
  const style = existing.type;
  if (mode === 'typed') return value;
  // A quoted string that already holds the value keeps its text: a folded or escaped
  // long value is not rewritten into another spelling of the same string (a no-op set
  // changes no byte).
  if ((style === DOUBLE || style === SINGLE) && existing.value === value) return existing.source;
  if (mode === 'untyped' && style === PLAIN) {
    const before = plainType(existing.source, inFlow);
    if (before !== undefined && before !== 'string' && before === plainType(value, inFlow)) return value;
  }
  if (style === DOUBLE) return doubleQuoted(value);
  if (style === SINGLE) return singleQuoted(value);
  if (mode === 'any') return plainReadsBack(value, inFlow) ? value : doubleQuoted(value);
  return plainKeepsString(value, inFlow) ? value : doubleQuoted(value);
}
