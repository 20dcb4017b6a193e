/**
 * An evaluator of Go text/template as the Istio 1.4 sidecar injector runs it, for
 * tests: the template language (actions with trim markers, comments, pipelines,
 * parenthesised calls, `$` variables with declaration and assignment, if/else if/else,
 * range over lists and maps with Go's sorted map order and the dot set to the element)
 * and the functions the injector makes available: Go's builtins (`and`, `or`, `not`,
 * `eq`, `ne`, `index`, `print`, `len`) and Istio 1.4's funcmap (`annotation`,
 * `valueOrDefault`, `isset`, `toJSON`/`toJson`, `fromJSON`, `structToJSON`,
 * `applicationPorts`, `includeInboundPorts`, `excludeInboundPort`, `contains`,
 * `toLower`, `directory`). Istio 1.4's injector has no Sprig: an unknown function is
 * an error, as Go reports it when it parses the template.
 *
 * Semantics follow Go and pkg/kube/inject of Istio 1.4 where a template can tell the
 * difference: `and`/`or` evaluate every argument and return one of them, `eq` refuses
 * values of different kinds, `index` of a missing map key is the zero value `""`, a
 * missing field prints `<no value>`, `fromJSON` gives the string `{}` for text that is
 * not JSON (ranging over it is an error), `structToJSON` marshals as encoding/json
 * (struct fields in declaration order with their json tags, map keys sorted, `<`, `>`,
 * `&` escaped), `excludeInboundPort` appends the status port unless it is 0 or listed.
 */
import { stringify as stringifyYaml } from 'yaml';


/** A container port as the API server hands it to the webhook (protocol defaulted to TCP). */
export interface PortInput {
  readonly name?: string;
  readonly containerPort: number;
  readonly protocol?: 'TCP' | 'UDP' | 'SCTP';
}

export interface ContainerInput {
  readonly name: string;
  readonly ports?: readonly PortInput[];
}

export interface PodInput {
  readonly labels?: Record<string, string>;
  readonly annotations?: Record<string, string>;
  readonly deploymentName?: string;
  readonly namespace?: string;
  readonly ownerApiVersion?: string;
  readonly ownerKind?: string;
  readonly serviceAccountName?: string;
  /** Shorthand: one container `app` with these TCP ports. */
  readonly containerPorts?: number[];
  /** The pod's containers (instead of `containerPorts`). */
  readonly containers?: readonly ContainerInput[];
}

type Value = unknown;

/** A Go struct value: fields by Go name for the template, and its encoding/json form. */
const JSON_FORM = Symbol('json');
function goStruct(fields: Record<string, unknown>, json: Record<string, unknown>): Record<string, unknown> {
  return Object.assign(Object.create(null), fields, { [JSON_FORM]: json });
}

/** The pod's containers with Go field names; ports as corev1.ContainerPort (json tags, omitempty). */
export function podContainers(pod: PodInput): ContainerInput[] {
  return pod.containers ? [...pod.containers] : [{ name: 'app', ports: (pod.containerPorts ?? []).map((p) => ({ containerPort: p })) }];
}

function podData(pod: PodInput, values: unknown) {
  return {
    Values: values,
    ObjectMeta: { Labels: pod.labels, Annotations: pod.annotations },
    DeploymentMeta: { Name: pod.deploymentName ?? '', Namespace: pod.namespace ?? '' },
    TypeMeta: { APIVersion: pod.ownerApiVersion ?? '', Kind: pod.ownerKind ?? '' },
    Spec: {
      ServiceAccountName: pod.serviceAccountName ?? '',
      Containers: podContainers(pod).map((c) => ({
        Name: c.name,
        Ports: (c.ports ?? []).map((p) => {
          const protocol = p.protocol ?? 'TCP';
          const json: Record<string, unknown> = {};
          if (p.name) json.name = p.name;
          json.containerPort = p.containerPort;
          json.protocol = protocol;
          return goStruct({ Name: p.name ?? '', ContainerPort: p.containerPort, Protocol: protocol }, json);
        }),
      })),
    },
  };
}

