import { fillEmbedded } from './embed';
import { isScalar, Scalar } from 'yaml';
import { parseSetterComment } from './comments';
import { appendPairs, deletePair, EditBook, listSummary, replaceList, replaceNode } from './edits';
import { REF_PREFIX, SetterDef, SubstitutionDef } from './kptfile';
import { fieldName, lineOf, slotsOf, sourceOf, SourceFile, TextEdit } from './source';
import { doubleQuoted, renderScalar, WriteMode } from './style';
import { isNonStringType, normaliseType, parseListValue, valueProblem } from './values';

/** A kpt v0 package: a `kpt.dev/v1alpha1` Kptfile with openAPI setter definitions. */
export interface V0Package {
  readonly kptfile: SourceFile;
  readonly setters: readonly SetterDef[];
  readonly substitutions: readonly SubstitutionDef[];
  /** Package YAML files other than the Kptfile. */
  readonly resources: readonly SourceFile[];
}

/**
 * The definition a user-given name means. kpt (`cfg set DIR NAME VALUE`) looks a
 * setter up by its definition key, `io.k8s.cli.setters.NAME`, and then updates the
 * fields whose setter `name` equals NAME, so it assumes the two agree. Packages do not
 * always keep them equal (release-1.4 defines `io.k8s.cli.setters.gcloud.compute.network`
 * with name `network`), so both spellings are accepted here and fields are matched by
 * the definition their `$ref` points at, which is what the package author meant.
 */
export function resolveV0Setter(setters: readonly SetterDef[], name: string): SetterDef | undefined {
  const byId = setters.find((s) => s.id === name);
  if (byId) return byId;
  const byName = setters.filter((s) => s.name === name);
  return byName.length === 1 ? byName[0] : undefined;
}

export function v0SetterNames(setters: readonly SetterDef[]): string[] {
  return [...new Set(setters.flatMap((s) => [s.id, s.name]))];
}

function writeMode(def: SetterDef): WriteMode {
  if (isNonStringType(def.type)) return 'typed';
  return normaliseType(def.type) === 'string' ? 'string' : 'untyped';
}

/** The text a setter writes into a field: an `enumValues` key maps to its value. */
function fieldValue(def: SetterDef, value: string): string {
  return def.enumValues?.get(value) ?? value;
}

/**
 * Replaces every marker of a substitution pattern in one left-to-right pass. kpt
 * calls strings.ReplaceAll once per marker, so a setter value containing a later
 * marker (a project id containing "asm-cluster" in the 2020-03-27 package) would be
 * substituted again; a single pass gives the same result whenever that does not happen.
 */
export function fillPattern(pattern: string, markers: readonly { marker: string; value: string }[]): string {
  const usable = markers.filter((m) => m.marker !== '');
  let out = '';
  let i = 0;
  outer: while (i < pattern.length) {
    for (const m of usable) {
      if (pattern.startsWith(m.marker, i)) {
        out += m.value;
        i += m.marker.length;
        continue outer;
      }
    }
    out += pattern[i++];
  }
  return out;
}

/** Checks the requested values against their definitions; returns the ones that pass. */
function validate(pkg: V0Package, assigned: ReadonlyMap<SetterDef, string>, book: EditBook): Map<SetterDef, string> {
  const ok = new Map<SetterDef, string>();
  for (const [def, value] of assigned) {
    const where = { file: pkg.kptfile.path, line: def.line };
    const type = normaliseType(def.type);
    if (type === 'array') {
      const list = parseListValue(value);
      if ('error' in list) book.problem({ ...where, message: `setter ${JSON.stringify(def.name)}: ${list.error}` });
      else ok.set(def, value);
      continue;
    }
    const problem = valueProblem(value, type);
    if (problem) {
      book.problem({ ...where, message: `setter ${JSON.stringify(def.name)} (type ${type}): ${problem}` });
      continue;
    }
    if (def.enumValues && !def.enumValues.has(value)) {
      book.problem({
        ...where,
        message: `setter ${JSON.stringify(def.name)}: ${JSON.stringify(value)} is not one of ${[...def.enumValues.keys()].join(', ')}`,
      });
      continue;
    }
    ok.set(def, value);
  }
  return ok;
}

