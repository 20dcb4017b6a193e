/**
 * Characters that must not reach a terminal or a rendered manifest as they are: they
 * control the terminal (ESC starts ANSI sequences, C1 CSI too), reorder what is shown
 * (bidirectional overrides: "Trojan Source"), or look like something they are not
 * (zero-width characters, non-breaking and other non-ASCII spaces, line separators).
 *
 * - C0, DEL and C1 controls (\p{Cc});
 * - format characters (\p{Cf}): bidi embeddings, overrides and isolates, zero-width
 *   spaces and joiners, the soft hyphen, the BOM;
 * - every space separator but U+0020 (\p{Zs}), line and paragraph separators;
 * - private-use code points and lone surrogates;
 * - the Hangul fillers, which render as blank.
 */
const UNSAFE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Co}\p{Cs}\u115f\u1160\u3164\uffa0]|(?! )\p{Zs}/gu;
const UNSAFE_ONE = new RegExp(UNSAFE.source, 'u');

/** The unsafe characters as a regular expression source (`u` flag), for the config's JSON Schema. */
export const UNSAFE_CHARACTERS_PATTERN = UNSAFE.source;

/** A code point as `U+XXXX`. */
export function codePointName(ch: string): string {
  return `U+${ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
}

/**
 * Text with every unsafe character (see above) written as a `\uXXXX` escape, so printing
 * input can never move the cursor, recolour or clear the terminal, or reorder a line.
 * Tabs and newlines are escaped too: the result is one line. Inside a JSON string the
 * escapes are valid JSON and mean the same characters.
 */
export function escapeControls(text: string): string {
  // Per UTF-16 unit, so an astral private-use character becomes a JSON-valid surrogate pair.
  return text.replace(UNSAFE, (ch) => Array.from({ length: ch.length }, (_, i) => `\\u${ch.charCodeAt(i).toString(16).padStart(4, '0')}`).join(''));
}

/** {@link escapeControls} for text of several lines: each line escaped, the line breaks kept. */
export function escapeControlsPerLine(text: string): string {
  return text.split('\n').map(escapeControls).join('\n');
}

/**
 * The first unsafe character of a value (see above), as `U+XXXX at character N`, or
 * undefined. `allowNewlines` lets line feeds (and tabs) pass for multi-line values.
 */
export function unsafeCharacter(value: string, { allowNewlines = false }: { allowNewlines?: boolean } = {}): string | undefined {
  let index = 0;
  for (const ch of value) {
    index++;
    if (allowNewlines && (ch === '\n' || ch === '\t')) continue;
    if (UNSAFE_ONE.test(ch)) return `${codePointName(ch)} at character ${index}`;
  }
  return undefined;
}
