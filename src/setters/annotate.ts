import { yamlErrorReason } from '../util/yaml-errors';
import { Document, isMap, isPair, isScalar, isSeq, parseAllDocuments, Scalar, stringify, YAMLMap, YAMLSeq } from 'yaml';
import { KPT_SET } from './comments';
import { REF_PREFIX, SETTER_PREFIX, SUBSTITUTION_PREFIX } from './kptfile';
import type { PackageFile } from './types';

/**
 * Turns a package rendered with placeholder values into a kpt package: every field
 * that carries a placeholder gets a setter comment, and a Kptfile defines the setters.
 *
 * A field is found two ways:
 * - by value: setters whose placeholder is a unique token (`PROJECT_ID`, `asm-cluster`)
 *   are matched wherever the token occurs in a string, alone or inside a longer value;
 * - by field rule: placeholders that are ordinary words or numbers (`default`, `REGULAR`,
 *   `4`) are matched only in the fields a rule names (kind + path), so `default`
 *   elsewhere is left alone.
 * A field equal to one placeholder refers to the setter; any other field refers to a
 * substitution whose pattern is the value with the placeholders replaced by markers (a
 * known substitution when the pattern is one, else one named after the pattern or field).
 *
 * kpt v0 (`kpt.dev/v1alpha1` Kptfile, `# {"$ref":"#/definitions/..."}` comments) and
 * kpt v1 (`# kpt-set: ${name}` comments, an `apply-setters` ConfigMap) are produced from
 * the same analysis.
 */

/** A setter of the package. */
export interface SetterSpec {
  /** Setter name; also the definition key suffix (`io.k8s.cli.setters.NAME`) in kpt v0. */
  readonly name: string;
  /** The placeholder the package is rendered with; what the field text holds. */
  readonly value: string;
  /** Marker standing for this setter in generated kpt v0 substitution patterns. */
  readonly marker: string;
  /** `integer` setters are written unquoted (kpt v0 `type`). */
  readonly type?: 'string' | 'integer';
  readonly description?: string;
  /** kpt v0 `isSet: true`: a value chosen on purpose, which kpt's gcloud auto-fill leaves alone. */
  readonly isSet?: boolean;
  /** The placeholder is unique in the package: match it in any string field. */
  readonly byValue: boolean;
}

/** Fields holding placeholders that are not unique tokens. */
export interface FieldRule {
  /** Resource `kind` the rule applies to. */
  readonly kind: string;
  /** Dotted field path; `*` matches any list index or key. */
  readonly path: string;
  /** Setters whose placeholder occurs in the field (whole value or part of it). */
  readonly setters: readonly string[];
  /** Only resources in this namespace (e.g. one component's ConfigMap). */
  readonly namespace?: string;
}

/** A substitution users already know by name (e.g. ASM's `workload_identity`). */
export interface KnownSubstitution {
  readonly name: string;
  /** Pattern with markers. */
  readonly pattern: string;
  /** Marker → setter name, in the order written to the Kptfile. */
  readonly markers: readonly { readonly marker: string; readonly setter: string }[];
}

export type PackageFormat = 'v0' | 'v1';

export interface AnnotateOptions {
  /** Package name (Kptfile `metadata.name`). */
  readonly name: string;
  readonly description: string;
  readonly setters: readonly SetterSpec[];
  readonly rules?: readonly FieldRule[];
  readonly substitutions?: readonly KnownSubstitution[];
  /** @default 'v0' */
  readonly format?: PackageFormat;
  /** kpt v1: the apply-setters image. @default gcr.io/kpt-fn/apply-setters:v0.2 */
  readonly applySettersImage?: string;
}

/** A field holding a placeholder that no setter comment can cover. */
export interface UnsupportedField {
  readonly file: string;
  /** 0-based document index in the file. */
  readonly doc: number;
  readonly field: string;
  /** The field as keys and list indices. */
  readonly path: readonly (string | number)[];
  readonly setters: readonly string[];
  readonly reason: string;
}

export interface AnnotatedPackage {
  /** The package: the input files (YAML annotated), the Kptfile, and for kpt v1 `setters.yaml`. */
  readonly files: PackageFile[];
  /** Setters the package uses, in definition order. */
  readonly setters: readonly SetterSpec[];
  /** Substitutions the kpt v0 Kptfile defines (empty for v1). */
  readonly substitutions: readonly KnownSubstitution[];
  /** Fields left without a setter comment, with the reason; their values do not follow the setters. */
  readonly unsupported: readonly UnsupportedField[];
}

export const APPLY_SETTERS_IMAGE = 'gcr.io/kpt-fn/apply-setters:v0.2';
export const V1_SETTERS_FILE = 'setters.yaml';

