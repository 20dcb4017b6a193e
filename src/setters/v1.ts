import { fillEmbedded } from './embed';
import { isMap, isPair, isScalar, Pair, Scalar, YAMLMap } from 'yaml';
import { parseSetterComment, patternNames } from './comments';
import { appendPairs, EditBook, listSummary, replaceList, replaceNode } from './edits';
import { get, scalarText } from './kptfile';
import { columnOf, fieldName, lineOf, Slot, slotsOf, sourceOf, SourceFile } from './source';
import { renderScalar } from './style';
import { looksLikeList, parseListValue, valueProblem } from './values';

/** Where an `apply-setters` function config keeps its values. */
export interface V1Config {
  readonly file: SourceFile;
  /** The mapping holding the values: ConfigMap `data`, or the Kptfile's inline `configMap`. */
  readonly data?: YAMLMap;
  /** Where a missing `data:` would be added (the ConfigMap itself). */
  readonly owner: YAMLMap;
}

/** A package whose fields carry `# kpt-set:` comments, rendered as kpt v1 `apply-setters` would. */
export interface V1Package {
  /** Package YAML files; kpt render shows the function every resource, configs included. */
  readonly files: readonly SourceFile[];
  /** Function configs in pipeline order; empty when the package has no apply-setters step. */
  readonly configs: readonly V1Config[];
}

/** Finds the ConfigMap of a config file; kpt reads the first document. */
export function configFromFile(file: SourceFile): V1Config | undefined {
  const root = file.docs[0]?.contents;
  if (!isMap(root)) return undefined;
  const data = get(root, 'data');
  return { file, data: isMap(data) ? (data as YAMLMap) : undefined, owner: root as YAMLMap };
}

function entries(config: V1Config): Pair[] {
  return (config.data?.items ?? []).filter((p): p is Pair => isPair(p) && isScalar(p.key));
}

/** Setter values of the configs; a later config wins, as its function runs later. */
export function configValues(pkg: V1Package): Map<string, string> {
  const values = new Map<string, string>();
  for (const c of pkg.configs) for (const p of entries(c)) values.set(String((p.key as Scalar).value), scalarText(p.value) ?? '');
  return values;
}

/** Each recorded value with where it is written (file, 1-based line), a later config winning. */
export function configEntries(pkg: V1Package): Map<string, { value: string; file: string; line: number }> {
  const out = new Map<string, { value: string; file: string; line: number }>();
  for (const c of pkg.configs) {
    for (const p of entries(c)) {
      out.set(String((p.key as Scalar).value), { value: scalarText(p.value) ?? '', file: c.file.path, line: lineOf(c.file, (p.key as Scalar).range![0]) });
    }
  }
  return out;
}

interface PatternSlot {
  readonly file: SourceFile;
  readonly slot: Slot;
  readonly pattern: string;
}

export function patternSlots(files: readonly SourceFile[]): PatternSlot[] {
  const out: PatternSlot[] = [];
  for (const file of files) {
    for (const slot of slotsOf(file)) {
      const parsed = parseSetterComment(slot.comment);
      if (parsed?.kind === 'kpt-set') out.push({ file, slot, pattern: parsed.pattern });
    }
  }
  return out;
}

export function v1SetterNames(pkg: V1Package, slots: readonly PatternSlot[]): string[] {
  return [...new Set([...configValues(pkg).keys(), ...slots.flatMap((s) => patternNames(s.pattern))])];
}

/** A list value as the block text kpt's README shows in ConfigMaps (`- prod` lines). */
function listAsBlockLines(value: string): string[] | undefined {
  const list = parseListValue(value);
  return 'items' in list ? list.items.map((i) => `- ${i.source}`) : undefined;
}

/** Writes a new value into a ConfigMap entry, keeping the entry's style (block literal or scalar). */
function writeConfigValue(config: V1Config, pair: Pair, value: string, book: EditBook): void {
  const file = config.file;
  const node = pair.value as Scalar;
  const before = sourceOf(file, node);
  let after: string;
  if (node.type === 'BLOCK_LITERAL' || node.type === 'BLOCK_FOLDED') {
    const header = /^[|>][-+0-9]*/.exec(before)![0];
    const firstContent = /\n( +)\S/.exec(before);
    const indent = firstContent ? firstContent[1] : ' '.repeat(columnOf(file, (pair.key as Scalar).range![0]) + 2);
    const lines = looksLikeList(value) ? (listAsBlockLines(value) ?? [value]) : value.split('\n');
    after = `${header}\n${lines.map((l) => indent + l).join('\n')}${before.endsWith('\n') ? '\n' : ''}`;
  } else {
    // ConfigMap data values are strings: a value that reads as a number stays quoted
    after = renderScalar(value, { type: node.type, source: before, value: node.value }, 'string');
  }
  if (after === before) return;
  book.edit(file, replaceNode(node, after));
  book.change({
    file: file.path,
    line: lineOf(file, node.range![0]),
    field: fieldName(['data', String((pair.key as Scalar).value)]),
    setters: [String((pair.key as Scalar).value)],
    before,
    after,
  });
}

