import { isMap, isPair, isScalar, isSeq, Pair, YAMLMap, YAMLSeq } from 'yaml';
import { lineOf, SourceFile } from './source';
import { SetterProblem } from './types';

export const SETTER_PREFIX = 'io.k8s.cli.setters.';
export const SUBSTITUTION_PREFIX = 'io.k8s.cli.substitutions.';
export const REF_PREFIX = '#/definitions/';

/** A kpt v0 setter: `openAPI.definitions["io.k8s.cli.setters.ID"]`. */
export interface SetterDef {
  /** Full definitions key, what `$ref`s point at. */
  readonly key: string;
  /** The key without the prefix: what `kpt cfg set` looks the setter up by. */
  readonly id: string;
  /** `x-k8s-cli.setter.name`: what users see in `kpt cfg list-setters`. */
  readonly name: string;
  readonly type?: string;
  readonly value?: string;
  readonly listValues?: readonly string[];
  /** `enumValues` map: allowed keys and the text each writes into fields. */
  readonly enumValues?: ReadonlyMap<string, string>;
  readonly line: number;
  readonly setterMap: YAMLMap;
  readonly valuePair?: Pair;
  readonly listValuesPair?: Pair;
  readonly isSetPair?: Pair;
  readonly setByPair?: Pair;
}

/** A kpt v0 substitution: a pattern whose markers are replaced by setter values. */
export interface SubstitutionDef {
  readonly key: string;
  readonly name: string;
  readonly pattern: string;
  readonly values: readonly { readonly marker: string; readonly ref: string }[];
  readonly line: number;
}

/** An `apply-setters` function config: a ConfigMap file (configPath) or an inline `configMap`. */
export interface ApplySettersRef {
  readonly configPath?: string;
  /** Inline `configMap:` mapping in the Kptfile. */
  readonly inline?: YAMLMap;
  readonly line: number;
}

export type KptfileModel =
  | {
      readonly version: 'v0';
      readonly setters: readonly SetterDef[];
      readonly substitutions: readonly SubstitutionDef[];
    }
  | { readonly version: 'v1'; readonly applySetters: readonly ApplySettersRef[] }
  | { readonly version: 'none' };

/** Text of a scalar as a string; plain scalars keep their source (`1.0` stays `1.0`, not `1`). */
export function scalarText(node: unknown): string | undefined {
  if (!isScalar(node)) return undefined;
  if (node.type === 'PLAIN' && typeof node.source === 'string') return node.source;
  return node.value === null || node.value === undefined ? '' : String(node.value);
}

function pairOf(map: unknown, key: string): Pair | undefined {
  if (!isMap(map)) return undefined;
  return map.items.find((p): p is Pair => isPair(p) && isScalar(p.key) && p.key.value === key);
}

export function get(map: unknown, ...keys: string[]): unknown {
  let node: unknown = map;
  for (const k of keys) {
    node = pairOf(node, k)?.value;
    if (node === undefined) return undefined;
  }
  return node;
}

function nodeLine(file: SourceFile, node: unknown): number {
  const range = (node as { range?: [number, number, number] }).range;
  return range ? lineOf(file, range[0]) : 1;
}

export function readKptfile(file: SourceFile): { model: KptfileModel; problems: SetterProblem[] } {
  const root = file.docs[0]?.contents;
  const apiVersion = scalarText(get(root, 'apiVersion')) ?? '';
  if (apiVersion === 'kpt.dev/v1' || apiVersion === 'kpt.dev/v1alpha2') return readV1(file, root);
  if (apiVersion === 'kpt.dev/v1alpha1') return readV0(file, root);
  return { model: { version: 'none' }, problems: [] };
}

function readV0(file: SourceFile, root: unknown): { model: KptfileModel; problems: SetterProblem[] } {
  const problems: SetterProblem[] = [];
  const setters: SetterDef[] = [];
  const substitutions: SubstitutionDef[] = [];
  const defs = get(root, 'openAPI', 'definitions');
  if (isMap(defs)) {
    for (const pair of defs.items) {
      if (!isPair(pair) || !isScalar(pair.key)) continue;
      const key = String(pair.key.value);
      const line = nodeLine(file, pair.key);
      if (key.startsWith(SETTER_PREFIX)) {
        const setterMap = get(pair.value, 'x-k8s-cli', 'setter');
        if (!isMap(setterMap)) {
          problems.push({ file: file.path, line, message: `definition ${JSON.stringify(key)} has no x-k8s-cli.setter` });
          continue;
        }
        const id = key.slice(SETTER_PREFIX.length);
        const listNode = get(setterMap, 'listValues');
        const enumNode = get(setterMap, 'enumValues');
        setters.push({
          key,
          id,
          name: scalarText(get(setterMap, 'name')) ?? id,
          type: scalarText(get(pair.value, 'type')),
          value: scalarText(get(setterMap, 'value')),
          listValues: isSeq(listNode) ? listNode.items.map((i) => scalarText(i) ?? '') : undefined,
          enumValues: isMap(enumNode)
            ? new Map(enumNode.items.filter(isPair).map((p) => [scalarText(p.key) ?? '', scalarText(p.value) ?? '']))
            : undefined,
          line,
          setterMap: setterMap as YAMLMap,
          valuePair: pairOf(setterMap, 'value'),
          listValuesPair: pairOf(setterMap, 'listValues'),
          isSetPair: pairOf(setterMap, 'isSet'),
          setByPair: pairOf(setterMap, 'setBy'),
        });
      } else if (key.startsWith(SUBSTITUTION_PREFIX)) {
        const sub = get(pair.value, 'x-k8s-cli', 'substitution');
        const values = get(sub, 'values');
        if (!isMap(sub) || !isSeq(values)) {
          problems.push({
            file: file.path,
            line,
            message: `definition ${JSON.stringify(key)} has no x-k8s-cli.substitution with values`,
          });
          continue;
        }
        substitutions.push({
          key,
          name: scalarText(get(sub, 'name')) ?? key.slice(SUBSTITUTION_PREFIX.length),
          pattern: scalarText(get(sub, 'pattern')) ?? '',
          values: (values as YAMLSeq).items.map((v) => ({
            marker: scalarText(get(v, 'marker')) ?? '',
            ref: scalarText(get(v, 'ref')) ?? '',
          })),
          line,
        });
      }
    }
  }
  return { model: { version: 'v0', setters, substitutions }, problems };
}

/** kpt v1 runs `apply-setters` for every pipeline mutator whose image names that function. */
function readV1(file: SourceFile, root: unknown): { model: KptfileModel; problems: SetterProblem[] } {
  const problems: SetterProblem[] = [];
  const applySetters: ApplySettersRef[] = [];
  const mutators = get(root, 'pipeline', 'mutators');
  if (isSeq(mutators)) {
    for (const m of mutators.items) {
      const image = scalarText(get(m, 'image')) ?? '';
      if (!/(^|\/)apply-setters(:|@|$)/.test(image)) continue;
      const line = nodeLine(file, m);
      const configPath = scalarText(get(m, 'configPath'));
      const inline = get(m, 'configMap');
      if (configPath) applySetters.push({ configPath, line });
      else if (isMap(inline)) applySetters.push({ inline: inline as YAMLMap, line });
      else if (inline === undefined || (isScalar(inline) && inline.value === null))
        applySetters.push({ line }); // no config: the function runs with no values
      else problems.push({ file: file.path, line, message: 'apply-setters configMap must be a mapping' });
    }
  }
  return { model: { version: 'v1', applySetters }, problems };
}
