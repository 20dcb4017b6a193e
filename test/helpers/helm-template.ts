/**
 * A small evaluator of Helm chart templates (Go text/template plus the Sprig functions
 * Istio 1.4.6's installer charts use), so tests can render what upstream renders from
 * `reference/istioctl-1.4.6-installer/charts` and compare it with asmpkg's install.
 * Supports: text and actions with trim markers, comments, if / else if / else, range
 * (with `$k, $v :=`), with, define / include / template, variables (`$x := ...`),
 * pipelines, parenthesised calls, and the functions listed in FUNCS. Tests only.
 */
import { readdirSync, readFileSync, statSync } from 'fs';
import * as path from 'path';
import { load as loadYaml } from 'js-yaml';
import { stringify as stringifyYaml } from 'yaml';

type Value = any;

// ---------- lexing ----------

type Token = { kind: 'text'; text: string } | { kind: 'action'; body: string };

function lex(src: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const open = src.indexOf('{{', i);
    if (open < 0) {
      out.push({ kind: 'text', text: src.slice(i) });
      break;
    }
    let text = src.slice(i, open);
    let j = open + 2;
    const trimLeft = src[j] === '-' && /\s/.test(src[j + 1] ?? '');
    if (trimLeft) {
      text = text.replace(/\s+$/, '');
      j += 1;
    }
    out.push({ kind: 'text', text });
    // find the closing }} outside string literals
    let k = j;
    let quote: string | null = null;
    for (; k < src.length; k++) {
      const c = src[k];
      if (quote) {
        if (c === '\\' && quote === '"') k++;
        else if (c === quote) quote = null;
      } else if (c === '"' || c === '`') quote = c;
      else if (c === '}' && src[k + 1] === '}') break;
    }
    let body = src.slice(j, k);
    let trimRight = false;
    if (/\s-$/.test(body)) {
      trimRight = true;
      body = body.replace(/\s-$/, '');
    }
    out.push({ kind: 'action', body: body.trim() });
    i = k + 2;
    if (trimRight) while (i < src.length && /\s/.test(src[i])) i++;
  }
  return out.filter((t) => !(t.kind === 'action' && t.body.startsWith('/*')));
}

// ---------- parsing ----------

type Node =
  | { t: 'text'; text: string }
  | { t: 'out'; pipe: Pipe }
  | { t: 'if'; branches: { cond: Pipe | null; body: Node[] }[] }
  | { t: 'range'; vars: string[]; pipe: Pipe; body: Node[]; elseBody: Node[] }
  | { t: 'with'; pipe: Pipe; body: Node[]; elseBody: Node[] }
  | { t: 'template'; name: string; pipe: Pipe | null };

interface Pipe {
  decl?: { name: string; assign: boolean };
  cmds: Arg[][];
}

type Arg =
  | { a: 'lit'; v: Value }
  | { a: 'field'; base: string | null; chain: string[] } // base: null = dot, '$' or '$x'
  | { a: 'ident'; name: string }
  | { a: 'pipe'; pipe: Pipe; chain: string[] };

function tokenizeExpr(s: string): string[] {
  const toks: string[] = [];
  let i = 0;
  while (i < s.length) {
    const c = s[i];
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (c === '"') {
      let j = i + 1;
      while (j < s.length && s[j] !== '"') j += s[j] === '\\' ? 2 : 1;
      toks.push(s.slice(i, j + 1));
      i = j + 1;
      continue;
    }
    if (c === '`') {
      const j = s.indexOf('`', i + 1);
      toks.push(s.slice(i, j + 1));
      i = j + 1;
      continue;
    }
    if (c === '(' || c === ')' || c === '|' || c === ',') {
      toks.push(c);
      i++;
      continue;
    }
    if (s.startsWith(':=', i)) {
      toks.push(':=');
      i += 2;
      continue;
    }
    if (c === '=' ) {
      toks.push('=');
      i++;
      continue;
    }
    let j = i;
    while (j < s.length && !/[\s()|,]/.test(s[j]) && !s.startsWith(':=', j)) j++;
    toks.push(s.slice(i, j));
    i = j;
  }
  return toks;
}

