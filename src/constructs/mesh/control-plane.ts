import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { component } from '../../catalog/components';
import { telemetryV2Plan } from './telemetry-v2';
import { ANTHOSCLI_PLACEMENT } from '../../catalog/gcp-services';
import type { MeshValues } from './values';

export interface ControlPlaneProps {
  readonly values: MeshValues;
  /** IstioControlPlane `spec.profile`: `asm` on GKE, `asm-onprem` on-prem. */
  readonly profile: string;
  /**
   * Where anthoscli installs it (gke only): `annotation` is today's cluster id
   * `gke://PROJECT/LOCATION/CLUSTER` (annotation `gke.io/cluster`); `clusterName` is the
   * `PROJECT/LOCATION/CLUSTER` the anthoscli of March 2020 read from `metadata.clusterName`.
   */
  readonly anthoscli?: { readonly annotation: string } | { readonly clusterName: string };
}

/** Marks a resource as input for tools, never to be applied to a cluster. */
export const LOCAL_CONFIG_ANNOTATION = { 'config.kubernetes.io/local-config': 'true' } as const;

/**
 * The IstioControlPlane CR (`install.istio.io/v1alpha2`) that anthoscli and
 * `istioctl manifest apply -f` install from. It is input for those tools, so it is
 * marked local-config: kpt and GitOps appliers skip it.
 */
export class ControlPlane extends Construct {
  readonly resource: ApiObject;

  constructor(scope: Construct, id: string, props: ControlPlaneProps) {
    super(scope, id);
    const v = props.values;
    const global: Record<string, unknown> = { trustDomain: v.trustDomain };
    if (v.meshId) global.meshID = v.meshId;
    if (v.sdsTokenAudience) global.sds = { token: { aud: v.sdsTokenAudience } };
    const proxy: Record<string, unknown> = {};
    if (v.gcpMetadata) proxy.env = { GCP_METADATA: v.gcpMetadata };
    if (v.telemetry.accessLog === 'stdout') proxy.accessLogFile = '/dev/stdout';
    if (v.telemetry.tracing === 'jaeger') proxy.tracer = 'zipkin';
    if (v.telemetry.tracing === 'stackdriver') proxy.tracer = 'stackdriver';
    if (Object.keys(proxy).length > 0) global.proxy = proxy;
    global.outboundTrafficPolicy = { mode: v.outboundTrafficPolicy };
    // Istio's mesh-wide mTLS switch: STRICT MeshPolicy plus the client DestinationRules.
    if (v.mtls === 'STRICT') global.mtls = { enabled: true };
    if (v.telemetry.tracing === 'jaeger' && v.telemetry.jaegerAddress) global.tracer = { zipkin: { address: v.telemetry.jaegerAddress } };

    const values: Record<string, unknown> = { global, telemetry: telemetryValues(v) };
    if (v.clusterUrl) values.nodeagent = { env: { GKE_CLUSTER_URL: v.clusterUrl } };
    const ingress: Record<string, unknown> = {};
    if (v.ingress.loadBalancerIP) ingress.loadBalancerIP = v.ingress.loadBalancerIP;
    if (Object.keys(v.ingress.nodePorts).length > 0) {
      // istioctl replaces the gateway's port list whole, so every port is listed, with
      // the pinned NodePorts where the user gave them.
      ingress.ports = (component('ingressGateway').service?.ports ?? []).map((p) => ({
        name: p.name,
        port: p.port,
        targetPort: p.targetPort,
        ...(v.ingress.nodePorts[p.name] !== undefined ? { nodePort: v.ingress.nodePorts[p.name] } : {}),
      }));
    }
    if (Object.keys(ingress).length > 0) values.gateways = { 'istio-ingressgateway': ingress };

    const spec: Record<string, unknown> = { profile: props.profile, hub: v.hub, tag: v.tag };
    if (v.egressGateway) spec.gateways = { components: { egressGateway: { enabled: true } } };
    spec.values = values;

    const target = props.anthoscli;
    this.resource = new ApiObject(this, 'resource', {
      apiVersion: 'install.istio.io/v1alpha2',
      kind: 'IstioControlPlane',
      metadata: {
        name: 'asm',
        ...(target && 'clusterName' in target ? { clusterName: target.clusterName } : {}),
        annotations: {
          ...LOCAL_CONFIG_ANNOTATION,
          ...(target && 'annotation' in target ? { [ANTHOSCLI_PLACEMENT.annotation]: target.annotation } : {}),
        },
      },
      spec,
    });
  }
}

/**
 * The installer's `telemetry` values for the telemetry v2 filters the package renders
 * (`telemetryv2_1.4.yaml`): Mixer telemetry (v1) off, v2 on, the Prometheus stats
 * filter, and the Stackdriver filter as the telemetry options map onto it.
 */
function telemetryValues(v: MeshValues): Record<string, unknown> {
  const plan = telemetryV2Plan(v);
  const sd = plan.stackdriver;
  const v2: Record<string, unknown> = { enabled: true, prometheus: { enabled: plan.prometheus } };
  // on-prem has no Stackdriver: the installer's default (off) stands, unnamed
  if (v.platform === 'gke') {
    v2.stackdriver = { enabled: sd !== undefined, logging: sd?.logging ?? false, monitoring: sd?.monitoring ?? false, topology: sd?.topology ?? false };
  }
  return { enabled: true, v1: { enabled: false }, v2 };
}
