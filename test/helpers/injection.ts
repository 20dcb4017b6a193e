/**
 * Sidecar injection as the Istio 1.4 webhook does it, for tests: the injector template
 * rendered for a pod (Go template semantics, `go-template.ts`), parsed as the injector
 * parses it (ghodss/yaml: YAML 1.1), and its init containers, containers and volumes
 * appended to the pod. Plus the checks the API server makes on the result beyond the
 * OpenAPI schema (`k8s-schema.ts`): requests not above limits, probe ports in range,
 * volume mounts naming volumes, unique names and mount paths.
 */
import { parse } from 'yaml';
import { injectionTemplate } from '../../src/constructs/mesh/injection-template';
import { injectorValues } from '../../src/constructs/mesh/mesh-config';
import type { MeshValues } from '../../src/constructs/mesh/values';
import { podContainers, renderInjectionTemplate, type PodInput } from './go-template';

export type Json = Record<string, any>;

/** What the template produced (SidecarInjectionSpec). */
export function injectionSpec(values: MeshValues, pod: PodInput): Json {
  // the injector reads .Values from the ConfigMap's `values` key, one line of JSON
  const valuesKey = JSON.parse(JSON.stringify(injectorValues(values)));
  return parse(renderInjectionTemplate(injectionTemplate(values), pod, { Values: valuesKey }), { version: '1.1', uniqueKeys: true }) as Json;
}

/** The pod after injection, as the API server receives it from the webhook. */
export function injectedPod(values: MeshValues, pod: PodInput): Json {
  const spec = injectionSpec(values, pod);
  const containers = podContainers(pod).map((c) => ({
    name: c.name,
    image: 'registry.example.com/app:1.0',
    ...(c.ports && c.ports.length > 0 ? { ports: c.ports.map((p) => ({ ...p, protocol: p.protocol ?? 'TCP' })) } : {}),
  }));
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: 'workload-0',
      namespace: pod.namespace ?? 'default',
      ...(pod.labels ? { labels: pod.labels } : {}),
      annotations: { ...(pod.annotations ?? {}), 'sidecar.istio.io/status': '{"version":"test"}' },
    },
    spec: {
      ...(pod.serviceAccountName ? { serviceAccountName: pod.serviceAccountName } : {}),
      ...(spec.initContainers ? { initContainers: spec.initContainers } : {}),
      containers: [...containers, ...(spec.containers ?? [])],
      ...(spec.volumes ? { volumes: spec.volumes } : {}),
    },
  };
}

// --- Kubernetes resource quantities (k8s.io/apimachinery resource.Quantity) ---

const QUANTITY = /^([+-]?[0-9.]+)([eE][+-]?[0-9]+|m|k|M|G|T|P|E|Ki|Mi|Gi|Ti|Pi|Ei)?$/;
const SUFFIX: Record<string, number> = {
  '': 1, m: 1e-3, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18,
  Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60,
};

/** A quantity's value, or undefined when the API server would refuse the text. */
export function quantity(text: unknown): number | undefined {
  if (typeof text === 'number') return text;
  if (typeof text !== 'string') return undefined;
  const m = QUANTITY.exec(text);
  if (!m || !/^[+-]?(\d+\.?\d*|\.\d+)$/.test(m[1])) return undefined;
  const suffix = m[2] ?? '';
  const scale = /^[eE]/.test(suffix) ? 10 ** Number(suffix.slice(1)) : SUFFIX[suffix];
  return Number(m[1]) * scale;
}

/** Problems the API server reports for a pod that its OpenAPI schema does not catch. */
export function podProblems(pod: Json): string[] {
  const problems: string[] = [];
  const spec = pod.spec ?? {};
  const all: Json[] = [...(spec.initContainers ?? []), ...(spec.containers ?? [])];
  const volumes = new Set<string>();
  for (const v of spec.volumes ?? []) {
    if (volumes.has(v.name)) problems.push(`volume ${v.name}: duplicate name`);
    volumes.add(v.name);
    if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(v.name) || v.name.length > 63) problems.push(`volume ${v.name}: not a DNS-1123 label`);
  }
  const names = new Set<string>();
  for (const c of all) {
    if (names.has(c.name)) problems.push(`container ${c.name}: duplicate name`);
    names.add(c.name);
    const r = c.resources ?? {};
    for (const [kind, values] of Object.entries({ requests: r.requests ?? {}, limits: r.limits ?? {} })) {
      for (const [resource, q] of Object.entries(values as Json)) {
        if (quantity(q) === undefined) problems.push(`container ${c.name}: ${kind}.${resource} ${JSON.stringify(q)} is not a quantity`);
      }
    }
    for (const [resource, request] of Object.entries((r.requests ?? {}) as Json)) {
      const limit = r.limits?.[resource];
      if (limit !== undefined && (quantity(request) ?? 0) > (quantity(limit) ?? Infinity)) {
        problems.push(`container ${c.name}: ${resource} request ${request} is above its limit ${limit}`);
      }
    }
    for (const probeName of ['readinessProbe', 'livenessProbe']) {
      const probe = c[probeName];
      if (!probe) continue;
      const port = probe.httpGet?.port ?? probe.tcpSocket?.port;
      if (typeof port === 'number' && (port < 1 || port > 65535 || !Number.isInteger(port))) problems.push(`container ${c.name}: ${probeName} port ${port} is not 1-65535`);
      if (typeof port === 'string' && !(c.ports ?? []).some((p: Json) => p.name === port)) problems.push(`container ${c.name}: ${probeName} port ${port} names no container port`);
      for (const f of ['initialDelaySeconds', 'periodSeconds', 'failureThreshold']) {
        if (probe[f] !== undefined && (!Number.isInteger(probe[f]) || probe[f] < 0)) problems.push(`container ${c.name}: ${probeName}.${f} ${probe[f]} is not a non-negative integer`);
      }
    }
    for (const p of c.ports ?? []) {
      if (!Number.isInteger(p.containerPort) || p.containerPort < 1 || p.containerPort > 65535) problems.push(`container ${c.name}: containerPort ${p.containerPort} is not 1-65535`);
    }
    const paths = new Set<string>();
    for (const m of c.volumeMounts ?? []) {
      if (!volumes.has(m.name)) problems.push(`container ${c.name}: volumeMount ${m.name} names no volume`);
      if (paths.has(m.mountPath)) problems.push(`container ${c.name}: mountPath ${m.mountPath} mounted twice`);
      paths.add(m.mountPath);
    }
  }
  return problems;
}