function parsePipe(toks: string[], pos: { i: number }, stopAtParen: boolean): Pipe {
  const pipe: Pipe = { cmds: [] };
  // declaration: $x := ... / $x = ...
  if (toks[pos.i]?.startsWith('$') && (toks[pos.i + 1] === ':=' || toks[pos.i + 1] === '=')) {
    pipe.decl = { name: toks[pos.i], assign: toks[pos.i + 1] === '=' };
    pos.i += 2;
  }
  let cmd: Arg[] = [];
  while (pos.i < toks.length) {
    const t = toks[pos.i];
    if (t === ')') {
      if (stopAtParen) break;
      throw new Error('unexpected )');
    }
    if (t === '|') {
      pipe.cmds.push(cmd);
      cmd = [];
      pos.i++;
      continue;
    }
    cmd.push(parseOperand(toks, pos));
  }
  pipe.cmds.push(cmd);
  return pipe;
}

function splitChain(s: string): string[] {
  return s.split('.').filter((x) => x !== '');
}

function parseOperand(toks: string[], pos: { i: number }): Arg {
  const t = toks[pos.i++];
  if (t === '(') {
    const pipe = parsePipe(toks, pos, true);
    if (toks[pos.i++] !== ')') throw new Error('missing )');
    // (pipe).Field
    let chain: string[] = [];
    if (toks[pos.i]?.startsWith('.')) chain = splitChain(toks[pos.i++]);
    return { a: 'pipe', pipe, chain };
  }
  if (t.startsWith('"')) return { a: 'lit', v: JSON.parse(t) };
  if (t.startsWith('`')) return { a: 'lit', v: t.slice(1, -1) };
  if (/^-?\d+(\.\d+)?$/.test(t)) return { a: 'lit', v: Number(t) };
  if (t === 'true' || t === 'false') return { a: 'lit', v: t === 'true' };
  if (t === 'nil') return { a: 'lit', v: null };
  if (t === '.') return { a: 'field', base: null, chain: [] };
  if (t.startsWith('.')) return { a: 'field', base: null, chain: splitChain(t) };
  if (t.startsWith('$')) {
    const [name, ...rest] = t.split('.');
    return { a: 'field', base: name, chain: rest.filter((x) => x !== '') };
  }
  return { a: 'ident', name: t };
}

function pipeOf(s: string): Pipe {
  const toks = tokenizeExpr(s);
  const pos = { i: 0 };
  const p = parsePipe(toks, pos, false);
  return p;
}

function parseTemplate(src: string, defines: Map<string, Node[]>): Node[] {
  const toks = lex(src);
  let i = 0;
  function block(stops: string[]): { nodes: Node[]; stop: string } {
    const nodes: Node[] = [];
    while (i < toks.length) {
      const tok = toks[i++];
      if (tok.kind === 'text') {
        if (tok.text) nodes.push({ t: 'text', text: tok.text });
        continue;
      }
      const b = tok.body;
      const word = b.split(/\s+/)[0];
      if (stops.includes(word) || (word === 'else' && stops.includes('else'))) return { nodes, stop: b };
      if (word === 'if') {
        const branches: { cond: Pipe | null; body: Node[] }[] = [];
        let cond: Pipe | null = pipeOf(b.slice(2));
        for (;;) {
          const r = block(['else', 'end']);
          branches.push({ cond, body: r.nodes });
          if (r.stop === 'end') break;
          const rest = r.stop.slice(4).trim();
          if (rest.startsWith('if ')) cond = pipeOf(rest.slice(3));
          else {
            const last = block(['end']);
            branches.push({ cond: null, body: last.nodes });
            break;
          }
        }
        nodes.push({ t: 'if', branches });
      } else if (word === 'range') {
        let expr = b.slice(5).trim();
        let vars: string[] = [];
        const m = /^(\$\w*)\s*(?:,\s*(\$\w*))?\s*:=\s*(.*)$/.exec(expr);
        if (m) {
          vars = m[2] ? [m[1], m[2]] : [m[1]];
          expr = m[3];
        }
        const r = block(['else', 'end']);
        const elseBody = r.stop === 'end' ? [] : block(['end']).nodes;
        nodes.push({ t: 'range', vars, pipe: pipeOf(expr), body: r.nodes, elseBody });
      } else if (word === 'with') {
        const r = block(['else', 'end']);
        const elseBody = r.stop === 'end' ? [] : block(['end']).nodes;
        nodes.push({ t: 'with', pipe: pipeOf(b.slice(4)), body: r.nodes, elseBody });
      } else if (word === 'define') {
        const name = JSON.parse(b.slice(6).trim());
        defines.set(name, block(['end']).nodes);
      } else if (word === 'template') {
        const m = /^template\s+("[^"]*")\s*(.*)$/.exec(b)!;
        nodes.push({ t: 'template', name: JSON.parse(m[1]), pipe: m[2] ? pipeOf(m[2]) : null });
      } else {
        nodes.push({ t: 'out', pipe: pipeOf(b) });
      }
    }
    return { nodes, stop: '' };
  }
  return block([]).nodes;
}

