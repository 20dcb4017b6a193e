/**
 * The parts Istio 1.4's ingress and egress gateways share: the `istio-proxy`
 * container running `pilot-agent proxy router`, and how it gets its workload
 * certificate (SDS through the node agent on GKE, Citadel's `istio.*` secret on-prem).
 */
import { apiVersionFor } from '../../catalog/api-versions';
import { containerResources, ISTIO_NAMESPACE, type ComponentSpec } from '../../catalog/components';
import { PROXY } from '../../catalog/proxy';
import { imageRef } from '../../catalog/release';
import type { Container, EnvVar, Volume, VolumeMount } from '../k8s/types';
import { sdsAudience, usesSds, zipkinAddress } from './injection-template';
import { rootWith } from './security-context';
import type { MeshValues } from './values';

/** The emptyDir pilot-agent writes Envoy's bootstrap to (`PROXY.configPath`): the root filesystem is read-only. */
const CONFIG_VOLUME = 'istio-envoy';

function fieldRef(name: string, fieldPath: string): EnvVar {
  return { name, valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath } } };
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
  const zipkin = zipkinAddress(v);
  const args = [
    'proxy',
    'router',
    '--domain',
    `$(POD_NAMESPACE).svc.${PROXY.clusterDomain}`,
    `--proxyLogLevel=${PROXY.logLevel}`,
    `--proxyComponentLogLevel=${PROXY.componentLogLevel}`,
    '--log_output_level=default:info',
    '--drainDuration',
    PROXY.drainDuration,
    '--parentShutdownDuration',
    PROXY.parentShutdownDuration,
    '--connectTimeout',
    PROXY.connectTimeout,
    '--serviceCluster',
    name,
    // Stackdriver tracing is configured by env instead
    ...(zipkin ? ['--zipkinAddress', zipkin] : []),
    '--proxyAdminPort',
    String(PROXY.proxyAdminPort),
    '--statusPort',
    String(PROXY.statusPort),
    '--controlPlaneAuthPolicy',
    PROXY.controlPlaneAuthPolicy,
    '--discoveryAddress',
    PROXY.discoveryAddress,
    `--trust-domain=${v.trustDomain}`,
  ];

  const env: EnvVar[] = [
    fieldRef('NODE_NAME', 'spec.nodeName'),
    fieldRef('POD_NAME', 'metadata.name'),
    fieldRef('POD_NAMESPACE', 'metadata.namespace'),
    fieldRef('INSTANCE_IP', 'status.podIP'),
    fieldRef('HOST_IP', 'status.hostIP'),
    fieldRef('SERVICE_ACCOUNT', 'spec.serviceAccountName'),
    { name: 'ISTIO_META_WORKLOAD_NAME', value: name },
    {
      name: 'ISTIO_META_OWNER',
      value: `kubernetes://apis/${apiVersionFor('Deployment', v.kubernetesVersion)}/namespaces/${ISTIO_NAMESPACE}/deployments/${name}`,
    },
    { name: 'ISTIO_META_MESH_ID', value: v.meshId ?? v.trustDomain },
    fieldRef('ISTIO_META_POD_NAME', 'metadata.name'),
    fieldRef('ISTIO_META_CONFIG_NAMESPACE', 'metadata.namespace'),
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

  const volumeMounts: VolumeMount[] = [{ name: CONFIG_VOLUME, mountPath: PROXY.configPath }];
  volumeMounts.push(
    ...(usesSds(v)
    ? [
        { name: 'sdsudspath', mountPath: PROXY.sdsUdsDir, readOnly: true },
        { name: 'istio-token', mountPath: '/var/run/secrets/tokens' },
      ]
    : [{ name: 'istio-certs', mountPath: '/etc/certs', readOnly: true }]),
  );
  volumeMounts.push(...(o.extraVolumeMounts ?? []));
  for (const s of o.secretVolumes) volumeMounts.push({ name: s.name, mountPath: s.mountPath, readOnly: true });

  return {
    name: 'istio-proxy',
    image: imageRef(v.release, 'proxy', v.hub, v.tag),
    ports: [...containerPorts, { containerPort: PROXY.prometheusPort, protocol: 'TCP', name: 'http-envoy-prom' }],
    args,
    readinessProbe: {
      failureThreshold: PROXY.readiness.failureThreshold,
      httpGet: { path: '/healthz/ready', port: PROXY.statusPort, scheme: 'HTTP' },
      initialDelaySeconds: PROXY.readiness.initialDelaySeconds,
      periodSeconds: PROXY.readiness.periodSeconds,
      successThreshold: 1,
      timeoutSeconds: 1,
    },
    resources: containerResources(o.component.id, 'istio-proxy'),
    env,
    volumeMounts,
    // root, to listen on 80 and 443 in the pod as Istio 1.4's gateways do (see rootWith)
    securityContext: rootWith(['NET_BIND_SERVICE']),
  };
}

/** The labels the proxy reports to pilot (`app` and `istio`, as Istio 1.4 did). */
function gatewayMetaLabels(c: ComponentSpec): Record<string, string> {
  const { app, istio } = c.labels;
  return { app, istio };
}

/** Volumes for the proxy's workload certificate plus the gateway's TLS secrets. */
export function gatewayVolumes(values: MeshValues, component: ComponentSpec, secretVolumes: readonly GatewaySecretVolume[]): Volume[] {
  const volumes: Volume[] = [{ name: CONFIG_VOLUME, emptyDir: { medium: 'Memory' } }];
  volumes.push(
    ...(usesSds(values)
    ? [
        { name: 'sdsudspath', hostPath: { path: PROXY.sdsUdsDir } },
        {
          name: 'istio-token',
          projected: {
            sources: [
              {
                serviceAccountToken: {
                  path: 'istio-token',
                  expirationSeconds: PROXY.sdsTokenExpirationSeconds,
                  audience: sdsAudience(values),
                },
              },
            ],
          },
        },
      ]
    : // Citadel writes `istio.<service account>` for every ServiceAccount
      [{ name: 'istio-certs', secret: { secretName: `istio.${component.serviceAccount}`, optional: true } }]),
  );
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
