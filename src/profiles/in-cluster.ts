/**
 * The in-cluster part of a package: Istio's CRDs (`crds/`, applied and established
 * first) and the mesh components (`in-cluster/`, numbered so `kubectl apply -f
 * in-cluster/` creates the namespace first, then config, the certificate authority
 * (Citadel on-prem, node agent on GKE), the control plane, gateways, telemetry (promsd,
 * then the telemetry v2 filters)), and the authentication policies in their own
 * directory (`policies/`), applied on every install route once the control plane is ready.
 */
import type { App } from 'cdk8s';
import type { Construct } from 'constructs';
import { componentsFor, type ComponentId } from '../catalog/components';
import { IstioCrds } from '../constructs/mesh/crds';
import { Citadel } from '../constructs/mesh/citadel';
import { EgressGateway } from '../constructs/mesh/egress-gateway';
import { Galley } from '../constructs/mesh/galley';
import { IngressGateway } from '../constructs/mesh/ingress-gateway';
import { MeshConfig, SidecarInjectorConfig } from '../constructs/mesh/mesh-config';
import { IstioNamespace } from '../constructs/mesh/namespace';
import { NodeAgent } from '../constructs/mesh/node-agent';
import { Pilot } from '../constructs/mesh/pilot';
import { Promsd } from '../constructs/mesh/promsd';
import { SidecarInjector } from '../constructs/mesh/sidecar-injector';
import { TelemetryV2 } from '../constructs/mesh/telemetry-v2';
import type { MeshValues } from '../constructs/mesh/values';
import { MeshPolicy } from '../constructs/security/mesh-policy';
import { PackageFile } from '../constructs/package-file';
import { PACKAGE_DIRS } from '../catalog/layout';

/** Adds resources to the policies file (`policies/policies.yaml`). */
export type PolicyHook = (scope: Construct, values: MeshValues) => void;

export interface InClusterExtras {
  /** Extra mesh-wide resources for the policies file, after the `MeshPolicy` (e.g. namespace-level `Policy`s). */
  readonly policies?: PolicyHook;
}

/** Package paths of the in-cluster files, in apply order. */
export const IN_CLUSTER_FILES = {
  crds: 'crds/istio-crds.yaml',
  namespace: 'in-cluster/00-namespace.yaml',
  meshConfig: 'in-cluster/10-mesh-config.yaml',
  citadel: 'in-cluster/15-citadel.yaml',
  nodeAgent: 'in-cluster/15-node-agent.yaml',
  galley: 'in-cluster/20-galley.yaml',
  pilot: 'in-cluster/21-pilot.yaml',
  sidecarInjector: 'in-cluster/22-sidecar-injector.yaml',
  ingressGateway: 'in-cluster/30-ingress-gateway.yaml',
  egressGateway: 'in-cluster/31-egress-gateway.yaml',
  promsd: 'in-cluster/40-promsd.yaml',
  telemetryV2: 'in-cluster/50-telemetry-v2.yaml',
  policies: `${PACKAGE_DIRS.policies}/policies.yaml`,
} as const;

const HEADERS = {
  crds: 'Istio 1.4 CustomResourceDefinitions. Apply first and wait until they are established: kubectl apply -f crds/ && kubectl wait --for condition=established --timeout=120s -f crds/',
  inCluster: 'Apply to the mesh cluster with kubectl apply -f in-cluster/ (after crds/).',
  policies:
    'Authentication policies and the DestinationRules STRICT mTLS needs. Apply after the control plane is ready, ' +
    'on every install route (istioctl, anthoscli, kubectl, GitOps): kubectl apply -f policies/',
  telemetryV2: 'Telemetry v2 (in-proxy metrics and logs, as ASM 1.4 installs them): the mesh\'s own EnvoyFilters, not custom ones; they need the CRDs of crds/.',
} as const;

/** Creates the `crds/` and `in-cluster/` files of a mesh in `app`. */
export function addInClusterFiles(app: App, values: MeshValues, extras: InClusterExtras = {}): PackageFile[] {
  const files: PackageFile[] = [];
  const file = (path: string, header: string = HEADERS.inCluster) => {
    const f = new PackageFile(app, path, { header });
    files.push(f);
    return f;
  };

  new IstioCrds(file(IN_CLUSTER_FILES.crds, HEADERS.crds), 'crds', { kubernetesVersion: values.kubernetesVersion });
  new IstioNamespace(file(IN_CLUSTER_FILES.namespace), 'namespace');

  const config = file(IN_CLUSTER_FILES.meshConfig);
  new MeshConfig(config, 'mesh-config', { values });
  new SidecarInjectorConfig(config, 'injector-config', { values });

  // The platform's components, as the catalog lists them (the certificate authority is
  // Citadel with the plugged-in CA on-prem, the node agent relaying to Mesh CA on GKE),
  // each in its own file, created in apply order.
  const components = componentsFor(values.platform, { egressGateway: values.egressGateway })
    .map((c) => ({ path: IN_CLUSTER_FILES[c.id], id: c.id }))
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  for (const { path, id } of components) COMPONENT_BUILDERS[id](file(path), values);

  new TelemetryV2(file(IN_CLUSTER_FILES.telemetryV2, HEADERS.telemetryV2), 'telemetry-v2', { values });

  const policies = file(IN_CLUSTER_FILES.policies, HEADERS.policies);
  new MeshPolicy(policies, 'mesh-policy', { mtls: values.mtls });
  extras.policies?.(policies, values);
  return files;
}

/** The construct of each component and its construct id. */
const COMPONENT_BUILDERS: Readonly<Record<ComponentId, (scope: Construct, values: MeshValues) => void>> = {
  citadel: (scope, values) => new Citadel(scope, 'citadel', { values }),
  nodeAgent: (scope, values) => new NodeAgent(scope, 'node-agent', { values }),
  galley: (scope, values) => new Galley(scope, 'galley', { values }),
  pilot: (scope, values) => new Pilot(scope, 'pilot', { values }),
  sidecarInjector: (scope, values) => new SidecarInjector(scope, 'sidecar-injector', { values }),
  ingressGateway: (scope, values) => new IngressGateway(scope, 'ingress-gateway', { values }),
  egressGateway: (scope, values) => new EgressGateway(scope, 'egress-gateway', { values }),
  promsd: (scope, values) => new Promsd(scope, 'promsd', { values }),
};