// ---------- evaluation ----------

function truthy(v: Value): boolean {
  if (v === undefined || v === null || v === false || v === '' || v === 0) return false;
  if (Array.isArray(v)) return v.length > 0;
  if (typeof v === 'object') return Object.keys(v).length > 0;
  return true;
}

function str(v: Value): string {
  if (v === undefined || v === null) return '';
  if (typeof v === 'object') return Array.isArray(v) ? `[${v.map(str).join(' ')}]` : `map[${Object.entries(v).map(([k, x]) => `${k}:${str(x)}`).join(' ')}]`;
  return String(v);
}

function toYaml(v: Value): string {
  if (v === undefined || v === null) return 'null';
  return stringifyYaml(v, { lineWidth: 0 }).replace(/\n$/, '');
}

function indent(n: number, s: string): string {
  const pad = ' '.repeat(n);
  return String(s)
    .split('\n')
    .map((l) => pad + l)
    .join('\n');
}

class Scope {
  constructor(
    readonly vars: Map<string, Value>,
    readonly parent?: Scope,
  ) {}
  get(name: string): Value {
    if (this.vars.has(name)) return this.vars.get(name);
    if (this.parent) return this.parent.get(name);
    throw new Error(`undefined variable ${name}`);
  }
  set(name: string, v: Value, assign: boolean): void {
    if (assign) {
      let s: Scope | undefined = this;
      while (s && !s.vars.has(name)) s = s.parent;
      (s ?? this).vars.set(name, v);
    } else this.vars.set(name, v);
  }
  child(): Scope {
    return new Scope(new Map(), this);
  }
}

export class HelmChart {
  private readonly defines = new Map<string, Node[]>();
  private readonly templates: { file: string; nodes: Node[] }[] = [];
  private readonly funcs: Record<string, (...args: Value[]) => Value>;

