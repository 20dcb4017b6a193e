import { isScalar, Pair, YAMLMap, YAMLSeq } from 'yaml';
import { columnOf, lineEndOf, lineOf, SeqSlot, SourceFile, TextEdit, trimEndOffset } from './source';
import { FieldChange, SetterProblem } from './types';

/** Collects the edits, changes and problems of one `set` run before anything is applied. */
export class EditBook {
  readonly edits = new Map<string, TextEdit[]>();
  readonly changes: FieldChange[] = [];
  readonly problems: SetterProblem[] = [];
  readonly warnings: string[] = [];

  edit(file: SourceFile, edit: TextEdit): void {
    const list = this.edits.get(file.path) ?? [];
    list.push(edit);
    this.edits.set(file.path, list);
  }

  change(change: FieldChange): void {
    this.changes.push(change);
  }

  problem(problem: SetterProblem): void {
    const same = (p: SetterProblem): boolean =>
      p.file === problem.file && p.line === problem.line && p.field === problem.field && p.message === problem.message;
    if (!this.problems.some(same)) this.problems.push(problem);
  }
}

type Ranged = { range?: [number, number, number] | null };

function rangeOf(node: unknown): [number, number, number] {
  const r = (node as Ranged).range;
  if (!r) throw new Error('node without a source range');
  return r;
}

/** End offset of a pair's text on its last line (its value, or its key for `key:` with no value). */
function pairEnd(file: SourceFile, pair: Pair): number {
  const node = pair.value && (pair.value as Ranged).range ? pair.value : pair.key;
  const r = rangeOf(node);
  return trimEndOffset(file.text, r[0], r[1]);
}

/**
 * Adds `key: value` lines at the end of a mapping, as kyaml's FieldSetter appends new
 * fields. Pairs in `removed` are being deleted by other edits, so the new lines go
 * after the last pair that stays.
 */
export function appendPairs(
  file: SourceFile,
  map: YAMLMap,
  lines: readonly string[],
  removed: ReadonlySet<unknown> = new Set(),
): TextEdit {
  const first = map.items[0] as Pair | undefined;
  if (map.flow || !first) {
    const r = rangeOf(map);
    const close = file.text.lastIndexOf('}', r[1]);
    const sep = map.items.length > 0 ? ', ' : '';
    return { start: close, end: close, text: sep + lines.join(', ') };
  }
  const indent = ' '.repeat(columnOf(file, rangeOf(first.key)[0]));
  const kept = map.items.filter((p) => !removed.has(p));
  const last = (kept[kept.length - 1] ?? first) as Pair;
  const at = lineEndOf(file.text, pairEnd(file, last));
  return { start: at, end: at, text: lines.map((l) => `\n${indent}${l}`).join('') };
}

/** Removes the whole lines of a block-mapping pair. */
export function deletePair(file: SourceFile, pair: Pair): TextEdit {
  const start = file.lineStarts[lineOf(file, rangeOf(pair.key)[0]) - 1];
  const end = lineEndOf(file.text, pairEnd(file, pair));
  return { start, end: Math.min(end + 1, file.text.length), text: '' };
}

/** Replaces a node's own source text (not its comments). */
export function replaceNode(node: unknown, text: string): TextEdit {
  const r = rangeOf(node);
  return { start: r[0], end: r[1], text };
}

/** Items of a sequence as a one-line flow list, for change reports. */
export function listSummary(file: SourceFile, seq: YAMLSeq): string {
  return `[${seq.items.map((i) => (isScalar(i) ? file.text.slice(...rangeOf(i).slice(0, 2)) : '...')).join(', ')}]`;
}

/**
 * Replaces the items of a sequence-valued mapping entry, the way kpt writes list
 * setters: a non-empty list in block style under the key (the setter comment stays
 * on the key line), an empty list as `key: [] # comment`.
 * `items` are item source texts (already quoted as needed).
 */
export function replaceList(file: SourceFile, slot: SeqSlot, items: readonly string[]): TextEdit {
  const { key, seq } = slot;
  const text = file.text;
  const keyEnd = rangeOf(key)[1];
  const seqRange = rangeOf(seq);
  const comment = slot.comment ? ` ${slot.comment}` : '';
  // where the old list's text ends: end of the line of its last item (or of the `]`)
  let end: number;
  if (seq.flow || seq.items.length === 0) {
    end = lineEndOf(text, seqRange[1] > seqRange[0] ? seqRange[1] - 1 : seqRange[0]);
  } else {
    const lastItem = rangeOf(seq.items[seq.items.length - 1]);
    end = lineEndOf(text, trimEndOffset(text, lastItem[0], lastItem[1]));
  }
  if (items.length === 0) return { start: keyEnd, end, text: `: []${comment}` };
  const blockExisting = !seq.flow && seq.items.length > 0;
  const indent = blockExisting ? columnOf(file, seqRange[0]) : columnOf(file, rangeOf(key)[0]) + 2;
  const lines = items.map((i) => `${' '.repeat(indent)}- ${i}`).join('\n');
  if (blockExisting) {
    const start = file.lineStarts[lineOf(file, seqRange[0]) - 1];
    return { start, end, text: lines };
  }
  return { start: keyEnd, end, text: `:${comment}\n${lines}` };
}
