import { parse } from 'yaml';

/**
 * How `asmpkg set` shows a field's text in its change log. Setting a project rewrites
 * fields that hold whole documents (the sidecar injector template, the mesh config);
 * the log names the field and shows enough of the value to recognise it.
 */

/** Longest value shown whole; longer ones are cut, ending in "…". */
export const MAX_SHOWN = 60;

const cut = (text: string): string => (text.length > MAX_SHOWN ? `${text.slice(0, MAX_SHOWN - 1)}…` : text);

/**
 * A field's source text (quotes included) for one log line: as written when short,
 * cut at {@link MAX_SHOWN} characters with "…" when long, and a multi-line value as
 * its first line followed by "(N lines)".
 */
export function summariseValue(source: string): string {
  if (source.includes('\n') || source.includes('\\n')) {
    let value: unknown;
    try {
      value = parse(source, { prettyErrors: false });
    } catch {
      value = undefined;
    }
    if (typeof value === 'string') {
      const lines = value.replace(/\n$/, '').split('\n');
      if (lines.length > 1) return `${cut(lines.find((l) => l.trim() !== '')?.trim() ?? '')} (${lines.length} lines)`;
      // a one-line value written over several source lines (a folded or plain scalar)
      return cut(source.replace(/\s*\n\s*/g, ' '));
    }
    if (source.includes('\n')) {
      const lines = source.replace(/\n$/, '').split('\n');
      return `${cut(lines[0].trim())} (${lines.length} lines)`;
    }
  }
  return cut(source);
}