  /** Loads every template of a chart directory (and of its `templates/` sub-directories). */
  constructor(readonly dir: string) {
    const tdir = path.join(dir, 'templates');
    const files = walk(tdir).sort();
    // `_*.tpl` first: they only define
    for (const f of files.filter((x) => path.basename(x).startsWith('_'))) parseTemplate(readFileSync(f, 'utf8'), this.defines);
    for (const f of files.filter((x) => !path.basename(x).startsWith('_') && /\.(ya?ml|tpl)$/.test(x))) {
      this.templates.push({ file: path.relative(dir, f), nodes: parseTemplate(readFileSync(f, 'utf8'), this.defines) });
    }
    this.funcs = {
      include: (name: string, data: Value) => this.exec(this.defines.get(name) ?? fail(`no template ${name}`), data, new Scope(new Map([['$', data]]))),
      tpl: (text: string, data: Value) => this.exec(parseTemplate(text, this.defines), data, new Scope(new Map([['$', data]]))),
      toYaml,
      toJson: (v: Value) => JSON.stringify(v ?? null),
      indent: (n: number, s: string) => indent(n, s),
      nindent: (n: number, s: string) => `\n${indent(n, s)}`,
      default: (d: Value, v?: Value) => (truthy(v) ? v : d),
      quote: (...xs: Value[]) => xs.map((x) => JSON.stringify(str(x))).join(' '),
      contains: (sub: string, s: string) => str(s).includes(str(sub)),
      eq: (a: Value, ...bs: Value[]) => bs.some((b) => a === b || str(a) === str(b)),
      ne: (a: Value, b: Value) => !(a === b || str(a) === str(b)),
      and: (...xs: Value[]) => xs.reduce((acc, x) => (truthy(acc) ? x : acc)),
      or: (...xs: Value[]) => xs.find(truthy) ?? xs[xs.length - 1],
      not: (x: Value) => !truthy(x),
      gt: (a: Value, b: Value) => a > b,
      lt: (a: Value, b: Value) => a < b,
      ge: (a: Value, b: Value) => a >= b,
      le: (a: Value, b: Value) => a <= b,
      index: (m: Value, ...ks: Value[]) => ks.reduce((acc, k) => (acc == null ? undefined : acc[k]), m),
      int: (x: Value) => Math.trunc(Number(x)) || 0,
      trimSuffix: (suf: string, s: string) => (str(s).endsWith(suf) ? str(s).slice(0, -suf.length) : str(s)),
      trunc: (n: number, s: string) => str(s).slice(0, n),
      trim: (s: string) => str(s).trim(),
      printf: (fmt: string, ...args: Value[]) => {
        let k = 0;
        return fmt.replace(/%[svdq]/g, (m) => (m === '%q' ? JSON.stringify(str(args[k++])) : str(args[k++])));
      },
      set: (m: Value, k: string, v: Value) => {
        m[k] = v;
        return m;
      },
      dict: (...kv: Value[]) => {
        const o: Record<string, Value> = {};
        for (let i = 0; i < kv.length; i += 2) o[kv[i]] = kv[i + 1];
        return o;
      },
      list: (...xs: Value[]) => xs,
      join: (sep: string, xs: Value[]) => (xs ?? []).map(str).join(sep),
      b64enc: (s: string) => Buffer.from(str(s)).toString('base64'),
      replace: (a: string, b: string, s: string) => str(s).split(a).join(b),
      len: (x: Value) => (x == null ? 0 : Array.isArray(x) || typeof x === 'string' ? x.length : Object.keys(x).length),
      hasKey: (m: Value, k: string) => m != null && Object.prototype.hasOwnProperty.call(m, k),
      empty: (x: Value) => !truthy(x),
      lower: (s: string) => str(s).toLowerCase(),
      // certificate material is not compared: placeholders stand for what Helm would generate
      genCA: () => ({ Cert: 'GENERATED-CA-CERT', Key: 'GENERATED-CA-KEY' }),
      genSignedCert: () => ({ Cert: 'GENERATED-CERT', Key: 'GENERATED-KEY' }),
      upper: (s: string) => str(s).toUpperCase(),
    };
  }

  /** Renders every template with `values`; returns the YAML documents (parsed, empty ones dropped), each with its file. */
  render(values: Value, release = { Name: 'istio', Namespace: 'istio-system' }): { file: string; obj: Record<string, any> }[] {
    const Files = { Get: (name: string) => readFileSync(path.join(this.dir, name), 'utf8') };
    const root = { Values: values, Files, Release: { ...release, Service: 'Tiller' }, Chart: { Name: path.basename(this.dir), Version: '1.4.6' }, Capabilities: { KubeVersion: { GitVersion: 'v1.15.0' } } };
    const out: { file: string; obj: Record<string, any> }[] = [];
    for (const t of this.templates) {
      let text: string;
      try {
        text = this.exec(t.nodes, root, new Scope(new Map([['$', root]])));
      } catch (e) {
        throw new Error(`${this.dir}/${t.file}: ${(e as Error).message}`);
      }
      for (const doc of text.split(/^---\s*$/m)) {
        if (!doc.trim()) continue;
        let obj: unknown;
        try {
          // js-yaml: as lenient as Helm's go-yaml with the charts' flow sequences
          obj = loadYaml(doc);
        } catch (e) {
          throw new Error(`${t.file}: rendered YAML does not parse: ${(e as Error).message}\n${doc}`);
        }
        if (obj && typeof obj === 'object' && 'kind' in (obj as object)) out.push({ file: t.file, obj: obj as Record<string, any> });
      }
    }
    return out;
  }

