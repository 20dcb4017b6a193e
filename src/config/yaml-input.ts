import { yamlErrorReason } from '../util/yaml-errors';
import { LineCounter, parseDocument } from 'yaml';
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
  try {
    return { value: doc.toJS({ maxAliasCount: INPUT_LIMITS.maxAliasCount }), problems: [] };
  } catch (e) {
    return { problems: [{ path: [], message: `refused: ${yamlErrorReason(e as Error)} (at most ${INPUT_LIMITS.maxAliasCount} aliases)` }] };
  }
}