/** A Go value with a String() method (a proto enum such as ProxyConfig.InterceptionMode): prints as its name. */
const STRINGER = Symbol('stringer');
export function goEnum(name: string): Record<string, unknown> {
  return Object.assign(Object.create(null), { String: name, [STRINGER]: name });
}

/** A protobuf Duration as the mesh config writes it (`45s`, `1m0s`), for formatDuration. */
function seconds(text: string): number {
  let total = 0;
  for (const [, n, unit] of text.matchAll(/(\d+(?:\.\d+)?)(h|m|s)/g)) total += Number(n) * ({ h: 3600, m: 60, s: 1 } as Record<string, number>)[unit];
  return total;
}

/** Go's time.Duration String() of whole seconds: `45s`, `1m0s`, `1h0m0s`. */
function goDuration(total: number): string {
  if (total < 60) return `${total}s`;
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  return h > 0 ? `${h}h${m}m${s}s` : `${m}m${s}s`;
}

/** Go's truth: false, 0, nil, and empty strings, slices and maps are false. */
function truthy(v: Value): boolean {
  if (v === undefined || v === null || v === false || v === '' || v === 0) return false;
  if (Array.isArray(v)) return v.length > 0;
  if (typeof v === 'object') return Object.keys(v as object).length > 0;
  return true;
}

/** encoding/json: Go structs by their json form, map keys sorted, HTML characters escaped. */
function goJson(v: Value): string {
  const normalise = (x: Value): Value => {
    if (x && typeof x === 'object' && JSON_FORM in (x as object)) return normalise((x as Record<symbol, unknown>)[JSON_FORM]);
    if (Array.isArray(x)) return x.map(normalise);
    if (x && typeof x === 'object') {
      const out: Record<string, unknown> = {};
      for (const k of Object.keys(x).sort(goCompare)) out[k] = normalise((x as Record<string, unknown>)[k]);
      return out;
    }
    return x;
  };
  return JSON.stringify(normalise(v) ?? null)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

/** Go's string order (bytes of UTF-8; the same as code points). */
function goCompare(a: string, b: string): number {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return Buffer.compare(x, y);
}

/** fmt.Sprint of one value. */
function sprint(v: Value): string {
  if (v === undefined) return '<no value>';
  if (v === null) return '<nil>';
  if (typeof v === 'string') return v;
  if (typeof v === 'object' && STRINGER in (v as object)) return String((v as Record<symbol, unknown>)[STRINGER]);
  if (typeof v === 'number') return Number.isInteger(v) && Math.abs(v) < 1e21 ? String(v) : String(v).replace(/e\+?/, 'e+');
  if (typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return `[${v.map(sprint).join(' ')}]`;
  if (typeof v === 'object') {
    const keys = Object.keys(v as object).sort(goCompare);
    return `map[${keys.map((k) => `${k}:${sprint((v as Record<string, unknown>)[k])}`).join(' ')}]`;
  }
  return String(v);
}

/** Ports of containers as pkg/kube/inject lists them: TCP only, comma-separated. */
function ports(containers: Value, skipProxy: boolean): string {
  return ((containers as any[]) ?? [])
    .filter((c) => !skipProxy || c.Name !== 'istio-proxy')
    .flatMap((c) => (c.Ports ?? []).filter((p: any) => p.Protocol !== 'UDP' && p.Protocol !== 'SCTP').map((p: any) => String(p.ContainerPort)))
    .join(',');
}

function str(v: Value, fn: string): string {
  if (typeof v !== 'string') throw new Error(`${fn}: wrong type for value; expected string; got ${sprint(v)}`);
  return v;
}

function stringMap(v: Value, fn: string): Record<string, string> | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'object' || Array.isArray(v) || Object.values(v as object).some((x) => typeof x !== 'string')) {
    throw new Error(`${fn}: wrong type for value; expected map[string]string; got ${sprint(v)}`);
  }
  return v as Record<string, string>;
}

/** lt/le/gt/ge of numbers or strings of the same kind. */
function compare(a: Value, b: Value): number {
  if (typeof a !== typeof b || (typeof a !== 'number' && typeof a !== 'string')) throw new Error(`incompatible types for comparison: ${sprint(a)} ${sprint(b)}`);
  return a < (b as typeof a) ? -1 : a > (b as typeof a) ? 1 : 0;
}