  private exec(nodes: Node[], dot: Value, scope: Scope): string {
    let s = '';
    for (const n of nodes) {
      switch (n.t) {
        case 'text':
          s += n.text;
          break;
        case 'out': {
          const v = this.pipe(n.pipe, dot, scope);
          if (!n.pipe.decl) s += str(v);
          break;
        }
        case 'if': {
          for (const b of n.branches) {
            if (b.cond === null || truthy(this.pipe(b.cond, dot, scope))) {
              s += this.exec(b.body, dot, scope.child());
              break;
            }
          }
          break;
        }
        case 'range': {
          const v = this.pipe(n.pipe, dot, scope);
          const entries: [Value, Value][] = Array.isArray(v)
            ? v.map((x, i) => [i, x])
            : v && typeof v === 'object'
              ? Object.keys(v)
                  .sort()
                  .map((k) => [k, v[k]])
              : typeof v === 'number'
                ? Array.from({ length: v }, (_, i) => [i, i])
                : [];
          if (entries.length === 0) s += this.exec(n.elseBody, dot, scope.child());
          for (const [k, x] of entries) {
            const sc = scope.child();
            if (n.vars.length === 1) sc.set(n.vars[0], x, false);
            if (n.vars.length === 2) {
              sc.set(n.vars[0], k, false);
              sc.set(n.vars[1], x, false);
            }
            s += this.exec(n.body, x, sc);
          }
          break;
        }
        case 'with': {
          const v = this.pipe(n.pipe, dot, scope);
          s += truthy(v) ? this.exec(n.body, v, scope.child()) : this.exec(n.elseBody, dot, scope.child());
          break;
        }
        case 'template': {
          const data = n.pipe ? this.pipe(n.pipe, dot, scope) : undefined;
          s += this.exec(this.defines.get(n.name) ?? fail(`no template ${n.name}`), data, new Scope(new Map([['$', data]])));
          break;
        }
      }
    }
    return s;
  }

  private pipe(p: Pipe, dot: Value, scope: Scope): Value {
    let prev: Value;
    let first = true;
    for (const cmd of p.cmds) {
      prev = this.command(cmd, dot, scope, first ? undefined : { v: prev });
      first = false;
    }
    if (p.decl) scope.set(p.decl.name, prev, p.decl.assign);
    return prev;
  }

  private command(cmd: Arg[], dot: Value, scope: Scope, piped?: { v: Value }): Value {
    const [head, ...rest] = cmd;
    if (head.a === 'ident') {
      const f = this.funcs[head.name] ?? fail(`unknown function ${head.name}`);
      const args = rest.map((a) => this.arg(a, dot, scope));
      if (piped) args.push(piped.v);
      return f(...args);
    }
    const v = this.arg(head, dot, scope);
    if (typeof v === 'function') {
      // a method such as .Files.Get
      const args = rest.map((a) => this.arg(a, dot, scope));
      if (piped) args.push(piped.v);
      return v(...args);
    }
    if (cmd.length > 1 || piped) fail(`a value cannot take arguments: ${JSON.stringify(cmd)}`);
    return v;
  }

  private arg(a: Arg, dot: Value, scope: Scope): Value {
    switch (a.a) {
      case 'lit':
        return a.v;
      case 'ident':
        return (this.funcs[a.name] ?? fail(`unknown function ${a.name}`))();
      case 'field': {
        const base = a.base === null ? dot : scope.get(a.base);
        return a.chain.reduce((acc, k) => (acc == null ? undefined : acc[k]), base);
      }
      case 'pipe':
        return a.chain.reduce((acc, k) => (acc == null ? undefined : acc[k]), this.pipe(a.pipe, dot, scope.child()));
    }
  }
}

function fail(msg: string): never {
  throw new Error(msg);
}

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = path.join(dir, n);
    return statSync(p).isDirectory() ? walk(p) : [p];
  });
}

/** Deep merge: objects merge key by key, everything else from `over`. */
export function deepMerge(base: Value, over: Value): Value {
  if (over === undefined) return base;
  if (base && over && typeof base === 'object' && typeof over === 'object' && !Array.isArray(base) && !Array.isArray(over)) {
    const out: Record<string, Value> = { ...base };
    for (const [k, v] of Object.entries(over)) out[k] = deepMerge(base[k], v);
    return out;
  }
  return over;
}
