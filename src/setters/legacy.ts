import { LegacyMeta, parseSetterComment } from './comments';
import { EditBook, replaceNode } from './edits';
import { fieldName, lineOf, ScalarSlot, slotsOf, sourceOf, SourceFile } from './source';
import { renderScalar } from './style';
import { isNonStringType, normaliseType, valueProblem } from './values';

/**
 * The inline setter format of early-2020 packages (kustomize kyaml/setters, used by
 * `kpt cfg set` before setters2): the field's own comment holds the schema,
 *   {"type":"string","x-kustomize":{"setter":{"name":"gcloud.core.project"}}}
 *   {"x-kustomize":{"partialSetters":[{"name":"cluster-name","value":"asm-cluster"}]}}
 * A full setter replaces the field value; a partial setter replaces the recorded old
 * value wherever it occurs in the field. Either one then records the new value in the
 * comment. Like kyaml, a field is left alone when it already holds the value or no
 * longer contains the recorded one (someone edited it by hand).
 */

interface LegacySlot {
  readonly file: SourceFile;
  readonly slot: ScalarSlot;
  readonly meta: LegacyMeta;
}

export function legacySlots(files: readonly SourceFile[]): LegacySlot[] {
  const out: LegacySlot[] = [];
  for (const file of files) {
    for (const slot of slotsOf(file)) {
      if (slot.kind !== 'scalar') continue;
      const parsed = parseSetterComment(slot.comment);
      if (parsed?.kind === 'legacy') out.push({ file, slot, meta: parsed.meta });
    }
  }
  return out;
}

export function legacySetterNames(slots: readonly LegacySlot[]): string[] {
  const names = new Set<string>();
  for (const s of slots) {
    if (s.meta.setter) names.add(s.meta.setter.name);
    for (const p of s.meta.partialSetters) names.add(p.name);
  }
  return [...names];
}

export function applyLegacy(slots: readonly LegacySlot[], values: ReadonlyMap<string, string>, book: EditBook): void {
  for (const { file, slot, meta } of slots) {
    const where = { file: file.path, line: lineOf(file, slot.node.range![0]), field: fieldName(slot.path) };
    const json = JSON.parse(JSON.stringify(meta.json)) as { 'x-kustomize': Record<string, unknown> };
    const ext = json['x-kustomize'];
    const setter = ext.setter as { name: string; value?: string } | undefined;
    const partials = (ext.partialSetters ?? []) as { name: string; value?: string }[];
    let field = String(slot.node.value ?? '');
    const used: string[] = [];
    for (const [name, value] of values) {
      const problem = valueProblem(value, meta.type);
      const applies = setter?.name === name || partials.some((p) => p.name === name);
      if (!applies) continue;
      if (problem) {
        book.problem({ ...where, message: `setter ${JSON.stringify(name)} (type ${normaliseType(meta.type)}): ${problem}` });
        continue;
      }
      if (setter?.name === name) {
        const old = setter.value ?? '';
        if (old !== value && field.includes(old)) {
          field = value;
          setter.value = value;
          used.push(name);
        }
      }
      for (const p of partials.filter((q) => q.name === name)) {
        const old = p.value ?? '';
        if (old === '' || old === value || !field.includes(old)) continue;
        field = field.split(old).join(value);
        p.value = value;
        used.push(name);
      }
    }
    if (used.length === 0) continue;
    const before = sourceOf(file, slot.node);
    const after = renderScalar(field, { type: slot.node.type, source: before, value: slot.node.value }, isNonStringType(meta.type) ? 'typed' : 'string');
    if (after !== before) book.edit(file, replaceNode(slot.node, after));
    // the comment records the values now in the field
    const comment = slot.comment!;
    const commentStart = file.text.indexOf(comment, slot.node.range![1]);
    const lead = /^#\s*/.exec(comment)![0];
    book.edit(file, { start: commentStart, end: commentStart + comment.length, text: lead + JSON.stringify(json) });
    book.change({ ...where, setters: used, before, after });
  }
}
