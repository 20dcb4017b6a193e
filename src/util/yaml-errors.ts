/**
 * YAML errors as one-line reasons that never quote the input. The `yaml` parser puts
 * source text into some messages (`Unexpected scalar token in YAML stream: "MIIE..."`,
 * `Invalid escape sequence \q`, `Unresolved tag: !x`) and, with prettyErrors, a snippet
 * of the lines around the error. A broken Secret's `tls.key` would then be printed to a
 * terminal or a CI log. The reason is the message without the quoted part; the caller
 * gives the position (file:line:column) instead.
 */

/** Codes whose messages interpolate source text: a fixed phrase instead. */
const FIXED: Readonly<Record<string, string>> = {
  BAD_DQ_ESCAPE: 'invalid escape sequence in a double-quoted string',
  BAD_SCALAR_START: 'a plain value cannot start with this character (quote the value)',
  BAD_DIRECTIVE: 'unknown or unsupported directive',
  TAG_RESOLVE_FAILED: 'unresolved tag',
  BAD_PROP_ORDER: 'anchors and tags must come after the indicator',
  BAD_COLLECTION_TYPE: 'the tag does not fit the collection type',
};

/** What a reason may consist of once the quoted part is cut: words and punctuation, nothing taken from a value. */
const PLAIN = /^[A-Za-z ,.'()/-]{1,120}$/;

/** A YAML error (from `yaml`'s `doc.errors`, or an Error thrown by `toJS`) as a reason safe to print. */
export function yamlErrorReason(error: { readonly code?: string; readonly message?: string }): string {
  const code = error.code ?? '';
  if (FIXED[code]) return FIXED[code];
  const first = String(error.message ?? '')
    .split('\n')[0]
    .replace(/ at line \d+, column \d+.*$/, '');
  // Everything after the first ": " is what the parser quotes from the input.
  const colon = first.search(/:(\s|$)/);
  const reason = (colon === -1 ? first : first.slice(0, colon)).trim();
  if (PLAIN.test(reason) && !/"/.test(reason)) return reason;
  // `Missing closing "quote` and its kind keep their fixed quote character.
  if (/^Missing closing ["']quote$/.test(reason)) return reason;
  return code ? `YAML syntax error (${code})` : 'YAML syntax error';
}