/** Go's basic-kind comparison for eq/ne: values of different kinds are an error. */
function kindOf(v: Value): string {
  if (v && typeof v === 'object' && STRINGER in (v as object)) return 'enum';
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return typeof v;
  throw new Error(`eq: invalid type for comparison: ${sprint(v)}`);
}

const FUNCS: Record<string, (...args: Value[]) => Value> = {
  // Go builtins (text/template, Go 1.13: and/or evaluate every argument)
  and: (...xs) => xs.find((x) => !truthy(x)) ?? xs[xs.length - 1],
  or: (...xs) => xs.find((x) => truthy(x)) ?? xs[xs.length - 1],
  not: (x) => !truthy(x),
  eq: (a, ...bs) => bs.some((b) => {
    if (kindOf(a) !== kindOf(b)) throw new Error(`eq: incompatible types for comparison: ${sprint(a)} ${sprint(b)}`);
    return a === b;
  }),
  ne: (a, b) => {
    if (kindOf(a) !== kindOf(b)) throw new Error(`ne: incompatible types for comparison: ${sprint(a)} ${sprint(b)}`);
    return a !== b;
  },
  index: (m, ...keys) => {
    let cur: any = m;
    for (const k of keys) {
      if (cur === undefined || cur === null) {
        if (m === undefined || m === null) return ''; // a nil map[string]string: the zero value
        throw new Error('index of nil');
      }
      if (Array.isArray(cur)) {
        if (typeof k !== 'number' || k < 0 || k >= cur.length) throw new Error(`index out of range: ${sprint(k)}`);
        cur = cur[k];
      } else cur = Object.prototype.hasOwnProperty.call(cur, k as string) ? cur[k as string] : '';
    }
    return cur;
  },
  print: (...xs) => xs.map((x, i) => (i > 0 && typeof x !== 'string' && typeof xs[i - 1] !== 'string' ? ' ' : '') + sprint(x)).join(''),
  // fmt.Sprintf with the verbs templates use: %s %v %d %q %%
  printf: (format, ...xs) => {
    let i = 0;
    return str(format, 'printf').replace(/%([svdq%])/g, (_m, verb: string) => {
      if (verb === '%') return '%';
      const x = xs[i++];
      if (verb === 'q') return JSON.stringify(sprint(x));
      return sprint(x);
    });
  },
  gt: (a, b) => compare(a, b) > 0,
  ge: (a, b) => compare(a, b) >= 0,
  lt: (a, b) => compare(a, b) < 0,
  le: (a, b) => compare(a, b) <= 0,
  len: (x) => (typeof x === 'string' ? Buffer.byteLength(x) : Array.isArray(x) ? x.length : Object.keys(x as object).length),
  // Istio 1.4 pkg/kube/inject funcmap
  annotation: (meta: any, name, def) => {
    const a = stringMap(meta?.Annotations, 'annotation');
    return a && Object.prototype.hasOwnProperty.call(a, str(name, 'annotation')) ? a[name as string] : sprint(def);
  },
  valueOrDefault: (v, d) => (v === '' || v === undefined || v === null ? d : v),
  isset: (m, k) => {
    const a = stringMap(m, 'isset');
    return a !== undefined && Object.prototype.hasOwnProperty.call(a, str(k, 'isset'));
  },
  toJSON: (m) => {
    const a = stringMap(m, 'toJSON');
    return a === undefined ? '{}' : goJson(a);
  },
  fromJSON: (j) => {
    try {
      return JSON.parse(str(j, 'fromJSON'));
    } catch {
      return '{}';
    }
  },
  structToJSON: (v) => (v === undefined || v === null ? '{}' : goJson(v)),
  applicationPorts: (cs) => ports(cs, true),
  includeInboundPorts: (cs) => ports(cs, false),
  excludeInboundPort: (port, list) => {
    const p = sprint(port).trim();
    const l = str(list, 'excludeInboundPort');
    if (p === '' || p === '0') return l;
    const out: string[] = [];
    for (const x of l.split(',')) {
      if (x === p) return l;
      if (x.trim() !== '') out.push(x.trim());
    }
    return [...out, p].join(',');
  },
  contains: (needle, haystack) => str(haystack, 'contains').includes(str(needle, 'contains')),
  toLower: (s) => str(s, 'toLower').toLowerCase(),
  formatDuration: (d) => goDuration(seconds(str(d, 'formatDuration'))),
  // ghodss/yaml Marshal: through JSON, so map keys sorted; block style
  toYaml: (v) => stringifyYaml(JSON.parse(goJson(v)), { sortMapEntries: true }),
  indent: (spaces, source) =>
    str(source, 'indent')
      .split('\n')
      .map((line, i) => (i > 0 ? ' '.repeat(Number(spaces)) + line : line))
      .join('\n'),
  render: () => {
    throw new Error('render: not supported by this evaluator (podDNSSearchNamespaces)');
  },
  directory: (p) => {
    const s = str(p, 'directory');
    return s.slice(0, s.lastIndexOf('/') + 1);
  },
};
FUNCS.toJson = FUNCS.toJSON;

