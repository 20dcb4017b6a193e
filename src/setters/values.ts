import { isScalar, isSeq, parseDocument } from 'yaml';
import { unsafeCharacter } from '../util/text';

/**
 * Setter value rules shared by every setter format.
 * kpt validates a value against the setter's OpenAPI `type`; early packages wrote
 * `int` / `bool`, which kpt reads as `integer` / `boolean` (kyaml fixSchemaTypes).
 */
export function normaliseType(type: string | undefined): string | undefined {
  if (type === 'int') return 'integer';
  if (type === 'bool') return 'boolean';
  return type;
}

/** Line breaks (including U+2028/2029) and other control characters never belong in a one-line field. */
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;

/** Why `value` is refused for a setter of this type, or undefined if it is fine. */
export function valueProblem(value: string, type: string | undefined): string | undefined {
  if (CONTROL.test(value)) {
    return /[\n\r\u2028\u2029]/.test(value)
      ? 'value must be a single line (it contains a line break)'
      : 'value must not contain control characters';
  }
  // Bidi controls, zero-width and non-breaking spaces make a value read as something it is not.
  const hidden = unsafeCharacter(value);
  if (hidden) return `value must not contain invisible, bidirectional-control or non-ASCII space characters (${hidden})`;
  switch (normaliseType(type)) {
    case 'integer':
      return /^[-+]?[0-9]+$/.test(value) ? undefined : `value ${JSON.stringify(value)} is not an integer`;
    case 'boolean':
      return /^(true|True|TRUE|false|False|FALSE)$/.test(value)
        ? undefined
        : `value ${JSON.stringify(value)} is not a boolean (true or false)`;
    case 'number':
      return /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/.test(value)
        ? undefined
        : `value ${JSON.stringify(value)} is not a number`;
    default:
      return undefined;
  }
}

/** Whether a setter type is written unquoted into fields. */
export function isNonStringType(type: string | undefined): boolean {
  const t = normaliseType(type);
  return t === 'integer' || t === 'boolean' || t === 'number';
}

/**
 * Reads a list value: YAML flow (`[prod, dev]`) or block (`- prod\n- dev`) syntax,
 * the two ways kpt accepts list setter values. Items must be scalars; the source
 * text of each item is kept so its quoting survives into the field.
 */
export function parseListValue(value: string): { items: { value: string; source: string }[] } | { error: string } {
  if (value.trim() === '' || value.trim() === '[]') return { items: [] };
  const doc = parseDocument(value, { prettyErrors: false });
  if (doc.errors.length > 0 || !isSeq(doc.contents)) {
    return { error: `list value must be a YAML sequence such as [a, b], found ${JSON.stringify(value)}` };
  }
  const items: { value: string; source: string }[] = [];
  for (const item of doc.contents.items) {
    if (!isScalar(item) || !item.range) return { error: 'list items must be plain values, not nested lists or maps' };
    const text = String(item.value ?? '');
    const problem = valueProblem(text, undefined);
    if (problem) return { error: `list item ${JSON.stringify(text)}: ${problem}` };
    items.push({ value: text, source: value.slice(item.range[0], item.range[1]) });
  }
  return { items };
}

/** Whether a command-line value is written as a list (kpt: `[a, b]`). */
export function looksLikeList(value: string): boolean {
  const v = value.trim();
  return v.startsWith('[') && v.endsWith(']');
}
