/**
 * MeshValues fixtures and small render helpers for construct tests. Shared by the
 * mesh engineers' tests: keep the exported names stable.
 */
import { App, Chart } from 'cdk8s';
import { ASM_1_4_6 } from '../../src/catalog/release';
import type { MeshValues } from '../../src/constructs/mesh/values';

/** The seed's GKE project: PROJECT_ID `my-project`, number `123456789012`, cluster `asm-cluster` in `us-central1-c`. */
export const GKE_PROJECT = { id: 'my-project', number: '123456789012', cluster: 'asm-cluster', location: 'us-central1-c' };

type Mutable<T> = { -readonly [K in keyof T]?: T[K] };

/** MeshValues of a GKE cluster (gke / gke-istioctl profiles) on Kubernetes 1.15. */
export function gkeValues(overrides: Mutable<MeshValues> = {}): MeshValues {
  const p = GKE_PROJECT;
  return {
    release: ASM_1_4_6,
    hub: ASM_1_4_6.hub,
    tag: ASM_1_4_6.tag,
    platform: 'gke',
    kubernetesVersion: '1.15',
    trustDomain: `${p.id}.svc.id.goog`,
    meshId: `proj-${p.number}`,
    gcpMetadata: `${p.id}|${p.number}|${p.cluster}|${p.location}`,
    clusterUrl: `https://container.googleapis.com/v1/projects/${p.id}/locations/${p.location}/clusters/${p.cluster}`,
    sdsTokenAudience: `${p.id}.svc.id.goog`,
    ingress: { nodePorts: {} },
    mtls: 'PERMISSIVE',
    outboundTrafficPolicy: 'ALLOW_ANY',
    egressGateway: false,
    telemetry: { metrics: 'stackdriver', accessLog: 'stackdriver', tracing: 'off' },
    ...overrides,
  } as MeshValues;
}

/** MeshValues of a GKE on-prem 1.2 cluster (Kubernetes 1.14) behind the seed's F5 VIP. */
export function onpremValues(overrides: Mutable<MeshValues> = {}): MeshValues {
  return {
    release: ASM_1_4_6,
    hub: ASM_1_4_6.hub,
    tag: ASM_1_4_6.tag,
    platform: 'onprem',
    kubernetesVersion: '1.14',
    trustDomain: 'cluster.local',
    ingress: { loadBalancerIP: '192.168.30.60', nodePorts: {} },
    mtls: 'PERMISSIVE',
    outboundTrafficPolicy: 'ALLOW_ANY',
    egressGateway: false,
    telemetry: { metrics: 'prometheus', accessLog: 'stdout', tracing: 'off' },
    ...overrides,
  } as MeshValues;
}

/** A Kubernetes object as rendered (loosely typed for assertions). */
export type K8sObject = { apiVersion: string; kind: string; metadata: { name: string; namespace?: string; labels?: Record<string, string> }; [k: string]: any };

/** Renders what `build` adds to a fresh chart and returns the objects. */
export function render(build: (chart: Chart) => void): K8sObject[] {
  const app = new App();
  const chart = new Chart(app, 'test', { disableResourceNameHashes: true });
  build(chart);
  return chart.toJson() as K8sObject[];
}

/** The one object of `kind` (and `name`, when given); fails the test when there is not exactly one. */
export function find(objects: readonly K8sObject[], kind: string, name?: string): K8sObject {
  const hits = objects.filter((o) => o.kind === kind && (name === undefined || o.metadata.name === name));
  if (hits.length !== 1) {
    throw new Error(`expected one ${kind}${name ? ` ${name}` : ''}, found ${hits.length}`);
  }
  return hits[0];
}

/** A container of a pod-bearing object by name. */
export function container(workload: K8sObject, name: string): any {
  const c = workload.spec.template.spec.containers.find((x: any) => x.name === name);
  if (!c) throw new Error(`${workload.kind} ${workload.metadata.name} has no container ${name}`);
  return c;
}

/**
 * The hardened container security context the control-plane components run with, spelled
 * out here (not imported from src) so a change to it fails the tests.
 */
export const EXPECTED_NON_ROOT = {
  allowPrivilegeEscalation: false,
  capabilities: { drop: ['ALL'] },
  readOnlyRootFilesystem: true,
  runAsNonRoot: true,
  runAsUser: 1337,
} as const;
