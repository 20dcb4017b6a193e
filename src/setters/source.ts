import { yamlErrorReason } from '../util/yaml-errors';
import { Document, isMap, isPair, isScalar, isSeq, parseAllDocuments, Scalar, YAMLMap, YAMLSeq } from 'yaml';
import { formatPath } from '../config/problems';
import { SetterProblem } from './types';

/**
 * A YAML file parsed for in-place editing. Setters never re-serialise a document:
 * they replace the source text of single nodes, so every byte they do not mean
 * to change stays as it was (comments, quoting, indentation, blank lines).
 */
export interface SourceFile {
  readonly path: string;
  readonly text: string;
  readonly docs: readonly Document.Parsed[];
  readonly lineStarts: readonly number[];
}

/** A text replacement in a file's original source. */
export interface TextEdit {
  readonly start: number;
  readonly end: number;
  readonly text: string;
}

export function parseSource(path: string, text: string): { file?: SourceFile; problems: SetterProblem[] } {
  const docs = parseAllDocuments(text, { keepSourceTokens: false, prettyErrors: false, uniqueKeys: false });
  const lineStarts = computeLineStarts(text);
  // parseAllDocuments returns an EmptyStream (not an array) for a file with no documents
  const list: Document.Parsed[] = Array.isArray(docs) ? docs : [];
  const errors = list.flatMap((d) => d.errors);
  if (errors.length > 0) {
    return {
      // The reason only: the parser's message may quote the file (a Secret's key).
      problems: errors.map((e) => ({
        file: path,
        line: lineAt(lineStarts, e.pos[0]),
        column: e.pos[0] - lineStarts[lineAt(lineStarts, e.pos[0]) - 1] + 1,
        message: `not valid YAML: ${yamlErrorReason(e)}`,
      })),
    };
  }
  return { file: { path, text, docs: list, lineStarts }, problems: [] };
}

function computeLineStarts(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === '\n') starts.push(i + 1);
  return starts;
}

function lineAt(lineStarts: readonly number[], offset: number): number {
  let lo = 0;
  let hi = lineStarts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (lineStarts[mid] <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo + 1;
}

/** 1-based line of an offset. */
export function lineOf(file: SourceFile, offset: number): number {
  return lineAt(file.lineStarts, offset);
}

/** Offset of the line break ending the line that holds `offset` (or the end of text). */
export function lineEndOf(text: string, offset: number): number {
  const nl = text.indexOf('\n', offset);
  return nl === -1 ? text.length : nl;
}

/** Column (0-based) of an offset. */
export function columnOf(file: SourceFile, offset: number): number {
  return offset - file.lineStarts[lineOf(file, offset) - 1];
}

/** Source text of a node as written (quotes and block headers included). */
export function sourceOf(file: SourceFile, node: { range?: [number, number, number] | null }): string {
  const r = node.range;
  return r ? file.text.slice(r[0], r[1]) : '';
}

/**
 * The comment that ends the line at `from`, as yaml.v3 would report it as a line
 * comment: starting at `#`, trailing blanks removed. Only whitespace may sit
 * between `from` and the `#` (after `allowColon`, a mapping `:` may come first).
 */
export function lineCommentAfter(text: string, from: number, allowColon = false): string | undefined {
  const rest = text.slice(from, lineEndOf(text, from));
  const m = (allowColon ? /^[ \t]*:[ \t]+(#.*)$/ : /^[ \t]+(#.*)$/).exec(rest);
  return m ? m[1].replace(/[ \t\r]+$/, '') : undefined;
}

/** A scalar value somewhere in a document, with the comment at the end of its line. */
export interface ScalarSlot {
  readonly kind: 'scalar';
  readonly node: Scalar;
  readonly path: readonly (string | number)[];
  readonly comment?: string;
  /** Inside a flow collection, where `,` `[` `]` `{` `}` end a plain scalar. */
  readonly inFlow: boolean;
}

/** A mapping entry whose value is a sequence; setters may replace the whole list. */
export interface SeqSlot {
  readonly kind: 'seq';
  readonly key: Scalar;
  readonly seq: YAMLSeq;
  readonly path: readonly (string | number)[];
  /** Comment on the key line (block sequence) or after the `]` (flow sequence). */
  readonly comment?: string;
}

export type Slot = ScalarSlot | SeqSlot;

/** Every scalar value and every sequence-valued mapping entry of a file, in source order. */
export function slotsOf(file: SourceFile): Slot[] {
  const out: Slot[] = [];
  const visit = (node: unknown, path: (string | number)[], inFlow: boolean): void => {
    if (isMap(node)) {
      const map = node as YAMLMap;
      for (const pair of map.items) {
        if (!isPair(pair)) continue;
        const key = isScalar(pair.key) ? pair.key : undefined;
        const keyName = key ? String(key.value) : '?';
        const value = pair.value;
        if (key && isSeq(value) && key.range && value.range) {
          const seq = value as YAMLSeq;
          const comment = seq.flow
            ? lineCommentAfter(file.text, seq.range![1])
            : lineCommentAfter(file.text, key.range![1], true);
          out.push({ kind: 'seq', key, seq, path: [...path, keyName], comment });
        }
        visit(value, [...path, keyName], inFlow || Boolean(map.flow));
      }
    } else if (isSeq(node)) {
      const seq = node as YAMLSeq;
      seq.items.forEach((item, i) => visit(item, [...path, i], inFlow || Boolean(seq.flow)));
    } else if (isScalar(node) && node.range) {
      const scalar = node as Scalar;
      out.push({
        kind: 'scalar',
        node: scalar,
        path,
        comment: inFlow ? undefined : lineCommentAfter(file.text, scalar.range![1]),
        inFlow,
      });
    }
  };
  for (const doc of file.docs) visit(doc.contents, [], false);
  return out;
}

export function fieldName(path: readonly (string | number)[]): string {
  return formatPath(path);
}

/** Applies non-overlapping edits to a text; overlapping edits are a programming error. */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  const sorted = [...edits].sort((a, b) => a.start - b.start);
  let out = '';
  let at = 0;
  for (const e of sorted) {
    if (e.start < at) throw new Error(`overlapping edits at offset ${e.start}`);
    out += text.slice(at, e.start) + e.text;
    at = e.end;
  }
  return out + text.slice(at);
}

/** The offset just past the last non-blank character before `end` (skips trailing blank lines). */
export function trimEndOffset(text: string, start: number, end: number): number {
  let e = end;
  while (e > start && /\s/.test(text[e - 1])) e--;
  return e;
}
