import { Construct } from 'constructs';
import { COMPONENTS } from '../../catalog/components';
import { PROXY } from '../../catalog/proxy';
import { imageRef } from '../../catalog/release';
import { MeshComponentParts } from './component';
import { controlPlaneProxy, controlPlaneProxyVolumes, fieldEnv } from './control-plane-proxy';
import { MESH_CONFIG_MAP } from './mesh-config';
import type { MeshValues } from './values';

export interface PilotProps {
  readonly values: MeshValues;
  /** HPA bounds; Istio 1.4: 1..5 at 80% CPU. */
  readonly autoscale?: { readonly min: number; readonly max: number; readonly cpuTargetAverageUtilization: number };
}

/**
 * Pilot (istio-pilot): xDS server. `discovery` serves plain gRPC on 15010 inside the
 * pod; its Envoy terminates mTLS on 15011 (the address sidecars use).
 */
export class Pilot extends Construct {
  static readonly spec = COMPONENTS.pilot;

  constructor(scope: Construct, id: string, props: PilotProps) {
    super(scope, id);
    const { values } = props;
    const c = COMPONENTS.pilot;
    const v = values.kubernetesVersion;
    const parts = new MeshComponentParts(this, c, v);
    const autoscale = props.autoscale ?? { min: 1, max: 5, cpuTargetAverageUtilization: 80 };

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
      { apiGroups: [''], resources: ['secrets'], verbs: ['create', 'get', 'watch', 'list', 'update', 'delete'] },
      {
        apiGroups: ['certificates.k8s.io'],
        resources: ['certificatesigningrequests', 'certificatesigningrequests/approval', 'certificatesigningrequests/status'],
        verbs: ['update', 'create', 'get', 'delete'],
      },
    ]);

    parts.deployment({
      antiAffinity: { mode: 'preferred' },
      containers: [
        {
          name: 'discovery',
          image: imageRef(values.release, 'pilot', values.hub, values.tag),
          args: [
            'discovery',
            '--monitoringAddr=:15014',
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
          ports: [{ containerPort: 8080 }, { containerPort: 15010 }],
          readinessProbe: { httpGet: { path: '/ready', port: 8080 }, initialDelaySeconds: 5, periodSeconds: 5, timeoutSeconds: 5 },
          env: [
            fieldEnv('POD_NAME', 'metadata.name'),
            fieldEnv('POD_NAMESPACE', 'metadata.namespace'),
            { name: 'PILOT_PUSH_THROTTLE', value: '100' },
            { name: 'PILOT_TRACE_SAMPLING', value: '1' },
            { name: 'PILOT_ENABLE_PROTOCOL_SNIFFING_FOR_OUTBOUND', value: 'true' },
            { name: 'PILOT_ENABLE_PROTOCOL_SNIFFING_FOR_INBOUND', value: 'false' },
          ],
          resources: { requests: { cpu: '500m', memory: '2048Mi' } },
          volumeMounts: [
            { name: 'config-volume', mountPath: '/etc/istio/config' },
            { name: 'istio-certs', mountPath: '/etc/certs', readOnly: true },
          ],
        },
        controlPlaneProxy(values, {
          serviceCluster: c.workloadName,
          templateFile: '/etc/istio/proxy/envoy_pilot.yaml.tmpl',
          ports: [15011],
        }),
      ],
      volumes: [{ name: 'config-volume', configMap: { name: MESH_CONFIG_MAP } }, ...controlPlaneProxyVolumes(values, c.serviceAccount)],
    });

    parts.service();
    parts.podDisruptionBudget();
    parts.horizontalPodAutoscaler({
      minReplicas: autoscale.min,
      maxReplicas: autoscale.max,
      cpuTargetAverageUtilization: autoscale.cpuTargetAverageUtilization,
    });
  }
}
