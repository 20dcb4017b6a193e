import { yamlErrorReason } from '../util/yaml-errors';
import { Document, isMap, isScalar, isSeq, LineCounter, Node, parseAllDocuments } from 'yaml';
import type { LintInputError, LintResource } from './model';

/**
 * Reads manifest text (multi-document YAML, or JSON, which YAML parses too) into
 * resources that can say on which line any of their fields is.
 */

/** Manifests with more aliases than this are refused (alias bombs). */
const MAX_ALIAS_COUNT = 1000;

export interface Position {
  readonly line: number;
  readonly column: number;
}

export interface LocatedResource {
  readonly resource: LintResource;
  /** Line and column of a field path inside the resource; the nearest existing ancestor if it is missing. */
  readonly locate: (path: readonly (string | number)[]) => Position;
}

export interface ParsedManifests {
  readonly resources: LocatedResource[];
  readonly errors: LintInputError[];
}

export function parseManifests(text: string, file: string): ParsedManifests {
  const lineCounter = new LineCounter();
  const docs = parseAllDocuments(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const position = (offset: number): Position => {
    const p = lineCounter.linePos(offset);
    return { line: p.line, column: p.col };
  };
  // parseAllDocuments returns an EmptyStream (no `errors`) for text with no documents.
  if (!Array.isArray(docs)) return { resources: [], errors: [] };
  const errors: LintInputError[] = [];
  const resources: LocatedResource[] = [];
  for (const doc of docs) {
    if (doc.errors.length > 0) {
      for (const e of doc.errors) {
        const p = position(e.pos[0]);
        // The reason only: the parser's message may quote the manifest (a Secret's key).
        errors.push({ file, ...p, message: `not valid YAML: ${yamlErrorReason(e)}` });
      }
      continue;
    }
    let value: unknown;
    try {
      value = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
    } catch (e) {
      errors.push({ file, ...position(doc.range[0]), message: `refused: ${yamlErrorReason(e as Error)}` });
      continue;
    }
    resources.push(...resourcesOf(value, [], doc, position));
  }
  return { resources, errors };
}

/** Kubernetes objects in a document; a `List` (kubectl's `kind: List`, `FooList`) gives its items. */
function resourcesOf(value: unknown, at: (string | number)[], doc: Document.Parsed, position: (offset: number) => Position): LocatedResource[] {
  return objectsOf(value, at).map(({ resource, path }) => ({ resource, locate: (p) => position(offsetOf(doc, [...path, ...p])) }));
}

/** The Kubernetes objects in a value, each with its path in the value (lists expanded). */
export function objectsOf(value: unknown, at: (string | number)[] = []): { resource: LintResource; path: (string | number)[] }[] {
  if (!isObject(value) || typeof value.kind !== 'string' || typeof value.apiVersion !== 'string') return [];
  if (value.kind.endsWith('List') && Array.isArray(value.items)) {
    return value.items.flatMap((item, i) => objectsOf(item, [...at, 'items', i]));
  }
  const metadata = isObject(value.metadata) ? value.metadata : {};
  const apiVersion = value.apiVersion;
  const resource: LintResource = {
    apiVersion,
    group: apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : '',
    kind: value.kind,
    ...(typeof metadata.name === 'string' ? { name: metadata.name } : {}),
    ...(typeof metadata.namespace === 'string' ? { namespace: metadata.namespace } : {}),
    body: value,
  };
  return [{ resource, path: at }];
}

/**
 * Start offset of the deepest node on a path. For a mapping entry it is the key's
 * offset, so a finding points at `consistentHash:` rather than the line below it.
 */
function offsetOf(doc: Document.Parsed, path: readonly (string | number)[]): number {
  let node: unknown = doc.contents;
  let offset = (doc.contents as Node | null)?.range?.[0] ?? doc.range[0];
  for (const part of path) {
    if (isMap(node)) {
      const pair = node.items.find((p) => (isScalar(p.key) ? p.key.value : p.key) === part);
      if (!pair) break;
      const keyRange = isScalar(pair.key) ? pair.key.range : undefined;
      if (keyRange) offset = keyRange[0];
      node = pair.value;
    } else if (isSeq(node) && typeof part === 'number') {
      const item = node.items[part];
      if (!item) break;
      const range = (item as Node).range;
      if (range) offset = range[0];
      node = item;
    } else break;
  }
  return offset;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
