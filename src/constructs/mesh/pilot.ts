import { Construct } from 'constructs';
import { COMPONENTS, ISTIO_NAMESPACE, servicePort } from '../../catalog/components';
import { PROXY } from '../../catalog/proxy';
import { imageRef } from '../../catalog/release';
import { ConfigMap } from '../k8s';
import { MeshComponentParts } from './component';
import { pilotEnvoyTemplate } from './control-plane-envoy';
import { controlPlaneProxy, controlPlaneProxyVolumes, fieldEnv } from './control-plane-proxy';
import { MESH_CONFIG_MAP } from './mesh-config';
import { NON_ROOT } from './security-context';
import type { MeshValues } from './values';

/** ConfigMap with the Envoy bootstrap of pilot's proxy (Istio 1.4's name). */
export const PILOT_ENVOY_CONFIG_MAP = 'pilot-envoy-config';
const PILOT_ENVOY_DIR = '/var/lib/envoy';

export interface PilotProps {
  readonly values: MeshValues;
}

/**
 * Pilot (istio-pilot): xDS server. `discovery` serves plain gRPC on 15010; its Envoy
 * terminates mTLS on 15011 (the address sidecars use), and offers galley's MCP to
 * discovery on localhost:15019, dialling galley with mTLS (SDS certificates from the
 * node agent on GKE, Citadel's on-prem).
 *
 * RBAC is Istio 1.4's pilot role less what this configuration never uses: with
 * `--secureGrpcAddr ""` and no `certificates` in the mesh config, pilot issues no
 * certificates (no CSRs, no secret writes). It reads secrets only for multicluster
 * remote-cluster secrets in its own namespace, so that is a Role in istio-system.
 */
export class Pilot extends Construct {
  static readonly spec = COMPONENTS.pilot;

  constructor(scope: Construct, id: string, props: PilotProps) {
    super(scope, id);
    const { values } = props;
    const c = COMPONENTS.pilot;
    const v = values.kubernetesVersion;
    const parts = new MeshComponentParts(this, c, v);
    const monitoring = servicePort('pilot', 'http-monitoring');
    const http = servicePort('pilot', 'http-legacy-discovery');
    const grpc = servicePort('pilot', 'grpc-xds');
    const grpcTls = servicePort('pilot', 'https-xds');

    parts.serviceAccount();
    parts.clusterRole([
      { apiGroups: ['config.istio.io'], resources: ['*'], verbs: ['*'] },
      { apiGroups: ['rbac.istio.io'], resources: ['*'], verbs: ['get', 'watch', 'list'] },
      { apiGroups: ['security.istio.io'], resources: ['*'], verbs: ['get', 'watch', 'list'] },
      { apiGroups: ['networking.istio.io'], resources: ['*'], verbs: ['*'] },
      { apiGroups: ['authentication.istio.io'], resources: ['*'], verbs: ['*'] },
      { apiGroups: ['apiextensions.k8s.io'], resources: ['customresourcedefinitions'], verbs: ['*'] },
      { apiGroups: ['extensions'], resources: ['ingresses', 'ingresses/status'], verbs: ['*'] },
      { apiGroups: [''], resources: ['configmaps'], verbs: ['create', 'get', 'list', 'watch', 'update'] },
      { apiGroups: [''], resources: ['endpoints', 'pods', 'services', 'namespaces', 'nodes'], verbs: ['get', 'list', 'watch'] },
    ]);
    parts.role('SecretsRole', {
      name: `${c.workloadName}-secrets`,
      rules: [{ apiGroups: [''], resources: ['secrets'], verbs: ['get', 'list', 'watch'] }],
    });

    new ConfigMap(this, 'EnvoyConfig', {
      name: PILOT_ENVOY_CONFIG_MAP,
      namespace: ISTIO_NAMESPACE,
      labels: c.labels,
      data: { 'envoy.yaml.tmpl': pilotEnvoyTemplate(values) },
    });

    parts.deployment({
      containers: [
        {
          name: 'discovery',
          image: imageRef(values.release, 'pilot', values.hub, values.tag),
          args: [
            'discovery',
            `--monitoringAddr=:${monitoring.targetPort}`,
            '--log_output_level=default:info',
            '--domain',
            PROXY.clusterDomain,
            // mTLS is terminated by the pod's Envoy, not by discovery itself
            '--secureGrpcAddr',
            '',
            `--trust-domain=${values.trustDomain}`,
            '--keepaliveMaxServerConnectionAge',
            '30m',
          ],
          ports: [{ containerPort: http.targetPort }, { containerPort: grpc.targetPort }],
          readinessProbe: { httpGet: { path: '/ready', port: http.targetPort }, initialDelaySeconds: 5, periodSeconds: 5, timeoutSeconds: 5 },
          env: [
            fieldEnv('POD_NAME', 'metadata.name'),
            fieldEnv('POD_NAMESPACE', 'metadata.namespace'),
            { name: 'PILOT_PUSH_THROTTLE', value: '100' },
            { name: 'PILOT_TRACE_SAMPLING', value: '1' },
            { name: 'PILOT_ENABLE_PROTOCOL_SNIFFING_FOR_OUTBOUND', value: 'true' },
            { name: 'PILOT_ENABLE_PROTOCOL_SNIFFING_FOR_INBOUND', value: 'false' },
          ],
          resources: parts.resources('discovery'),
          volumeMounts: [
            { name: 'config-volume', mountPath: '/etc/istio/config' },
            { name: 'istio-certs', mountPath: '/etc/certs', readOnly: true },
          ],
          securityContext: NON_ROOT,
        },
        controlPlaneProxy(values, {
          serviceCluster: c.workloadName,
          // mTLS on 15011 to discovery's 15010, galley's MCP on localhost:15019 (see control-plane-envoy)
          templateFile: `${PILOT_ENVOY_DIR}/envoy.yaml.tmpl`,
          ports: [grpcTls.targetPort],
          resources: parts.resources('istio-proxy'),
          extraMounts: [{ name: 'pilot-envoy-config', mountPath: PILOT_ENVOY_DIR, readOnly: true }],
        }),
      ],
      volumes: [
        { name: 'config-volume', configMap: { name: MESH_CONFIG_MAP } },
        { name: 'pilot-envoy-config', configMap: { name: PILOT_ENVOY_CONFIG_MAP } },
        ...controlPlaneProxyVolumes(values, c.serviceAccount),
      ],
    });

    parts.service();
    parts.podDisruptionBudget();
    parts.horizontalPodAutoscaler();
  }
}