// ---------------------------------------------------------------- parsing

interface Pipeline {
  readonly decl?: { vars: string[]; assign: boolean };
  readonly cmds: Term[][];
}
type Term =
  | { t: 'str'; v: string }
  | { t: 'num'; v: number }
  | { t: 'bool'; v: boolean }
  | { t: 'nil' }
  | { t: 'field'; path: string[] }
  | { t: 'var'; name: string; path: string[] }
  | { t: 'fn'; name: string }
  | { t: 'sub'; p: Pipeline };

type Node =
  | { k: 'text'; text: string }
  | { k: 'out'; p: Pipeline }
  | { k: 'if'; p: Pipeline; then: Node[]; otherwise: Node[] }
  | { k: 'range'; p: Pipeline; body: Node[]; otherwise: Node[] };

function tokenize(src: string): string[] {
  const out: string[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i];
    if (/\s/.test(c)) { i++; continue; }
    if (c === '(' || c === ')' || c === '|' || c === ',') { out.push(c); i++; continue; }
    if (c === ':' && src[i + 1] === '=') { out.push(':='); i += 2; continue; }
    if (c === '=') { out.push('='); i++; continue; }
    if (c === '`') {
      const j = src.indexOf('`', i + 1);
      if (j < 0) throw new Error(`unterminated raw string in ${src}`);
      out.push(src.slice(i, j + 1)); i = j + 1; continue;
    }
    if (c === '"') {
      let j = i + 1;
      while (j < src.length && src[j] !== '"') j += src[j] === '\\' ? 2 : 1;
      if (j >= src.length) throw new Error(`unterminated string in ${src}`);
      out.push(src.slice(i, j + 1)); i = j + 1; continue;
    }
    let j = i;
    while (j < src.length && !/[\s()|,=`"]/.test(src[j]) && !(src[j] === ':' && src[j + 1] === '=')) j++;
    out.push(src.slice(i, j)); i = j;
  }
  return out;
}

function parsePipeline(src: string): Pipeline {
  return pipelineOf(tokenize(src), src);
}

function pipelineOf(toks: readonly string[], src: string): Pipeline {
  let pos = 0;
  let decl: Pipeline['decl'];
  // `$x :=`, `$x =`, `$i, $v :=`
  const declEnd = toks.findIndex((t) => t === ':=' || t === '=');
  if (declEnd > 0 && toks.slice(0, declEnd).every((t, i) => (i % 2 === 0 ? t.startsWith('$') : t === ','))) {
    decl = { vars: toks.slice(0, declEnd).filter((t) => t !== ','), assign: toks[declEnd] === '=' };
    pos = declEnd + 1;
  }
  function term(): Term {
    const t = toks[pos++];
    if (t === undefined) throw new Error(`missing value in ${src}`);
    if (t === '(') {
      const start = pos;
      let depth = 1;
      while (depth > 0) {
        if (pos >= toks.length) throw new Error(`unbalanced ( in ${src}`);
        if (toks[pos] === '(') depth++;
        if (toks[pos] === ')') depth--;
        pos++;
      }
      return { t: 'sub', p: pipelineOf(toks.slice(start, pos - 1), src) };
    }
    if (t.startsWith('`')) return { t: 'str', v: t.slice(1, -1) };
    if (t.startsWith('"')) return { t: 'str', v: JSON.parse(t) };
    if (/^-?\d+(\.\d+)?$/.test(t)) return { t: 'num', v: Number(t) };
    if (t === 'true' || t === 'false') return { t: 'bool', v: t === 'true' };
    if (t === 'nil') return { t: 'nil' };
    if (t === '.') return { t: 'field', path: [] };
    if (t.startsWith('.')) return { t: 'field', path: t.slice(1).split('.') };
    if (t.startsWith('$')) {
      const [name, ...path] = t.split('.');
      return { t: 'var', name, path };
    }
    if (/^[A-Za-z_]\w*$/.test(t)) {
      if (!FUNCS[t]) throw new Error(`function "${t}" not defined`);
      return { t: 'fn', name: t };
    }
    throw new Error(`unexpected "${t}" in ${src}`);
  }
  const cmds: Term[][] = [[]];
  while (pos < toks.length) {
    if (toks[pos] === '|') {
      pos++;
      cmds.push([]);
      continue;
    }
    cmds[cmds.length - 1].push(term());
  }
  if (cmds.some((c) => c.length === 0)) throw new Error(`empty command in ${src}`);
  return { decl, cmds };
}

function parse(template: string): Node[] {
  const parts: ({ text: string } | { action: string })[] = [];
  const re = /\{\{(- )?\s*([\s\S]*?)\s*( -)?\}\}/g;
  let last = 0;
  let trimNext = false;
  for (let m = re.exec(template); m; m = re.exec(template)) {
    let text = template.slice(last, m.index);
    if (trimNext) text = text.replace(/^\s+/, '');
    if (m[1]) text = text.replace(/\s+$/, '');
    parts.push({ text });
    if (!/^\/\*[\s\S]*\*\/$/.test(m[2])) parts.push({ action: m[2] });
    trimNext = Boolean(m[3]);
    last = re.lastIndex;
  }
  let tail = template.slice(last);
  if (trimNext) tail = tail.replace(/^\s+/, '');
  parts.push({ text: tail });

  let i = 0;
  function block(): { nodes: Node[]; stop?: string } {
    const nodes: Node[] = [];
    while (i < parts.length) {
      const p = parts[i++];
      if ('text' in p) {
        if (p.text) nodes.push({ k: 'text', text: p.text });
        continue;
      }
      const a = p.action;
      if (a === 'end' || a === 'else' || a.startsWith('else if ')) return { nodes, stop: a };
      if (a.startsWith('if ')) {
        nodes.push(ifNode(a.slice(3)));
        continue;
      }
      if (a.startsWith('range ')) {
        const body = block();
        let otherwise: Node[] = [];
        if (body.stop === 'else') otherwise = expectEnd(block());
        else if (body.stop !== 'end') throw new Error(`range without end: ${a}`);
        nodes.push({ k: 'range', p: parsePipeline(a.slice(6)), body: body.nodes, otherwise });
        continue;
      }
      nodes.push({ k: 'out', p: parsePipeline(a) });
    }
    return { nodes };
  }
  function expectEnd(b: { nodes: Node[]; stop?: string }): Node[] {
    if (b.stop !== 'end') throw new Error(`expected end, got ${b.stop ?? 'end of template'}`);
    return b.nodes;
  }
  /** An `if` and its `else if`/`else` chain, up to and including the `end`. */
  function ifNode(cond: string): Node {
    const then = block();
    if (then.stop === 'end') return { k: 'if', p: parsePipeline(cond), then: then.nodes, otherwise: [] };
    if (then.stop === 'else') return { k: 'if', p: parsePipeline(cond), then: then.nodes, otherwise: expectEnd(block()) };
    if (then.stop?.startsWith('else if ')) return { k: 'if', p: parsePipeline(cond), then: then.nodes, otherwise: [ifNode(then.stop.slice(8))] };
    throw new Error(`if without end: ${cond}`);
  }
  const top = block();
  if (top.stop) throw new Error(`unexpected {{${top.stop}}}`);
  return top.nodes;
}

// ---------------------------------------------------------------- execution

class Scope {
  private readonly vars = new Map<string, Value>();
  constructor(private readonly parent?: Scope) {}
  declare(name: string, v: Value) {
    this.vars.set(name, v);
  }
  assign(name: string, v: Value) {
    for (let s: Scope | undefined = this; s; s = s.parent) {
      if (s.vars.has(name)) {
        s.vars.set(name, v);
        return;
      }
    }
    throw new Error(`undefined variable: ${name}`);
  }
  get(name: string): Value {
    for (let s: Scope | undefined = this; s; s = s.parent) if (s.vars.has(name)) return s.vars.get(name);
    throw new Error(`undefined variable: ${name}`);
  }
}

function fieldOf(v: Value, path: readonly string[]): Value {
  let cur = v;
  for (const k of path) {
    if (cur === undefined || cur === null) return undefined;
    if (typeof cur !== 'object') throw new Error(`can't evaluate field ${k} in ${sprint(cur)}`);
    cur = (cur as Record<string, unknown>)[k];
  }
  return cur;
}

function evalPipeline(p: Pipeline, dot: Value, scope: Scope): Value {
  let result: Value;
  p.cmds.forEach((cmd, i) => {
    const piped = i > 0 ? [result] : [];
    const [head, ...rest] = cmd;
    if (head.t === 'fn') result = FUNCS[head.name](...rest.map((t) => evalTerm(t, dot, scope)), ...piped);
    else {
      if (rest.length > 0 || piped.length > 0) throw new Error('can\'t give arguments to a non-function');
      result = evalTerm(head, dot, scope);
    }
  });
  return result;
}

function evalTerm(t: Term, dot: Value, scope: Scope): Value {
  switch (t.t) {
    case 'str':
    case 'num':
    case 'bool':
      return t.v;
    case 'nil':
      return null;
    case 'field':
      return fieldOf(dot, t.path);
    case 'var':
      return fieldOf(scope.get(t.name), t.path);
    case 'fn':
      return FUNCS[t.name]();
    case 'sub':
      return evalPipeline(t.p, dot, scope);
  }
}

function run(nodes: readonly Node[], dot: Value, scope: Scope): string {
  let out = '';
  for (const n of nodes) {
    if (n.k === 'text') out += n.text;
    else if (n.k === 'out') {
      const v = evalPipeline(n.p, dot, scope);
      if (n.p.decl) {
        if (n.p.decl.assign) scope.assign(n.p.decl.vars[0], v);
        else scope.declare(n.p.decl.vars[0], v);
      } else out += sprint(v);
    } else if (n.k === 'if') {
      const inner = new Scope(scope);
      const v = evalPipeline(n.p, dot, inner);
      out += run(truthy(v) ? n.then : n.otherwise, dot, inner);
    } else {
      const v = evalPipeline(n.p, dot, scope);
      const entries: [Value, Value][] =
        v === undefined || v === null
          ? []
          : Array.isArray(v)
            ? v.map((x, i) => [i, x])
            : typeof v === 'object'
              ? Object.keys(v as object).sort(goCompare).map((k) => [k, (v as Record<string, unknown>)[k]])
              : (() => {
                  throw new Error(`range can't iterate over ${sprint(v)}`);
                })();
      if (entries.length === 0) {
        out += run(n.otherwise, dot, new Scope(scope));
        continue;
      }
      const vars = n.p.decl?.vars ?? [];
      for (const [key, elem] of entries) {
        const inner = new Scope(scope);
        if (vars.length === 1) inner.declare(vars[0], elem);
        if (vars.length === 2) {
          inner.declare(vars[0], key);
          inner.declare(vars[1], elem);
        }
        out += run(n.body, elem, inner);
      }
    }
  }
  return out;
}

/** What the injector adds to the pod data: its ConfigMap's `values` key (parsed) and the mesh's default proxy config. */
export interface InjectorInputs {
  readonly Values?: unknown;
  readonly ProxyConfig?: unknown;
}

/** Renders the injector template text for a pod, as the Istio 1.4 injector would. */
export function renderInjectionTemplate(template: string, pod: PodInput, inputs: InjectorInputs = {}): string {
  const data = { ...podData(pod, inputs.Values ?? {}), ProxyConfig: inputs.ProxyConfig };
  const scope = new Scope();
  scope.declare('$', data);
  return run(parse(template), data, scope);
}
