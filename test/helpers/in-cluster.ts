/**
 * Renders the in-cluster part of a package (`crds/` and `in-cluster/`) through the
 * composer, as the validation tests check it: every object with the file it is in.
 */
import { App, Chart } from 'cdk8s';
import { Citadel } from '../../src/constructs/mesh/citadel';
import { EgressGateway } from '../../src/constructs/mesh/egress-gateway';
import { IngressGateway } from '../../src/constructs/mesh/ingress-gateway';
import { NodeAgent } from '../../src/constructs/mesh/node-agent';
import { Promsd } from '../../src/constructs/mesh/promsd';
import type { MeshValues } from '../../src/constructs/mesh/values';
import { addInClusterFiles } from '../../src/profiles/in-cluster';
import type { K8sObject } from './k8s-schema';
import { gkeValues, onpremValues } from './mesh-values';

/** A rendered object and the package file it is written to. */
export interface PackagedObject {
  readonly file: string;
  readonly obj: K8sObject & { metadata: { name: string; namespace?: string; labels?: Record<string, string> }; [k: string]: any };
}

/** The objects of the `crds/` and `in-cluster/` files the composer writes for `values`. */
export function renderInCluster(values: MeshValues): PackagedObject[] {
  const app = new App({ outdir: '.' });
  const files = addInClusterFiles(app, values);
  const out: PackagedObject[] = [];
  for (const f of [...files].sort((a, b) => (a.filePath < b.filePath ? -1 : a.filePath > b.filePath ? 1 : 0))) {
    for (const obj of f.toJson()) out.push({ file: f.filePath, obj });
  }
  return out;
}

/** The MeshValues variants every validation test renders: both platforms, oldest and newest supported minors, options on. */
export const VALIDATION_CASES: readonly (readonly [string, MeshValues])[] = [
  ['gke 1.15', gkeValues()],
  ['gke 1.13 egress+jaeger', gkeValues({ kubernetesVersion: '1.13', egressGateway: true, telemetry: { metrics: 'stackdriver', accessLog: 'stdout', tracing: 'jaeger', jaegerAddress: 'jaeger-collector.observability:9411' } })],
  ['gke 1.14 prometheus+stackdriver tracing', gkeValues({ kubernetesVersion: '1.14', mtls: 'STRICT', telemetry: { metrics: 'prometheus', accessLog: 'off', tracing: 'stackdriver' } })],
  ['onprem 1.14', onpremValues()],
  ['onprem 1.13 egress+nodePorts', onpremValues({ kubernetesVersion: '1.13', egressGateway: true, ingress: { loadBalancerIP: '192.168.30.60', nodePorts: { http2: 31380, https: 31390 } } })],
];

/** Pod-bearing kinds and where their pod template is. */
export function podTemplateOf(obj: PackagedObject['obj']): any | undefined {
  if (['Deployment', 'DaemonSet', 'StatefulSet', 'ReplicaSet', 'Job'].includes(obj.kind)) return obj.spec?.template;
  return undefined;
}

/**
 * The mesh edge constructs alone (gateways, promsd, and node agent or Citadel), for
 * checks that must cover them whether or not the composer adds them.
 */
export function renderMeshEdge(values: MeshValues): PackagedObject[] {
  const app = new App({ outdir: '.' });
  const chart = new Chart(app, 'edge', { disableResourceNameHashes: true });
  new IngressGateway(chart, 'ingress', { values });
  new EgressGateway(chart, 'egress', { values });
  new Promsd(chart, 'promsd', { values });
  if (values.platform === 'gke') new NodeAgent(chart, 'node-agent', { values });
  else new Citadel(chart, 'citadel', { values });
  return chart.toJson().map((obj) => ({ file: '<edge>', obj }));
}
