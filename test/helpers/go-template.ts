/**
 * A tiny evaluator of the Go text/template subset the sidecar injector template uses
 * (actions with trim markers, if/else/end, field paths, string literals, nested
 * calls) and the Istio 1.4 injector functions it calls. Tests use it to render the
 * template for a pod the way the injector would, then assert on the YAML.
 */

export interface PodInput {
  readonly labels?: Record<string, string>;
  readonly annotations?: Record<string, string>;
  readonly deploymentName?: string;
  readonly namespace?: string;
  readonly ownerApiVersion?: string;
  readonly ownerKind?: string;
  readonly serviceAccountName?: string;
  readonly containerPorts?: number[];
}

type Value = unknown;

function podData(pod: PodInput) {
  return {
    ObjectMeta: { Labels: pod.labels ?? {}, Annotations: pod.annotations ?? {} },
    DeploymentMeta: { Name: pod.deploymentName ?? '', Namespace: pod.namespace ?? '' },
    TypeMeta: { APIVersion: pod.ownerApiVersion ?? '', Kind: pod.ownerKind ?? '' },
    Spec: {
      ServiceAccountName: pod.serviceAccountName ?? '',
      Containers: [{ Ports: (pod.containerPorts ?? []).map((p) => ({ ContainerPort: p })) }],
    },
  };
}

function truthy(v: Value): boolean {
  if (v === undefined || v === null || v === false || v === '' || v === 0) return false;
  if (Array.isArray(v)) return v.length > 0;
  if (typeof v === 'object') return Object.keys(v as object).length > 0;
  return true;
}

function ports(containers: any[]): string {
  return containers.flatMap((c) => c.Ports.map((p: any) => String(p.ContainerPort))).join(',');
}

const FUNCS: Record<string, (...args: Value[]) => Value> = {
  annotation: (meta: any, name, def) => (meta.Annotations?.[name as string] !== undefined ? meta.Annotations[name as string] : String(def)),
  valueOrDefault: (v, d) => (truthy(v) ? v : d),
  index: (m: any, k) => (m && m[k as string] !== undefined ? m[k as string] : ''),
  applicationPorts: (cs) => ports(cs as any[]),
  includeInboundPorts: (cs) => ports(cs as any[]),
  excludeInboundPort: (port, list) => {
    const p = String(port);
    const l = String(list);
    if (l === '') return p;
    return l.split(',').includes(p) ? l : `${p},${l}`;
  },
  toJSON: (m) => JSON.stringify(m ?? null),
  toLower: (s) => String(s).toLowerCase(),
  and: (...xs) => xs.every(truthy),
};

function tokenizeExpr(src: string): string[] {
  const out: string[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i];
    if (/\s/.test(c)) { i++; continue; }
    if (c === '(' || c === ')') { out.push(c); i++; continue; }
    if (c === '`') { const j = src.indexOf('`', i + 1); out.push(src.slice(i, j + 1)); i = j + 1; continue; }
    if (c === '"') { let j = i + 1; while (src[j] !== '"') j += src[j] === '\\' ? 2 : 1; out.push(src.slice(i, j + 1)); i = j + 1; continue; }
    let j = i; while (j < src.length && !/[\s()]/.test(src[j])) j++;
    out.push(src.slice(i, j)); i = j;
  }
  return out;
}

function evalExpr(src: string, data: any): Value {
  const toks = tokenizeExpr(src);
  let pos = 0;
  function term(): Value {
    const t = toks[pos++];
    if (t === '(') { const v = command(); if (toks[pos++] !== ')') throw new Error(`unbalanced ( in ${src}`); return v; }
    if (t.startsWith('`')) return t.slice(1, -1);
    if (t.startsWith('"')) return JSON.parse(t);
    if (/^-?\d+$/.test(t)) return Number(t);
    if (t.startsWith('.')) return t.slice(1).split('.').reduce((o: any, k) => (o == null ? undefined : o[k]), data);
    throw new Error(`unexpected token ${t} in ${src}`);
  }
  function command(): Value {
    const head = toks[pos];
    if (FUNCS[head]) {
      pos++;
      const args: Value[] = [];
      while (pos < toks.length && toks[pos] !== ')') args.push(term());
      return FUNCS[head](...args);
    }
    if (/^[a-zA-Z]/.test(head)) throw new Error(`unknown function ${head}`);
    return term();
  }
  const v = command();
  if (pos !== toks.length) throw new Error(`trailing tokens in ${src}`);
  return v;
}

type Node = { text: string } | { expr: string } | { cond: string; then: Node[]; otherwise: Node[] };

function parse(template: string): Node[] {
  // split into text and actions, applying trim markers
  const parts: ({ text: string } | { action: string })[] = [];
  const re = /\{\{(-?)\s*([\s\S]*?)\s*(-?)\}\}/g;
  let last = 0;
  let trimNext = false;
  for (let m = re.exec(template); m; m = re.exec(template)) {
    let text = template.slice(last, m.index);
    if (trimNext) text = text.replace(/^\s+/, '');
    if (m[1] === '-') text = text.replace(/\s+$/, '');
    parts.push({ text });
    parts.push({ action: m[2] });
    trimNext = m[3] === '-';
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
      if ('text' in p) { nodes.push({ text: p.text }); continue; }
      const a = p.action;
      if (a === 'end' || a === 'else') return { nodes, stop: a };
      if (a.startsWith('if ')) {
        const then = block();
        let otherwise: Node[] = [];
        if (then.stop === 'else') otherwise = block().nodes;
        nodes.push({ cond: a.slice(3), then: then.nodes, otherwise });
        continue;
      }
      nodes.push({ expr: a });
    }
    return { nodes };
  }
  return block().nodes;
}

function run(nodes: Node[], data: any): string {
  return nodes
    .map((n) => {
      if ('text' in n) return n.text;
      if ('expr' in n) return String(evalExpr(n.expr, data));
      return run(truthy(evalExpr(n.cond, data)) ? n.then : n.otherwise, data);
    })
    .join('');
}

/** Renders the injector template text for a pod, as the Istio 1.4 injector would. */
export function renderInjectionTemplate(template: string, pod: PodInput): string {
  return run(parse(template), podData(pod));
}