/** Kptfile edits kpt's SetOpenAPI makes: new value (or listValues), no setBy, `isSet: true`. */
function editDefinition(pkg: V0Package, def: SetterDef, value: string, book: EditBook): void {
  const file = pkg.kptfile;
  const appended: string[] = [];
  const removed = new Set<unknown>();
  let before = '';
  let after = '';
  const list = normaliseType(def.type) === 'array' ? parseListValue(value) : undefined;
  if (list && 'items' in list) {
    for (const pair of [def.valuePair, def.listValuesPair]) {
      if (!pair) continue;
      book.edit(file, deletePair(file, pair));
      removed.add(pair);
    }
    const items = list.items.map((i) => doubleQuoted(i.value));
    before = `[${(def.listValues ?? []).map(doubleQuoted).join(', ')}]`;
    after = `[${items.join(', ')}]`;
    appended.push(items.length === 0 ? 'listValues: []' : `listValues:${items.map((i) => `\n  - ${i}`).join('')}`);
  } else if (def.valuePair && isScalar(def.valuePair.value)) {
    const node = def.valuePair.value as Scalar;
    before = sourceOf(file, node);
    after = renderScalar(value, { type: node.type, source: before, value: node.value }, 'string');
    if (after !== before) book.edit(file, replaceNode(node, after));
  } else {
    after = renderScalar(value, { type: 'PLAIN', source: '' }, 'string');
    appended.push(`value: ${after}`);
  }
  if (def.setByPair) {
    book.edit(file, deletePair(file, def.setByPair));
    removed.add(def.setByPair);
  }
  const isSet = def.isSetPair?.value;
  if (!def.isSetPair) appended.push('isSet: true');
  else if (!(isScalar(isSet) && isSet.value === true)) book.edit(file, replaceNode(isSet, 'true'));
  if (appended.length > 0) {
    // multi-line list entries need the mapping's indentation on continuation lines
    const edit: TextEdit = appendPairs(file, def.setterMap, appended, removed);
    const indent = /\n( *)/.exec(edit.text)?.[1] ?? '';
    book.edit(file, { ...edit, text: edit.text.replace(/\n {2}- /g, `\n${indent}  - `) });
  }
  const marks = [def.setByPair ? 'setBy removed' : '', def.isSetPair ? '' : 'isSet: true'].filter(Boolean);
  if (before !== after || marks.length > 0) {
    const line = def.valuePair ? lineOf(file, def.valuePair.value ? (def.valuePair.value as Scalar).range![0] : 0) : def.line;
    book.change({
      file: file.path,
      line,
      field: `setter ${def.name}`,
      setters: [def.name],
      before: before || '(none)',
      after: `${after}${marks.length > 0 ? ` (${marks.join(', ')})` : ''}`,
    });
  }
}

/**
 * kpt v0 `cfg set`: updates the Kptfile definitions of `assigned`, then every field
 * whose `$ref` names one of them, or names a substitution using one of them. With
 * `setAll`, every field is recomputed from the Kptfile values (kpt's SetAllSetterDefinitions).
 * Every `$ref` of the package is checked, set or not.
 */
