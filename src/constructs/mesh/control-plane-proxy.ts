/**
 * The Envoy that runs next to pilot and galley (controlPlaneSecurityEnabled in
 * Istio 1.4): it terminates mTLS on the component's secure port (pilot 15011,
 * galley 15019) and forwards to the plain port in the pod.
 */
import { imageRef } from '../../catalog/release';
import { ISTIO_NAMESPACE } from '../../catalog/components';
import { PROXY } from '../../catalog/proxy';
import type { ContainerResources } from '../../catalog/components';
import type { Container, EnvVar, Volume, VolumeMount } from '../k8s';
import { sdsAudience, usesSds } from './injection-template';
import { NON_ROOT } from './security-context';
import type { MeshValues } from './values';

/**
 * Where pilot-agent writes Envoy's bootstrap (`--configPath`): an emptyDir, as the
 * root filesystem is read-only. Not the image's `/etc/istio/proxy`, which holds
 * pilot's bootstrap template.
 */
const CONTROL_PLANE_PROXY_CONFIG_DIR = '/var/lib/istio/proxy';
const CONFIG_VOLUME = 'istio-envoy';

export interface ControlPlaneProxyOptions {
  /** `--serviceCluster` (the component name, e.g. `istio-pilot`). */
  readonly serviceCluster: string;
  /** Envoy bootstrap template file for the component. */
  readonly templateFile: string;
  /** Ports Envoy listens on. */
  readonly ports: readonly number[];
  /** Requests and limits (the component's catalog entry). */
  readonly resources: ContainerResources;
  /** Extra volume mounts (e.g. galley's envoy config). */
  readonly extraMounts?: readonly VolumeMount[];
}

export function fieldEnv(name: string, fieldPath: string): EnvVar {
  return { name, valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath } } };
}

/** GKE only: the proxy's GCP_METADATA. */
export function gcpMetadataEnv(values: MeshValues): EnvVar[] {
  return values.platform === 'gke' && values.gcpMetadata ? [{ name: 'GCP_METADATA', value: values.gcpMetadata }] : [];
}

/** The istio-proxy container of a control-plane pod. */
export function controlPlaneProxy(values: MeshValues, o: ControlPlaneProxyOptions): Container {
  const sds = usesSds(values);
  return {
    name: 'istio-proxy',
    image: imageRef(values.release, 'proxy', values.hub, values.tag),
    ports: o.ports.map((containerPort) => ({ containerPort })),
    args: [
      'proxy',
      '--domain',
      `$(POD_NAMESPACE).svc.${PROXY.clusterDomain}`,
      '--serviceCluster',
      o.serviceCluster,
      '--templateFile',
      o.templateFile,
      '--configPath',
      CONTROL_PLANE_PROXY_CONFIG_DIR,
      '--controlPlaneAuthPolicy',
      PROXY.controlPlaneAuthPolicy,
      `--trust-domain=${values.trustDomain}`,
      `--proxyLogLevel=${PROXY.logLevel}`,
      `--proxyComponentLogLevel=${PROXY.componentLogLevel}`,
    ],
    env: [
      fieldEnv('POD_NAME', 'metadata.name'),
      fieldEnv('POD_NAMESPACE', 'metadata.namespace'),
      fieldEnv('INSTANCE_IP', 'status.podIP'),
      { name: 'SDS_ENABLED', value: String(sds) },
      ...gcpMetadataEnv(values),
    ],
    resources: o.resources,
    volumeMounts: [
      { name: CONFIG_VOLUME, mountPath: CONTROL_PLANE_PROXY_CONFIG_DIR },
      ...(o.extraMounts ?? []),
      { name: 'istio-certs', mountPath: '/etc/certs', readOnly: true },
      ...(sds
        ? [
            { name: 'sds-uds-path', mountPath: PROXY.sdsUdsDir, readOnly: true },
            { name: 'istio-token', mountPath: '/var/run/secrets/tokens' },
          ]
        : []),
    ],
    securityContext: NON_ROOT,
  };
}

/** Volumes the control-plane proxy needs: its bootstrap directory, the workload's `istio.<sa>` secret, and SDS on GKE. */
export function controlPlaneProxyVolumes(values: MeshValues, serviceAccount: string, { certsRequired = false }: { certsRequired?: boolean } = {}): Volume[] {
  const sds = usesSds(values);
  return [
    { name: CONFIG_VOLUME, emptyDir: { medium: 'Memory' } },
    // Optional unless the workload cannot work without it (galley's webhook on GKE, where asmpkg supplies it).
    { name: 'istio-certs', secret: { secretName: `istio.${serviceAccount}`, ...(certsRequired ? {} : { optional: true }) } },
    ...(sds
      ? [
          { name: 'sds-uds-path', hostPath: { path: PROXY.sdsUdsDir } },
          {
            name: 'istio-token',
            projected: {
              sources: [
                {
                  serviceAccountToken: {
                    audience: sdsAudience(values),
                    expirationSeconds: PROXY.sdsTokenExpirationSeconds,
                    path: 'istio-token',
                  },
                },
              ],
            },
          },
        ]
      : []),
  ];
}

/** `<name>-istio-system`: Istio 1.4's naming of a component's cluster-scoped RBAC. */
export function clusterRoleName(base: string): string {
  return `${base}-${ISTIO_NAMESPACE}`;
}