/** A value split into literal text and setter placeholders. */
type Part = string | { readonly setter: string };

const YAML_FILE = /(^|\/)[^/]+\.ya?ml$/;

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function pathMatches(rulePath: readonly string[], path: readonly (string | number)[]): boolean {
  return rulePath.length === path.length && rulePath.every((p, i) => p === '*' || p === String(path[i]));
}

function formatField(path: readonly (string | number)[]): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : `${i === 0 ? '' : '.'}${p}`)).join('');
}

function slug(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

function sameParts(a: readonly Part[], b: readonly Part[]): boolean {
  return (
    a.length === b.length &&
    a.every((p, i) => {
      const q = b[i];
      return typeof p === 'string' ? p === q : typeof q !== 'string' && p.setter === q.setter;
    })
  );
}

/** A known substitution's pattern as parts. */
function knownParts(sub: KnownSubstitution): Part[] {
  const re = new RegExp(
    [...sub.markers]
      .sort((a, b) => b.marker.length - a.marker.length)
      .map((m) => escapeRegExp(m.marker))
      .join('|'),
    'g',
  );
  const parts: Part[] = [];
  let at = 0;
  for (const m of sub.pattern.matchAll(re)) {
    if (m.index! > at) parts.push(sub.pattern.slice(at, m.index));
    parts.push({ setter: sub.markers.find((x) => x.marker === m[0])!.setter });
    at = m.index! + m[0].length;
  }
  if (at < sub.pattern.length) parts.push(sub.pattern.slice(at));
  return parts;
}

function count(haystack: string, needle: string): number {
  let n = 0;
  for (let i = haystack.indexOf(needle); i !== -1; i = haystack.indexOf(needle, i + needle.length)) n++;
  return n;
}

/**
 * Markers for a generated pattern: the setter's marker unless the literal text holds it
 * or markers would overlap; then `${MARKER}`, then numbered variants.
 */
function chooseMarkers(parts: readonly Part[], setters: ReadonlyMap<string, SetterSpec>): Map<string, string> | undefined {
  const names = [...new Set(parts.filter((p): p is { setter: string } => typeof p !== 'string').map((p) => p.setter))];
  for (let variant = 0; variant < 10; variant++) {
    const markers = new Map(
      names.map((n) => {
        const base = setters.get(n)!.marker;
        return [n, variant === 0 ? base : variant === 1 ? `\${${base}}` : `\${${base}_${variant}}`];
      }),
    );
    const pattern = parts.map((p) => (typeof p === 'string' ? p : markers.get(p.setter)!)).join('');
    const all = [...markers.values()];
    const overlap = all.some((m, i) => all.some((o, j) => i !== j && o.includes(m)));
    const exact = names.every(
      (n) => count(pattern, markers.get(n)!) === parts.filter((p) => typeof p !== 'string' && p.setter === n).length,
    );
    if (!overlap && exact) return markers;
  }
  return undefined;
}

interface Hit {
  readonly node: Scalar;
  readonly path: readonly (string | number)[];
  readonly parts: readonly Part[];
  /** Collections to turn to block style so a line comment can follow the scalar. */
  readonly flowParents: readonly (YAMLMap | YAMLSeq)[];
}

/**
 * Annotates rendered package files (YAML files are rewritten; others are copied) and
 * adds the Kptfile (and for kpt v1 the setters ConfigMap). Throws when a placeholder
 * does not read back from its pattern, which would be a bug in the tables.
 */
export function annotatePackage(files: readonly PackageFile[], options: AnnotateOptions): AnnotatedPackage {
  const format = options.format ?? 'v0';
  const setters = new Map(options.setters.map((s) => [s.name, s]));
  const rules = (options.rules ?? []).map((r) => ({ ...r, parsed: r.path.split('.') }));
  for (const r of rules) {
    for (const s of r.setters) if (!setters.has(s)) throw new Error(`field rule ${r.kind} ${r.path}: no setter ${s}`);
  }
  const known = (options.substitutions ?? []).map((s) => ({ sub: s, parts: knownParts(s) }));
  const byValue = options.setters.filter((s) => s.byValue);

  const used = new Set<string>();
  const unsupported: UnsupportedField[] = [];
  const subs: { sub: KnownSubstitution; parts: readonly Part[] }[] = [];
  const subNames = new Set<string>();

  const tokenize = (text: string, candidates: readonly SetterSpec[]): Part[] | undefined => {
    const list = candidates.filter((c) => c.value !== '');
    if (list.length === 0) return undefined;
    const sorted = [...list].sort((a, b) => b.value.length - a.value.length);
    // Whole tokens only: PROJECT_NUMBER is a placeholder, TRAFFICDIRECTOR_GCP_PROJECT_NUMBER a name.
    const re = new RegExp(`(?<![A-Za-z0-9_])(?:${sorted.map((c) => escapeRegExp(c.value)).join('|')})(?![A-Za-z0-9_])`, 'g');
    const parts: Part[] = [];
    let at = 0;
    for (const m of text.matchAll(re)) {
      if (m.index! > at) parts.push(text.slice(at, m.index));
      parts.push({ setter: sorted.find((c) => c.value === m[0])!.name });
      at = m.index! + m[0].length;
    }
    if (parts.length === 0) return undefined;
    if (at < text.length) parts.push(text.slice(at));
    return parts;
  };

  /** The substitution for a pattern: a known one, an earlier one, or a new one. */
  const substitutionFor = (parts: readonly Part[], fieldName: string): KnownSubstitution | undefined => {
    const existing = subs.find((s) => sameParts(s.parts, parts));
    if (existing) return existing.sub;
    const k = known.find((s) => sameParts(s.parts, parts));
    let sub: KnownSubstitution | undefined = k?.sub;
    if (!sub) {
      const markers = chooseMarkers(parts, setters);
      if (!markers) return undefined;
      const literal = parts.map((p) => (typeof p === 'string' ? p : setters.get(p.setter)!.marker)).join('');
      const image = /^\{setter\}\/([A-Za-z0-9._-]+):\{setter\}$/.exec(
        parts.map((p) => (typeof p === 'string' ? p : '{setter}')).join(''),
      );
      let base = image ? `image-${slug(image[1])}` : literal.length <= 48 && !literal.includes('\n') ? slug(literal) : slug(fieldName);
      if (base === '') base = 'value';
      let name = base;
      for (let i = 2; subNames.has(name) || setters.has(name); i++) name = `${base}-${i}`;
      sub = {
        name,
        pattern: parts.map((p) => (typeof p === 'string' ? p : markers.get(p.setter)!)).join(''),
        markers: [...markers].map(([setter, marker]) => ({ marker, setter })),
      };
    }
    subs.push({ sub, parts });
    subNames.add(sub.name);
    return sub;
  };

  const out: PackageFile[] = [];
  for (const file of files) {
    if (!YAML_FILE.test(file.path)) {
      out.push(file);
      continue;
    }
    const docs = parseAllDocuments(file.content);
    if (!Array.isArray(docs)) {
      out.push(file);
      continue;
    }
    let changed = false;
    const multiline = new Map<string, string>();
    docs.forEach((doc, docIndex) => {
      if (doc.errors.length > 0) throw new Error(`${file.path}: not valid YAML: ${yamlErrorReason(doc.errors[0])}`);
      const root = doc.contents;
      const kind = isMap(root) ? String((root as YAMLMap).get('kind') ?? '') : '';
      const namespace = isMap(root) ? (root as YAMLMap).getIn(['metadata', 'namespace']) : undefined;
      const docRules = rules.filter((r) => r.kind === kind && (r.namespace === undefined || r.namespace === namespace));
      const resourceName = String((isMap(root) && (root as YAMLMap).getIn(['metadata', 'name'])) || kind);
      const hits: Hit[] = [];
      const visit = (node: unknown, path: (string | number)[], flow: (YAMLMap | YAMLSeq)[]): void => {
        if (isMap(node)) {
          const map = node as YAMLMap;
          const inner = map.flow ? [...flow, map] : flow;
          for (const pair of map.items) {
            if (!isPair(pair)) continue;
            const key = isScalar(pair.key) ? String(pair.key.value) : '?';
            const keyParts = isScalar(pair.key) ? tokenize(key, byValue) : undefined;
            if (keyParts) {
              unsupported.push({
                file: file.path,
                doc: docIndex,
                field: formatField([...path, key]),
                path: [...path, key],
                setters: keyParts.flatMap((p) => (typeof p === 'string' ? [] : [p.setter])),
                reason: 'a mapping key holds the placeholder; setters change values only',
              });
            }
            visit(pair.value, [...path, key], inner);
          }
        } else if (isSeq(node)) {
          const seq = node as YAMLSeq;
          const inner = seq.flow ? [...flow, seq] : flow;
          seq.items.forEach((item, i) => visit(item, [...path, i], inner));
        } else if (isScalar(node)) {
          const scalar = node as Scalar;
          const value = scalar.value;
          if (typeof value !== 'string' && typeof value !== 'number') return;
          const text = String(value);
          const ruleSetters = docRules.filter((r) => pathMatches(r.parsed, path)).flatMap((r) => r.setters.map((s) => setters.get(s)!));
          const candidates = typeof value === 'string' ? [...byValue, ...ruleSetters] : ruleSetters;
          const parts = tokenize(text, candidates);
          if (!parts) {
            if (ruleSetters.length > 0) {
              throw new Error(
                `${file.path}: ${kind} ${formatField(path)}: the field rule expects ${ruleSetters.map((s) => s.value).join(', ')} in ${JSON.stringify(text)}`,
              );
            }
            return;
          }
          hits.push({ node: scalar, path, parts, flowParents: flow });
        }
      };
      visit(root, [], []);

      for (const hit of hits) {
        const { node, parts } = hit;
        const names = [...new Set(parts.flatMap((p) => (typeof p === 'string' ? [] : [p.setter])))];
        const field = formatField(hit.path);
        const text = String(node.value);
        const miss = (reason: string): void => {
          unsupported.push({ file: file.path, doc: docIndex, field, path: hit.path, setters: names, reason });
        };
        if (node.comment) {
          miss('the field already has a line comment');
          continue;
        }
        const whole = parts.length === 1 && typeof parts[0] !== 'string' ? (parts[0] as { setter: string }).setter : undefined;
        let comment: string;
        if (format === 'v0') {
          if (whole) {
            comment = ` {"$ref":"${REF_PREFIX}${SETTER_PREFIX}${whole}"}`;
          } else {
            // Named after the resource without its placeholders, so no placeholder survives a set in the Kptfile.
            const bareName = (tokenize(resourceName, byValue) ?? [resourceName]).filter((p): p is string => typeof p === 'string').join('');
            const sub = substitutionFor(parts, `${bareName}.${field}`);
            if (!sub) {
              miss('no markers that the value does not already contain');
              continue;
            }
            comment = ` {"$ref":"${REF_PREFIX}${SUBSTITUTION_PREFIX}${sub.name}"}`;
          }
        } else {
          const literal = parts.filter((p): p is string => typeof p === 'string').join('');
          if (text.includes('\n') || text.includes('\r')) {
            miss('a multi-line value: a kpt-set pattern is one comment line');
            continue;
          }
          if (literal.includes('${')) {
            miss('the value contains "${", which apply-setters reads as a setter');
            continue;
          }
          comment = ` ${KPT_SET.slice(2)}${parts.map((p) => (typeof p === 'string' ? p : `\${${p.setter}}`)).join('')}`.trimEnd();
        }
        // the pattern must give back the rendered value
        const filled = parts.map((p) => (typeof p === 'string' ? p : setters.get(p.setter)!.value)).join('');
        if (filled !== text) throw new Error(`${file.path}: ${field}: pattern does not reproduce ${JSON.stringify(text)}`);
        names.forEach((n) => used.add(n));
        for (const parent of hit.flowParents) parent.flow = false;
        // plain strings are double-quoted, as ASM packages write them, so a value that reads
        // as a number (a project number) stays a string; multi-line text becomes a
        // double-quoted scalar with escaped line breaks, whose last line a comment can end
        if (typeof node.value === 'string' && node.type !== 'QUOTE_SINGLE') node.type = 'QUOTE_DOUBLE';
        if (text.includes('\n')) {
          const token = `ASMPKG-MULTILINE-${multiline.size}`;
          multiline.set(token, text);
          node.value = token;
        }
        node.comment = comment;
        changed = true;
      }
    });
    if (changed) {
      const content = expandMultiline(joinDocuments(docs), multiline);
      // the annotated file must hold the same resources
      if (resourcesOf(content) !== resourcesOf(file.content)) throw new Error(`${file.path}: annotating changed the resources`);
      out.push({ path: file.path, content });
    } else {
      out.push(file);
    }
  }

  const usedSetters = options.setters.filter((s) => used.has(s.name));
  const knownOrder = (options.substitutions ?? []).map((s) => s.name);
  const usedSubs = subs
    .map((s) => s.sub)
    .sort((a, b) => {
      const ka = knownOrder.indexOf(a.name);
      const kb = knownOrder.indexOf(b.name);
      if (ka !== -1 || kb !== -1) return (ka === -1 ? Infinity : ka) - (kb === -1 ? Infinity : kb);
      return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
    });

  if (format === 'v0') {
    out.unshift({ path: 'Kptfile', content: kptfileV0(options, usedSetters, usedSubs) });
  } else {
    out.unshift({ path: V1_SETTERS_FILE, content: settersConfigMap(usedSetters) });
    out.unshift({ path: 'Kptfile', content: kptfileV1(options) });
  }
  return { files: out, setters: usedSetters, substitutions: format === 'v0' ? usedSubs : [], unsupported };
}

/** A file's documents as JSON, to compare what two texts hold. */
function resourcesOf(text: string): string {
  const docs = parseAllDocuments(text);
  return JSON.stringify(Array.isArray(docs) ? docs.map((d) => d.toJS()) : []);
}

const DOC_OPTIONS = { lineWidth: 0 } as const;

/**
 * A multi-line string as a double-quoted scalar, one source line per line of text: each
 * line ends with `\n\` (an escaped line break, which also drops the next line's
 * indentation), and a leading space is escaped so it is kept.
 */
export function multilineDoubleQuoted(value: string, indent: string): string {
  const lines = value.split('\n');
  const escape = (line: string): string => JSON.stringify(line).slice(1, -1).replace(/^ /, '\\ ');
  let out = '"';
  for (let i = 0; i < lines.length; i++) {
    out += escape(lines[i]);
    if (i === lines.length - 1) break;
    out += '\\n';
    if (i === lines.length - 2 && lines[i + 1] === '') break;
    out += `\\\n${indent}`;
  }
  return out + '"';
}

/** Replaces the stand-in scalars of multi-line values with their text, indented below their key. */
function expandMultiline(text: string, values: ReadonlyMap<string, string>): string {
  let out = text;
  for (const [token, value] of values) {
    const at = out.indexOf(`"${token}"`);
    if (at === -1) throw new Error(`lost multi-line value ${token}`);
    const lineStart = out.lastIndexOf('\n', at) + 1;
    const indent = /^ */.exec(out.slice(lineStart))![0] + '  ';
    out = out.slice(0, at) + multilineDoubleQuoted(value, indent) + out.slice(at + token.length + 2);
  }
  return out;
}

/** Documents back to one file; the first keeps the file's header comment. */
function joinDocuments(docs: readonly Document[]): string {
  return docs
    .map((d, i) => {
      d.directives!.docStart = i === 0 ? null : true;
      return d.toString(DOC_OPTIONS);
    })
    .join('');
}

function kptfileV0(options: AnnotateOptions, setters: readonly SetterSpec[], subs: readonly KnownSubstitution[]): string {
  const definitions: Record<string, unknown> = {};
  for (const s of setters) {
    definitions[`${SETTER_PREFIX}${s.name}`] = {
      ...(s.description ? { description: s.description } : {}),
      ...(s.type === 'integer' ? { type: 'integer' } : {}),
      'x-k8s-cli': { setter: { name: s.name, value: s.value, ...(s.isSet ? { isSet: true } : {}) } },
    };
  }
  for (const sub of subs) {
    definitions[`${SUBSTITUTION_PREFIX}${sub.name}`] = {
      'x-k8s-cli': {
        substitution: {
          name: sub.name,
          pattern: sub.pattern,
          values: sub.markers.map((m) => ({ marker: m.marker, ref: `${REF_PREFIX}${SETTER_PREFIX}${m.setter}` })),
        },
      },
    };
  }
  const kptfile = {
    apiVersion: 'kpt.dev/v1alpha1',
    kind: 'Kptfile',
    metadata: { name: options.name },
    packageMetadata: { shortDescription: options.description },
    openAPI: { definitions },
  };
  return stringify(kptfile, { lineWidth: 0, blockQuote: 'literal' });
}

function kptfileV1(options: AnnotateOptions): string {
  const kptfile = {
    apiVersion: 'kpt.dev/v1',
    kind: 'Kptfile',
    metadata: { name: options.name, annotations: { 'config.kubernetes.io/local-config': 'true' } },
    info: { description: options.description },
    pipeline: { mutators: [{ image: options.applySettersImage ?? APPLY_SETTERS_IMAGE, configPath: V1_SETTERS_FILE }] },
  };
  return stringify(kptfile, { lineWidth: 0 });
}

function settersConfigMap(setters: readonly SetterSpec[]): string {
  const doc = new Document({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'setters', annotations: { 'config.kubernetes.io/local-config': 'true' } },
    data: Object.fromEntries(setters.map((s) => [s.name, s.value])),
  });
  doc.commentBefore = ' Values of the apply-setters function (see Kptfile): edit them, then run kpt fn render.';
  // descriptions as comments on the entries
  const data = doc.get('data', true) as YAMLMap;
  for (const pair of data.items) {
    const s = setters.find((x) => isScalar(pair.key) && x.name === pair.key.value);
    if (s?.description && isScalar(pair.key)) (pair.key as Scalar).commentBefore = ` ${s.description}`;
  }
  return doc.toString({ lineWidth: 0 });
}