export function applyV0(
  pkg: V0Package,
  requested: ReadonlyMap<SetterDef, string>,
  setAll: boolean,
  book: EditBook,
): void {
  const assigned = validate(pkg, requested, book);
  for (const [def, value] of assigned) editDefinition(pkg, def, value, book);

  const byKey = new Map<string, SetterDef | SubstitutionDef>();
  for (const s of pkg.setters) byKey.set(s.key, s);
  for (const s of pkg.substitutions) byKey.set(s.key, s);
  const current = (def: SetterDef): string => assigned.get(def) ?? def.value ?? def.listValues?.join(',') ?? '';
  const touched = (def: SetterDef): boolean => setAll || assigned.has(def);
  const resolve = (ref: string): SetterDef | SubstitutionDef | undefined =>
    ref.startsWith(REF_PREFIX) ? byKey.get(ref.slice(REF_PREFIX.length)) : undefined;

  // substitution values must point at setters, whether or not this run uses them
  for (const sub of pkg.substitutions) {
    for (const v of sub.values) {
      const target = resolve(v.ref);
      if (!target || !('id' in target)) {
        book.problem({
          file: pkg.kptfile.path,
          line: sub.line,
          message: `substitution ${JSON.stringify(sub.name)}: marker ${JSON.stringify(v.marker)} refers to ${JSON.stringify(v.ref)}, which is not a setter definition`,
        });
      }
    }
  }

  for (const file of pkg.resources) {
    for (const slot of slotsOf(file)) {
      const parsed = parseSetterComment(slot.comment);
      if (!parsed || (parsed.kind !== 'ref' && parsed.kind !== 'malformed')) continue;
      const anchor = slot.kind === 'scalar' ? slot.node : slot.key;
      const where = { file: file.path, line: lineOf(file, anchor.range![0]), field: fieldName(slot.path) };
      if (parsed.kind === 'malformed') {
        book.problem({ ...where, message: parsed.message });
        continue;
      }
      const def = resolve(parsed.ref);
      if (!def) {
        book.problem({
          ...where,
          message: `$ref ${JSON.stringify(parsed.ref)} points to no definition in ${pkg.kptfile.path}`,
        });
        continue;
      }
      if ('id' in def) {
        if (!touched(def)) continue;
        if (normaliseType(def.type) === 'array') {
          if (slot.kind !== 'seq') {
            book.problem({ ...where, message: `list setter ${JSON.stringify(def.name)} is used on a field that is not a list` });
            continue;
          }
          const list = parseListValue(assigned.get(def) ?? `[${(def.listValues ?? []).map(doubleQuoted).join(', ')}]`);
          if ('error' in list) continue; // reported by validate()
          const before = listSummary(file, slot.seq);
          const items = list.items.map((i) => doubleQuoted(i.value));
          const after = `[${items.join(', ')}]`;
          if (before !== after) {
            book.edit(file, replaceList(file, slot, items));
            book.change({ ...where, setters: [def.name], before, after });
          }
          continue;
        }
        if (slot.kind !== 'scalar') continue;
        const before = sourceOf(file, slot.node);
        const after = renderScalar(fieldValue(def, current(def)), { type: slot.node.type, source: before, value: slot.node.value }, writeMode(def), slot.inFlow);
        if (after !== before) {
          book.edit(file, replaceNode(slot.node, after));
          book.change({ ...where, setters: [def.name], before, after });
        }
        continue;
      }
      // a substitution: recompute when any of its setters is being set
      const setters = def.values.map((v) => resolve(v.ref)).filter((s): s is SetterDef => !!s && 'id' in s);
      if (setters.length !== def.values.length || !setters.some(touched) || slot.kind !== 'scalar') continue;
      // Escaped where the values land when the pattern is an embedded JSON or YAML document.
      const filled = fillEmbedded(
        def.pattern,
        def.values.map((v, i) => ({ marker: v.marker, value: fieldValue(setters[i], current(setters[i])) })),
        fillPattern,
      );
      if ('problem' in filled) {
        book.problem({ ...where, message: `substitution ${JSON.stringify(def.name)} (setters ${setters.filter(touched).map((x) => JSON.stringify(x.name)).join(', ')}): ${filled.problem}` });
        continue;
      }
      const value = filled.value;
      const before = sourceOf(file, slot.node);
      const after = renderScalar(value, { type: slot.node.type, source: before, value: slot.node.value }, 'string', slot.inFlow);
      if (after !== before) {
        book.edit(file, replaceNode(slot.node, after));
        book.change({ ...where, setters: [def.name, ...setters.filter(touched).map((s) => s.name)], before, after });
      }
    }
  }
}

/** `$ref` comments in a package with no kpt v0 Kptfile can resolve to nothing. */
export function refsWithoutDefinitions(files: readonly SourceFile[], book: EditBook): void {
  for (const file of files) {
    for (const slot of slotsOf(file)) {
      const parsed = parseSetterComment(slot.comment);
      if (parsed?.kind !== 'ref') continue;
      const anchor = slot.kind === 'scalar' ? slot.node : slot.key;
      book.problem({
        file: file.path,
        line: lineOf(file, anchor.range![0]),
        field: fieldName(slot.path),
        message: `$ref ${JSON.stringify(parsed.ref)} points to no definition (the package has no kpt.dev/v1alpha1 Kptfile)`,
      });
    }
  }
}
