/**
 * The parts Istio 1.4's ingress and egress gateways share: the `istio-proxy`
 * container running `pilot-agent proxy router`, and how it gets its workload
 * certificate (SDS through the node agent on GKE, Citadel's `istio.*` secret on-prem).
 */
import { ISTIO_NAMESPACE, type ComponentSpec } from '../../catalog/components';
import { imageRef } from '../../catalog/release';
import type { Container, EnvVar, Volume, VolumeMount } from '../k8s/types';
import type { MeshValues } from './values';

/** Envoy's Prometheus endpoint on every proxy (scraped at `/stats/prometheus`). */
export const ENVOY_PROM_PORT = 15090;
/** pilot-agent's status port (readiness `/healthz/ready`). */
export const PROXY_STATUS_PORT = 15020;
/** Envoy admin port. */
export const PROXY_ADMIN_PORT = 15000;

/** Node agent SDS socket directory on every node (GKE). */
export const SDS_HOST_PATH = '/var/run/sds';

/** Proxy resources Istio 1.4 gave its gateways. */
export const GATEWAY_RESOURCES = {
  requests: { cpu: '100m', memory: '128Mi' },
  limits: { cpu: '2000m', memory: '1024Mi' },
} as const;

/** Whether workloads get certificates over SDS from the node agent (GKE, Mesh CA). */
export function usesSds(values: MeshValues): boolean {
  return values.platform === 'gke';
}

/** The projected-token audience the node agent checks (the trust domain on GKE). */
export function sdsAudience(values: MeshValues): string {
  return values.sdsTokenAudience ?? values.trustDomain;
}

function fieldRef(name: string, fieldPath: string, apiVersion: string | undefined = 'v1'): EnvVar {
  return { name, valueFrom: { fieldRef: apiVersion ? { apiVersion, fieldPath } : { fieldPath } } };
}

/** A secret volume a gateway mounts read-only (TLS keys for Gateway resources). */
export interface GatewaySecretVolume {
  readonly name: string;
  readonly secretName: string;
  readonly mountPath: string;
}

export interface GatewayProxyOptions {
  readonly values: MeshValues;
  /** The gateway's catalog entry (workload name, labels, Service ports). */
  readonly component: ComponentSpec;
  /** Secrets with keys for Gateway TLS, mounted when they exist (optional volumes). */
  readonly secretVolumes: readonly GatewaySecretVolume[];
  /** Extra env (e.g. `ISTIO_META_USER_SDS` when a gateway SDS container runs beside it). */
  readonly extraEnv?: readonly EnvVar[];
  /** Extra volume mounts of the proxy (e.g. the gateway SDS socket). */
  readonly extraVolumeMounts?: readonly VolumeMount[];
}

