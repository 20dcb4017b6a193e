/**
 * What upstream Istio 1.4.6 renders for an ASM-like install, and where asmpkg's install
 * differs from it. Upstream: the istioctl 1.4.6 installer charts
 * (`shared/reference/istioctl-1.4.6-installer/charts`) rendered with test/helpers/
 * helm-template.ts, with the chart values, the `default` profile's values and the
 * settings ASM 1.4 installs with (control-plane security, telemetry v2, SDS and the node
 * agent on GKE, Citadel on-prem, the cluster's trust domain). istioctl's `k8s:` overlays
 * of the profile are not applied. Differences are keyed as one line each, e.g.
 * `port- Service/istio-galley 9901` (upstream has it, asmpkg not) or
 * `arg+ Deployment/istio-galley/galley --server-address=tcp://127.0.0.1:9901`.
 */
import { existsSync, readFileSync } from 'fs';
import * as path from 'path';
import { parse } from 'yaml';
import type { MeshValues } from '../../src/constructs/mesh/values';
import { deepMerge, HelmChart } from './helm-template';
import { goEnum, renderInjectionTemplate, type PodInput } from './go-template';
import { renderInCluster } from './in-cluster';

export const INSTALLER = path.resolve(__dirname, '..', '..', '..', 'shared', 'reference', 'istioctl-1.4.6-installer');

export function installerAvailable(): boolean {
  return existsSync(path.join(INSTALLER, 'charts'));
}

type Obj = Record<string, any>;

/** The charts an ASM install corresponds to, per platform (the egress gateway is optional and not compared). */
function chartsFor(platform: 'gke' | 'onprem'): string[] {
  return [
    'base',
    'istio-control/istio-config',
    'istio-control/istio-discovery',
    'istio-control/istio-autoinject',
    'gateways/istio-ingress',
    platform === 'gke' ? 'security/nodeagent' : 'security/citadel',
  ];
}

/** The installer values for the mesh `v` describes (ASM 1.4's settings on top of the default profile). */
export function upstreamValues(v: MeshValues): Obj {
  const profile = parse(readFileSync(path.join(INSTALLER, 'profiles', 'default.yaml'), 'utf8')).spec.values;
  const gke = v.platform === 'gke';
  return deepMerge(profile, {
    global: {
      hub: v.hub,
      tag: v.tag,
      trustDomain: v.trustDomain,
      controlPlaneSecurityEnabled: true,
      mtls: { enabled: v.mtls === 'STRICT' },
      sds: gke ? { enabled: true, udsPath: 'unix:/var/run/sds/uds_path', token: { aud: v.sdsTokenAudience } } : { enabled: false },
      meshID: v.meshId ?? '',
      outboundTrafficPolicy: { mode: v.outboundTrafficPolicy },
      disablePolicyChecks: true,
      ...(gke && v.gcpMetadata ? { proxy: { env: { GCP_METADATA: v.gcpMetadata } } } : {}),
    },
    telemetry: { enabled: true, v1: { enabled: false }, v2: { enabled: true, prometheus: { enabled: true }, stackdriver: { enabled: gke, logging: gke, monitoring: gke, topology: gke } } },
    mixer: { policy: { enabled: false }, telemetry: { enabled: false } },
    nodeagent: gke ? { enabled: true, env: { CA_PROVIDER: 'GoogleCA', CA_ADDR: 'meshca.googleapis.com:443', PLUGINS: 'GoogleTokenExchange', GKE_CLUSTER_URL: v.clusterUrl } } : { enabled: false },
  });
}

/** Upstream's objects for the mesh `v` describes. */
export function renderUpstream(v: MeshValues): Obj[] {
  const global = upstreamValues(v);
  const objs = chartsFor(v.platform).flatMap((chart) => {
    const dir = path.join(INSTALLER, 'charts', chart);
    const chartValues = parse(readFileSync(path.join(dir, 'values.yaml'), 'utf8')) ?? {};
    return new HelmChart(dir)
      .render(deepMerge(chartValues, global))
      .map((d) => d.obj)
      .filter((o) => typeof o.metadata?.name === 'string');
  });
  return [...objs, ...injectedPods(objs)];
}

const id = (o: Obj) => `${o.kind}/${o.metadata.name}`;

function podSpec(o: Obj): Obj | undefined {
  if (o.kind === 'Pod') return o.spec;
  return ['Deployment', 'DaemonSet'].includes(o.kind) ? o.spec?.template?.spec : undefined;
}

/**
 * Reference pods the sidecar injector is compared on: a plain workload, and one with
 * the annotations that add volumes, arguments and environment (status port off,
 * requests, user volumes, a bootstrap override, excluded outbound ports).
 */
const INJECTED_PODS: readonly { name: string; pod: PodInput }[] = [
  {
    name: 'injected-plain',
    pod: { labels: { app: 'orders' }, namespace: 'shop', deploymentName: 'orders', ownerApiVersion: 'apps/v1', ownerKind: 'Deployment', serviceAccountName: 'orders', containers: [{ name: 'app', ports: [{ name: 'http', containerPort: 8080 }] }] },
  },
  {
    name: 'injected-annotated',
    pod: {
      labels: { app: 'orders' },
      namespace: 'shop',
      serviceAccountName: 'orders',
      containers: [{ name: 'app', ports: [{ containerPort: 8080 }] }],
      annotations: {
        'status.sidecar.istio.io/port': '0',
        'sidecar.istio.io/proxyCPU': '1',
        'sidecar.istio.io/userVolume': '{"extra":{"emptyDir":{}}}',
        'sidecar.istio.io/userVolumeMount': '{"extra":{"mountPath":"/extra"}}',
        'sidecar.istio.io/bootstrapOverride': 'orders-bootstrap',
        'traffic.sidecar.istio.io/excludeOutboundPorts': '5432',
      },
    },
  },
];

