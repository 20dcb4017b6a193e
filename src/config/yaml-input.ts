import { yamlErrorReason } from '../util/yaml-errors';
import { isPair, isScalar, LineCounter, parseDocument, visit, type Document } from 'yaml';
import type { Problem } from './problems';
import { INPUT_CAPS } from '../util/input-file';

/** Limits that keep a hostile config (alias bombs, huge files) from eating the machine. */
export const INPUT_LIMITS = {
  maxBytes: INPUT_CAPS.config,
  maxAliasCount: 100,
} as const;

/**
 * Parses one YAML document strictly: duplicate keys, several documents, and more than
 * a few aliases are errors. Returns the plain value, or problems with line numbers.
 */
export function parseYamlInput(text: string): { value?: unknown; problems: Problem[] } {
  if (Buffer.byteLength(text, 'utf8') > INPUT_LIMITS.maxBytes) {
    return { problems: [{ path: [], message: `the file is larger than ${INPUT_LIMITS.maxBytes / 1024} KiB; a config is never that big` }] };
  }
  if (text.trim() === '') {
    return { problems: [{ path: [], message: 'the file is empty: expected a mapping with a `clusters:` list' }] };
  }
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { uniqueKeys: true, lineCounter, prettyErrors: false, strict: true });
  if (doc.errors.length > 0) {
    // After the first syntax error the parser's further errors are mostly echoes of it.
    const e = doc.errors[0];
    const pos = lineCounter.linePos(e.pos[0]);
    // Never the parser's message as is: it may quote the config (a key, a token).
    const reason = e.code === 'MULTIPLE_DOCS' ? 'the file holds several YAML documents; a config is one document' : yamlErrorReason(e);
    return { problems: [{ path: [], message: `not valid YAML at line ${pos.line}, column ${pos.col}: ${reason}` }] };
  }
  keepNumberNotation(doc, text);
  try {
    return { value: doc.toJS({ maxAliasCount: INPUT_LIMITS.maxAliasCount }), problems: [] };
  } catch (e) {
    return { problems: [{ path: [], message: `refused: ${yamlErrorReason(e as Error)} (at most ${INPUT_LIMITS.maxAliasCount} aliases)` }] };
  }
}

/** Keys whose numbers must be written as digits; any other notation is kept as text. */
const DIGITS_ONLY: readonly (readonly string[])[] = [['project', 'number']];

/**
 * `project.number: 4.12e11` reads as the number 412000000000: a float notation (or hex,
 * octal) for an identifier is a typo or a spreadsheet's doing, never what the console
 * shows. Such a value is kept as the text it was written as, so the field's rule (digits
 * only) refuses it with the text the user wrote.
 */
function keepNumberNotation(doc: Document, text: string): void {
  visit(doc, {
    Scalar(_key, node, path) {
      if (typeof node.value !== 'number' || !node.range) return;
      const source = text.slice(node.range[0], node.range[1]);
      if (/^[0-9]+$/.test(source)) return;
      const keys = path.filter(isPair).map((p) => (isScalar(p.key) ? String(p.key.value) : ''));
      if (DIGITS_ONLY.some((k) => k.every((part, i) => keys[keys.length - k.length + i] === part))) node.value = source;
    },
  });
}
