import { Construct } from 'constructs';
import { stringifyYaml } from '../../util/yaml';
import { COMPONENTS, ISTIO_NAMESPACE, PILOT_LOCAL_GALLEY_PORT } from '../../catalog/components';
import { JAEGER_BACKEND, PROXY, ZIPKIN_BACKEND_ANNOTATION } from '../../catalog/proxy';
import { ConfigMap } from '../k8s';
import { injectionTemplate, sdsAudience, usesSds, zipkinAddress } from './injection-template';
import type { MeshValues } from './values';

/** Name of the mesh config ConfigMap every component reads. */
export const MESH_CONFIG_MAP = 'istio';
/** Name of the injector's ConfigMap (policy + template, and values). */
export const INJECTOR_CONFIG_MAP = 'istio-sidecar-injector';

/** The mesh's Envoy access log file: `/dev/stdout` when access logs go to stdout, else none. */
export function accessLogFile(values: MeshValues): string {
  return values.telemetry.accessLog === 'stdout' ? '/dev/stdout' : '';
}

/** The proxies' tracer config (`defaultConfig.tracing`). */
function tracing(values: MeshValues): Record<string, unknown> {
  const zipkin = zipkinAddress(values);
  return zipkin ? { zipkin: { address: zipkin } } : { stackdriver: {} };
}

/**
 * Where pilot gets its config: galley's MCP through pilot's own Envoy on
 * `localhost:15019` (Istio 1.4 with controlPlaneSecurityEnabled), which dials galley's
 * Envoy on 15019 with mutual TLS — SDS certificates from the node agent on GKE, where
 * no Citadel writes /etc/certs, Citadel's on-prem. Plaintext never leaves either pod.
 */
function galleyConfigSource(): { address: string } {
  return { address: `localhost:${PILOT_LOCAL_GALLEY_PORT}` };
}

/**
 * Istio 1.4 MeshConfig of an ASM mesh (the `mesh` key of the `istio` ConfigMap):
 * no Mixer, MCP from galley over mTLS (through pilot's Envoy), SDS from the node agent on GKE, the trust
 * domain, access log, tracing and outbound policy from values, and the proxies'
 * `defaultConfig` matching the injected sidecar's arguments.
 */
export function meshConfig(values: MeshValues): Record<string, unknown> {
  const sds = usesSds(values);
  return {
    disablePolicyChecks: true,
    disableMixerHttpReports: true,
    enableTracing: values.telemetry.tracing !== 'off',
    accessLogFile: accessLogFile(values),
    accessLogFormat: '',
    accessLogEncoding: 'TEXT',
    enableEnvoyAccessLogService: false,
    ingressService: COMPONENTS.ingressGateway.workloadName,
    connectTimeout: PROXY.connectTimeout,
    protocolDetectionTimeout: '100ms',
    dnsRefreshRate: PROXY.dnsRefreshRate,
    sdsUdsPath: sds ? PROXY.sdsUdsPath : '',
    trustDomain: values.trustDomain,
    trustDomainAliases: [],
    enableAutoMtls: false,
    outboundTrafficPolicy: { mode: values.outboundTrafficPolicy },
    rootNamespace: ISTIO_NAMESPACE,
    certificates: [],
    configSources: [galleyConfigSource()],
    defaultConfig: {
      connectTimeout: PROXY.connectTimeout,
      configPath: PROXY.configPath,
      binaryPath: PROXY.binaryPath,
      serviceCluster: 'istio-proxy',
      drainDuration: PROXY.drainDuration,
      parentShutdownDuration: PROXY.parentShutdownDuration,
      proxyAdminPort: PROXY.proxyAdminPort,
      concurrency: PROXY.concurrency,
      tracing: tracing(values),
      controlPlaneAuthPolicy: PROXY.controlPlaneAuthPolicy,
      discoveryAddress: PROXY.discoveryAddress,
    },
  };
}

/**
 * The mesh config as the text of the `mesh` key: JSON (which is YAML) on one line, so
 * that a kpt setter comment reaches the trust domain in it; Istio reads the key as YAML.
 */
export function meshConfigYaml(values: MeshValues): string {
  return JSON.stringify(meshConfig(values));
}

export interface MeshConfigProps {
  readonly values: MeshValues;
}

/** The `istio` ConfigMap: mesh config (`mesh`) and mesh networks (`meshNetworks`). */
export class MeshConfig extends Construct {
  readonly name = MESH_CONFIG_MAP;

  constructor(scope: Construct, id: string, props: MeshConfigProps) {
    super(scope, id);
    new ConfigMap(this, 'Resource', {
      name: MESH_CONFIG_MAP,
      namespace: ISTIO_NAMESPACE,
      labels: { app: 'istio', release: 'istio' },
      // Says that the zipkin tracer below is a Jaeger collector (asmpkg lint reads it).
      annotations: props.values.telemetry.tracing === 'jaeger' ? { [ZIPKIN_BACKEND_ANNOTATION]: JAEGER_BACKEND } : undefined,
      data: { mesh: meshConfigYaml(props.values), meshNetworks: 'networks: {}\n' },
    });
  }
}

/**
 * The values the injector exposes to the template as `.Values` (the `values` key, one
 * line of JSON). The template reads the cluster's identity from here (image hub and tag,
 * trust domain, mesh ID, GCP_METADATA, SDS token audience; `TEMPLATE_VALUES`), so that
 * kpt setters, which reach one-line fields only, can change them.
 */
export function injectorValues(values: MeshValues): Record<string, unknown> {
  const proxy: Record<string, unknown> = {
    image: values.release.images.proxy,
    statusPort: PROXY.statusPort,
    tracer: values.telemetry.tracing === 'stackdriver' ? 'stackdriver' : 'zipkin',
  };
  if (values.platform === 'gke' && values.gcpMetadata) proxy.env = { GCP_METADATA: values.gcpMetadata };
  return {
    global: {
      hub: values.hub,
      tag: values.tag,
      trustDomain: values.trustDomain,
      meshID: values.meshId ?? '',
      sds: { enabled: usesSds(values), udsPath: usesSds(values) ? PROXY.sdsUdsPath : '', token: { aud: usesSds(values) ? sdsAudience(values) : '' } },
      proxy,
      proxy_init: { image: values.release.images.proxy },
    },
  };
}

/** The `config` key of the injector ConfigMap: policy, selectors and template. */
export function injectorConfigYaml(values: MeshValues): string {
  return stringifyYaml(
    {
      policy: 'enabled',
      alwaysInjectSelector: [],
      neverInjectSelector: [],
      injectedAnnotations: {},
      template: injectionTemplate(values),
    },
  );
}

export interface SidecarInjectorConfigProps {
  readonly values: MeshValues;
}

/** The `istio-sidecar-injector` ConfigMap: injection policy and the sidecar template. */
export class SidecarInjectorConfig extends Construct {
  readonly name = INJECTOR_CONFIG_MAP;

  constructor(scope: Construct, id: string, props: SidecarInjectorConfigProps) {
    super(scope, id);
    new ConfigMap(this, 'Resource', {
      name: INJECTOR_CONFIG_MAP,
      namespace: ISTIO_NAMESPACE,
      labels: { ...COMPONENTS.sidecarInjector.labels },
      data: {
        config: injectorConfigYaml(props.values),
        values: JSON.stringify(injectorValues(props.values)),
      },
    });
  }
}