/** The ProxyConfig the injector hands the template: the mesh config's defaultConfig (Go names, enums, durations). */
function proxyConfigOf(objs: readonly Obj[]): Obj {
  const mesh = objs.find((o) => o.kind === 'ConfigMap' && o.metadata.name === 'istio');
  const d = mesh ? (parse(mesh.data.mesh).defaultConfig ?? {}) : {};
  return {
    DrainDuration: d.drainDuration ?? '45s',
    ParentShutdownDuration: d.parentShutdownDuration ?? '1m0s',
    ConnectTimeout: d.connectTimeout ?? '10s',
    DiscoveryAddress: d.discoveryAddress ?? '',
    ProxyAdminPort: d.proxyAdminPort ?? 15000,
    Concurrency: d.concurrency ?? 0,
    InterceptionMode: goEnum(d.interceptionMode ?? 'REDIRECT'),
    GetTracing: { GetZipkin: { GetAddress: d.tracing?.zipkin?.address ?? '' } },
  };
}

/**
 * The pods the injector makes of the reference pods with a side's injector ConfigMap
 * (its template run with Go template semantics, its values as `.Values`), as `Pod`
 * objects the comparison reads like any other workload.
 */
export function injectedPods(objs: readonly Obj[]): Obj[] {
  const cm = objs.find((o) => o.kind === 'ConfigMap' && o.metadata.name === 'istio-sidecar-injector');
  if (!cm) return [];
  const template: string = parse(cm.data.config).template;
  const inputs = { Values: JSON.parse(cm.data.values), ProxyConfig: proxyConfigOf(objs) };
  return INJECTED_PODS.map(({ name, pod }) => {
    const spec = parse(renderInjectionTemplate(template, pod, inputs), { version: '1.1' }) ?? {};
    return { kind: 'Pod', metadata: { name }, spec: { initContainers: spec.initContainers ?? [], containers: spec.containers ?? [], volumes: spec.volumes ?? [] } };
  });
}

function setDiff(tag: string, where: string, upstream: Iterable<string>, ours: Iterable<string>): string[] {
  const u = new Set(upstream);
  const a = new Set(ours);
  return [...[...u].filter((x) => !a.has(x)).map((x) => `${tag}- ${where} ${x}`), ...[...a].filter((x) => !u.has(x)).map((x) => `${tag}+ ${where} ${x}`)];
}

/** Every difference between upstream's objects and asmpkg's, one key per line, sorted. */
export function differences(upstream: readonly Obj[], ours: readonly Obj[]): string[] {
  const out: string[] = [];
  const u = new Map(upstream.map((o) => [id(o), o]));
  const a = new Map(ours.map((o) => [id(o), o]));
  out.push(...setDiff('object', 'in', u.keys(), a.keys()).map((k) => k.replace(' in ', ' ')));
  for (const [key, uo] of u) {
    const ao = a.get(key);
    if (!ao) continue;
    if (uo.kind === 'Service') {
      out.push(...setDiff('port', key, (uo.spec.ports ?? []).map((p: Obj) => String(p.port)), (ao.spec.ports ?? []).map((p: Obj) => String(p.port))));
    }
    const up = podSpec(uo);
    const ap = podSpec(ao);
    if (!up || !ap) continue;
    out.push(...setDiff('volume', key, (up.volumes ?? []).map((x: Obj) => x.name), (ap.volumes ?? []).map((x: Obj) => x.name)));
    for (const field of ['initContainers', 'containers'] as const) {
      const uc = new Map<string, Obj>((up[field] ?? []).map((c: Obj) => [c.name, c]));
      const ac = new Map<string, Obj>((ap[field] ?? []).map((c: Obj) => [c.name, c]));
      out.push(...setDiff('container', key, uc.keys(), ac.keys()));
      for (const [name, c] of uc) {
        const d = ac.get(name);
        if (!d) continue;
        const where = `${key}/${name}`;
        out.push(...setDiff('arg', where, [...(c.command ?? []), ...(c.args ?? [])].map(String), [...(d.command ?? []), ...(d.args ?? [])].map(String)));
        out.push(...setDiff('env', where, (c.env ?? []).map((e: Obj) => e.name), (d.env ?? []).map((e: Obj) => e.name)));
        out.push(...setDiff('containerPort', where, (c.ports ?? []).map((p: Obj) => String(p.containerPort)), (d.ports ?? []).map((p: Obj) => String(p.containerPort))));
        out.push(...setDiff('mount', where, (c.volumeMounts ?? []).map((m: Obj) => `${m.name}:${m.mountPath}`), (d.volumeMounts ?? []).map((m: Obj) => `${m.name}:${m.mountPath}`)));
      }
    }
  }
  return [...new Set(out)].sort();
}

/** asmpkg's in-cluster objects (CRDs and components) for the mesh `v` describes. */
export function renderOurs(v: MeshValues): Obj[] {
  const objs = renderInCluster(v).map((o) => o.obj);
  return [...objs, ...injectedPods(objs)];
}