function addConfigValue(config: V1Config, name: string, value: string, book: EditBook): void {
  const file = config.file;
  const list = looksLikeList(value) ? listAsBlockLines(value) : undefined;
  const key = /^[A-Za-z0-9_.-]+$/.test(name) ? name : JSON.stringify(name);
  const entry = list
    ? [`${key}: |-`, ...list.map((l) => `  ${l}`)]
    : [`${key}: ${renderScalar(value, { type: 'PLAIN', source: '' }, 'string')}`];
  const edit = config.data
    ? appendPairs(file, config.data, entry)
    : appendPairs(file, config.owner, ['data:', ...entry.map((l) => `  ${l}`)]);
  book.edit(file, edit);
  book.change({ file: file.path, line: lineOf(file, edit.start), field: fieldName(['data', name]), setters: [name], before: '', after: entry.join('\n') });
}

/**
 * Values for the `${}` names of a pattern that were not given, read back from the
 * field's current text (kpt's currentSetterValues): `my-${a}.${b}` against
 * `my-x.y` gives a=x, b=y. Nothing is derived if any part comes out empty.
 */
function derivedValues(pattern: string, current: string): Map<string, string> {
  const names: string[] = [];
  const source = pattern
    .split(/(\$\{[^}]*\})/)
    .map((part) => {
      const m = /^\$\{([^}]*)\}$/.exec(part);
      if (!m) return part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      names.push(m[1].trim());
      return '(.*)';
    })
    .join('');
  const match = new RegExp(source).exec(current);
  const out = new Map<string, string>();
  if (!match || match.length - 1 !== names.length || match.slice(1).some((v) => v === '')) return out;
  names.forEach((n, i) => out.set(n, match[i + 1]));
  return out;
}

/** `apply-setters`: every tagged field that names at least one given setter gets its pattern filled in. */
function render(pkg: V1Package, slots: readonly PatternSlot[], values: ReadonlyMap<string, string>, book: EditBook): void {
  for (const { file, slot, pattern } of slots) {
    const names = patternNames(pattern);
    if (!names.some((n) => values.has(n))) continue;
    const anchor = slot.kind === 'scalar' ? slot.node : slot.key;
    const where = { file: file.path, line: lineOf(file, anchor.range![0]), field: fieldName(slot.path) };
    if (slot.kind === 'seq') {
      if (!/^\$\{[^}]*\}$/.test(pattern)) {
        book.problem({ ...where, message: `invalid setter pattern for a list: ${JSON.stringify(pattern)} (use a single \${name})` });
        continue;
      }
      const list = parseListValue(values.get(names[0]) ?? '');
      if ('error' in list) {
        book.problem({ ...where, message: `setter ${JSON.stringify(names[0])}: ${list.error}` });
        continue;
      }
      const items = list.items.map((i) => i.source);
      const before = listSummary(file, slot.seq);
      const after = `[${items.join(', ')}]`;
      if (before !== after) {
        book.edit(file, replaceList(file, slot, items));
        book.change({ ...where, setters: names, before, after });
      }
      continue;
    }
    let bad = false;
    for (const n of names.filter((x) => values.has(x))) {
      const problem = valueProblem(values.get(n)!, undefined);
      if (problem) {
        book.problem({ ...where, message: `setter ${JSON.stringify(n)}: ${problem}` });
        bad = true;
      }
    }
    if (bad) continue;
    const derived = derivedValues(pattern, String(slot.node.value ?? ''));
    const missing = names.filter((n) => !values.has(n) && !derived.has(n));
    if (missing.length > 0) {
      book.problem({ ...where, message: `values for setters ${missing.map((n) => `\${${n}}`).join(', ')} must be provided` });
      continue;
    }
    // Escaped where the values land when the pattern is an embedded JSON or YAML document.
    const markers = names.map((n) => ({ marker: n, value: values.get(n) ?? derived.get(n)! }));
    const filled = fillEmbedded(pattern, markers, (text, ms) => text.replace(/\$\{([^}]*)\}/g, (whole, n: string) => ms.find((m) => m.marker === n.trim())?.value ?? whole));
    if ('problem' in filled) {
      book.problem({ ...where, message: `setters ${names.map((n) => JSON.stringify(n)).join(', ')}: ${filled.problem}` });
      continue;
    }
    const value = filled.value;
    const before = sourceOf(file, slot.node);
    const after = renderScalar(value, { type: slot.node.type, source: before, value: slot.node.value }, 'any', slot.inFlow);
    if (after !== before) {
      book.edit(file, replaceNode(slot.node, after));
      book.change({ ...where, setters: names.filter((n) => values.has(n)), before, after });
    }
  }
}

/**
 * kpt v1: NAME=VALUE pairs first update the apply-setters ConfigMap (adding entries
 * for setters the package uses but the ConfigMap lacks), then the package is rendered
 * with the ConfigMap's values, as `kpt fn render` runs the function. A package with
 * tagged fields but no apply-setters step gets just the given values (`kpt fn eval`).
 */
export function applyV1(pkg: V1Package, assigned: ReadonlyMap<string, string>, book: EditBook): void {
  const slots = patternSlots(pkg.files);
  for (const [name, value] of assigned) {
    const holders = pkg.configs.filter((c) => entries(c).some((p) => (p.key as Scalar).value === name));
    for (const c of holders) writeConfigValue(c, entries(c).find((p) => (p.key as Scalar).value === name)!, value, book);
    if (holders.length === 0 && pkg.configs.length > 0) addConfigValue(pkg.configs[0], name, value, book);
  }
  const values = configValues(pkg);
  for (const [name, value] of assigned) values.set(name, value);
  if (values.size > 0) render(pkg, slots, values, book);
}