/** The `pilot-agent proxy router` container of a gateway. */
export function gatewayProxyContainer(o: GatewayProxyOptions): Container {
  const v = o.values;
  const name = o.component.workloadName;
  const svcPorts = o.component.service?.ports ?? [];
  const containerPorts = [...new Set(svcPorts.map((p) => p.targetPort))].map((containerPort) => ({ containerPort }));
  const zipkin =
    v.telemetry.tracing === 'jaeger' && v.telemetry.jaegerAddress ? v.telemetry.jaegerAddress : `zipkin.${ISTIO_NAMESPACE}:9411`;
  const args = [
    'proxy',
    'router',
    '--domain',
    '$(POD_NAMESPACE).svc.cluster.local',
    '--proxyLogLevel=warning',
    '--proxyComponentLogLevel=misc:error',
    '--log_output_level=default:info',
    '--drainDuration',
    '45s',
    '--parentShutdownDuration',
    '1m0s',
    '--connectTimeout',
    '10s',
    '--serviceCluster',
    name,
    '--zipkinAddress',
    zipkin,
    '--proxyAdminPort',
    String(PROXY_ADMIN_PORT),
    '--statusPort',
    String(PROXY_STATUS_PORT),
    '--controlPlaneAuthPolicy',
    'MUTUAL_TLS',
    '--discoveryAddress',
    `istio-pilot.${ISTIO_NAMESPACE}:15011`,
    `--trust-domain=${v.trustDomain}`,
  ];

  const env: EnvVar[] = [
    fieldRef('NODE_NAME', 'spec.nodeName'),
    fieldRef('POD_NAME', 'metadata.name'),
    fieldRef('POD_NAMESPACE', 'metadata.namespace'),
    fieldRef('INSTANCE_IP', 'status.podIP'),
    fieldRef('HOST_IP', 'status.hostIP'),
    fieldRef('SERVICE_ACCOUNT', 'spec.serviceAccountName', undefined),
    { name: 'ISTIO_META_WORKLOAD_NAME', value: name },
    { name: 'ISTIO_META_OWNER', value: `kubernetes://apis/apps/v1/namespaces/${ISTIO_NAMESPACE}/deployments/${name}` },
    { name: 'ISTIO_META_MESH_ID', value: v.meshId ?? v.trustDomain },
    fieldRef('ISTIO_META_POD_NAME', 'metadata.name'),
    fieldRef('ISTIO_META_CONFIG_NAMESPACE', 'metadata.namespace', undefined),
    ...(o.extraEnv ?? []),
    // pilot generates plain clusters for in-mesh services too (cross-network routing)
    { name: 'ISTIO_META_ROUTER_MODE', value: 'sni-dnat' },
    { name: 'ISTIO_METAJSON_LABELS', value: JSON.stringify(gatewayMetaLabels(o.component)) },
    { name: 'ISTIO_META_CLUSTER_ID', value: 'Kubernetes' },
    { name: 'SDS_ENABLED', value: String(usesSds(v)) },
  ];
  if (v.platform === 'gke' && v.gcpMetadata) env.push({ name: 'GCP_METADATA', value: v.gcpMetadata });
  if (v.platform === 'gke' && v.telemetry.tracing === 'stackdriver') {
    env.push({ name: 'STACKDRIVER_TRACING_ENABLED', value: 'true' }, { name: 'STACKDRIVER_TRACING_DEBUG', value: 'false' });
  }

  const volumeMounts: VolumeMount[] = usesSds(v)
    ? [
        { name: 'sdsudspath', mountPath: SDS_HOST_PATH, readOnly: true },
        { name: 'istio-token', mountPath: '/var/run/secrets/tokens' },
      ]
    : [{ name: 'istio-certs', mountPath: '/etc/certs', readOnly: true }];
  volumeMounts.push(...(o.extraVolumeMounts ?? []));
  for (const s of o.secretVolumes) volumeMounts.push({ name: s.name, mountPath: s.mountPath, readOnly: true });

  return {
    name: 'istio-proxy',
    image: imageRef(v.release, 'proxy', v.hub, v.tag),
    ports: [...containerPorts, { containerPort: ENVOY_PROM_PORT, protocol: 'TCP', name: 'http-envoy-prom' }],
    args,
    readinessProbe: {
      failureThreshold: 30,
      httpGet: { path: '/healthz/ready', port: PROXY_STATUS_PORT, scheme: 'HTTP' },
      initialDelaySeconds: 1,
      periodSeconds: 2,
      successThreshold: 1,
      timeoutSeconds: 1,
    },
    resources: GATEWAY_RESOURCES,
    env,
    volumeMounts,
  };
}

/** The labels the proxy reports to pilot (`app` and `istio`, as Istio 1.4 did). */
function gatewayMetaLabels(c: ComponentSpec): Record<string, string> {
  const { app, istio } = c.labels;
  return { app, istio };
}

/** Volumes for the proxy's workload certificate plus the gateway's TLS secrets. */
export function gatewayVolumes(values: MeshValues, component: ComponentSpec, secretVolumes: readonly GatewaySecretVolume[]): Volume[] {
  const volumes: Volume[] = usesSds(values)
    ? [
        { name: 'sdsudspath', hostPath: { path: SDS_HOST_PATH } },
        {
          name: 'istio-token',
          projected: {
            sources: [{ serviceAccountToken: { path: 'istio-token', expirationSeconds: 43200, audience: sdsAudience(values) } }],
          },
        },
      ]
    : // Citadel writes `istio.<service account>` for every ServiceAccount
      [{ name: 'istio-certs', secret: { secretName: `istio.${component.serviceAccount}`, optional: true } }];
  for (const s of secretVolumes) volumes.push({ name: s.name, secret: { secretName: s.secretName, optional: true } });
  return volumes;
}

/** The TLS secret volumes Istio 1.4 mounted into a gateway named `istio-<kind>gateway`. */
export function defaultSecretVolumes(kind: 'ingress' | 'egress'): GatewaySecretVolume[] {
  return [
    { name: `${kind}gateway-certs`, secretName: `istio-${kind}gateway-certs`, mountPath: `/etc/istio/${kind}gateway-certs` },
    { name: `${kind}gateway-ca-certs`, secretName: `istio-${kind}gateway-ca-certs`, mountPath: `/etc/istio/${kind}gateway-ca-certs` },
  ];
}
