/**
 * The three ways to run a service mesh on Google Cloud the talk compares (seed slides
 * 8-12; SPEC sections 2, 13, 14), as data: the README's side-by-side table is rendered
 * from this (`offerings-doc.ts`), so it says what the profiles render.
 */
import { RELEASES, DEFAULT_RELEASE } from './release';
import { ISTIO_ADDON_VERSIONS } from './istio-on-gke';
import { TD_INJECTOR } from './traffic-director';
import type { Profile } from './profiles';

export interface Offering {
  readonly name: string;
  readonly profiles: readonly Profile[];
  readonly youRun: string;
  readonly googleRuns: string;
  readonly licence: string;
  readonly install: string;
  readonly mtls: string;
  readonly telemetry: string;
}

const asm = RELEASES.get(DEFAULT_RELEASE)!;

export const OFFERINGS: readonly Offering[] = [
  {
    name: 'Anthos Service Mesh',
    profiles: ['gke', 'gke-istioctl', 'onprem'],
    youRun: `the Istio ${asm.version} control plane in istio-system (pilot, galley, sidecar injector, node agent; Citadel on-prem), gateways, Envoy sidecars`,
    googleRuns: 'Mesh CA, Stackdriver telemetry and the ASM dashboards (GKE)',
    licence: 'Anthos subscription',
    install: 'kpt + `anthoscli apply` (gke), `istioctl manifest apply` (gke-istioctl, onprem), or the rendered manifests with kubectl / GitOps',
    mtls: 'MeshPolicy PERMISSIVE (default) or STRICT, namespace Policies; certificates from Mesh CA (GKE) or Citadel with your CA (on-prem)',
    telemetry: 'in-proxy telemetry v2 to Stackdriver (GKE default) or Prometheus',
  },
  {
    name: 'Istio on GKE',
    profiles: ['istio-on-gke'],
    youRun: 'nothing of the mesh: your workloads, in namespaces you label for injection',
    googleRuns: `Istio in istio-system, installed and reconciled as a GKE add-on (${ISTIO_ADDON_VERSIONS.map((v) => v.version).join(', then ')})`,
    licence: 'none beyond GKE (no Anthos)',
    install: 'a cluster option: `addonsConfig.istioConfig` (Config Connector) or `gcloud beta container clusters create --addons=Istio`',
    mtls: 'PERMISSIVE (AUTH_NONE) or STRICT (AUTH_MUTUAL_TLS), chosen at cluster creation; nothing else to configure',
    telemetry: 'what Google configures in istio-system; not changeable',
  },
  {
    name: 'Traffic Director',
    profiles: ['traffic-director'],
    youRun: `Envoy sidecars and their injector (td-sidecar-injector in ${TD_INJECTOR.namespace}), Services with standalone NEGs`,
    googleRuns: 'the xDS control plane (trafficdirector.googleapis.com) and the health checking',
    licence: 'no Anthos; a Google Cloud service',
    install: 'Compute Engine load-balancing resources (health checks, backend services, URL map, target proxy, forwarding rule) through Config Connector; the injector and Services with kubectl',
    mtls: 'none rendered: Traffic Director (xDS v2, 2020) programs routing, not workload certificates',
    telemetry: 'Envoy statistics on each sidecar (:15090); no mesh telemetry pipeline',
  },
];
