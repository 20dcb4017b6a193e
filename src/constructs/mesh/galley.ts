import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { stringifyYaml } from '../../util/yaml';
import { apiVersionFor } from '../../catalog/api-versions';
import { COMPONENTS, ISTIO_NAMESPACE } from '../../catalog/components';
import { imageRef } from '../../catalog/release';
import { ConfigMap } from '../k8s';
import { MeshComponentParts } from './component';
import { controlPlaneProxy, controlPlaneProxyVolumes } from './control-plane-proxy';
import { MESH_CONFIG_MAP } from './mesh-config';
import type { MeshValues } from './values';

/** Name of galley's ValidatingWebhookConfiguration. */
export const GALLEY_WEBHOOK = 'istio-galley';
const GALLEY_CONFIG_MAP = 'istio-galley-configuration';
const GALLEY_ENVOY_CONFIG_MAP = 'galley-envoy-config';
/** Port galley serves the validation webhook on in the pod (Service port 443). */
export const GALLEY_VALIDATION_PORT = 9443;
const GALLEY_MCP_PORT = 9901;
const GALLEY_MCP_TLS_PORT = 15019;

const CREATE_UPDATE = ['CREATE', 'UPDATE'];

/**
 * Galley's validating webhooks (Istio 1.4): Pilot's kinds at `/admitpilot`, the
 * Mixer config kinds the package installs CRDs for at `/admitmixer`. No caBundle:
 * galley writes it when it reconciles the configuration.
 */
export function galleyWebhookConfiguration(kubernetesVersion: string): Record<string, unknown> {
  const apiVersion = apiVersionFor('ValidatingWebhookConfiguration', kubernetesVersion);
  const v1 = apiVersion === 'admissionregistration.k8s.io/v1';
  const webhook = (name: string, path: string, rules: unknown[]) => ({
    name,
    clientConfig: { service: { name: COMPONENTS.galley.service!.name, namespace: ISTIO_NAMESPACE, path } },
    rules,
    failurePolicy: 'Fail',
    sideEffects: 'None',
    ...(v1 ? { admissionReviewVersions: ['v1beta1'] } : {}),
  });
  return {
    apiVersion,
    kind: 'ValidatingWebhookConfiguration',
    metadata: { name: GALLEY_WEBHOOK, labels: { ...COMPONENTS.galley.labels } },
    webhooks: [
      webhook('pilot.validation.istio.io', '/admitpilot', [
        { operations: CREATE_UPDATE, apiGroups: ['config.istio.io'], apiVersions: ['v1alpha2'], resources: ['httpapispecs', 'httpapispecbindings', 'quotaspecs', 'quotaspecbindings'] },
        { operations: CREATE_UPDATE, apiGroups: ['rbac.istio.io'], apiVersions: ['*'], resources: ['*'] },
        { operations: CREATE_UPDATE, apiGroups: ['security.istio.io'], apiVersions: ['*'], resources: ['*'] },
        { operations: CREATE_UPDATE, apiGroups: ['authentication.istio.io'], apiVersions: ['*'], resources: ['*'] },
        {
          operations: CREATE_UPDATE,
          apiGroups: ['networking.istio.io'],
          apiVersions: ['*'],
          resources: ['destinationrules', 'envoyfilters', 'gateways', 'serviceentries', 'sidecars', 'virtualservices'],
        },
      ]),
      webhook('mixer.validation.istio.io', '/admitmixer', [
        {
          operations: CREATE_UPDATE,
          apiGroups: ['config.istio.io'],
          apiVersions: ['v1alpha2'],
          resources: ['rules', 'attributemanifests', 'adapters', 'handlers', 'instances', 'templates'],
        },
      ]),
    ],
  };
}

let envoyTemplate: string | undefined;

/** Envoy bootstrap of galley's proxy: mTLS MCP on 15019 forwarded to galley's plain MCP port (constant, built once). */
export function galleyEnvoyTemplate(): string {
  envoyTemplate ??= buildEnvoyTemplate();
  return envoyTemplate;
}

function buildEnvoyTemplate(): string {
  return stringifyYaml(
    {
      admin: { access_log_path: '/dev/null', address: { socket_address: { address: '127.0.0.1', port_value: 15000 } } },
      static_resources: {
        clusters: [
          {
            name: `in.${GALLEY_MCP_PORT}`,
            http2_protocol_options: {},
            connect_timeout: '1.000s',
            hosts: [{ socket_address: { address: '127.0.0.1', port_value: GALLEY_MCP_PORT } }],
            circuit_breakers: { thresholds: [{ max_connections: 100000, max_pending_requests: 100000, max_requests: 100000, max_retries: 3 }] },
          },
        ],
        listeners: [
          {
            name: String(GALLEY_MCP_TLS_PORT),
            address: { socket_address: { address: '0.0.0.0', port_value: GALLEY_MCP_TLS_PORT } },
            filter_chains: [
              {
                filters: [
                  {
                    name: 'envoy.http_connection_manager',
                    config: {
                      codec_type: 'HTTP2',
                      stat_prefix: String(GALLEY_MCP_TLS_PORT),
                      http2_protocol_options: { max_concurrent_streams: 1073741824 },
                      http_filters: [{ name: 'envoy.router' }],
                      route_config: {
                        name: String(GALLEY_MCP_TLS_PORT),
                        virtual_hosts: [
                          { name: 'istio-galley', domains: ['*'], routes: [{ match: { prefix: '/' }, route: { cluster: `in.${GALLEY_MCP_PORT}`, timeout: '0.000s' } }] },
                        ],
                      },
                    },
                  },
                ],
                tls_context: {
                  common_tls_context: {
                    alpn_protocols: ['h2'],
                    tls_certificates: [{ certificate_chain: { filename: '/etc/certs/cert-chain.pem' }, private_key: { filename: '/etc/certs/key.pem' } }],
                    validation_context: { trusted_ca: { filename: '/etc/certs/root-cert.pem' } },
                  },
                  require_client_certificate: true,
                },
              },
            ],
          },
        ],
      },
    },
  );
}

const webhookFiles = new Map<string, string>();

/** The webhook configuration as the YAML file galley reconciles from (cached per Kubernetes version). */
function webhookFile(kubernetesVersion: string): string {
  let text = webhookFiles.get(kubernetesVersion);
  if (text === undefined) {
    text = stringifyYaml(galleyWebhookConfiguration(kubernetesVersion));
    webhookFiles.set(kubernetesVersion, text);
  }
  return text;
}

export interface GalleyProps {
  readonly values: MeshValues;
}

/**
 * Galley (istio-galley): validates Istio config (webhook on 443 -> 9443) and serves
 * it to pilot over MCP (9901 in the pod, 15019 with mTLS through its Envoy).
 */
export class Galley extends Construct {
  static readonly spec = COMPONENTS.galley;

  constructor(scope: Construct, id: string, props: GalleyProps) {
    super(scope, id);
    const { values } = props;
    const c = COMPONENTS.galley;
    const v = values.kubernetesVersion;
    const parts = new MeshComponentParts(this, c, v);
    const labels = c.labels;
    const istioGroups = ['authentication.istio.io', 'config.istio.io', 'networking.istio.io', 'rbac.istio.io', 'security.istio.io'];

    parts.serviceAccount();
    parts.clusterRole([
      { apiGroups: istioGroups, resources: ['*'], verbs: ['get', 'list', 'watch'] },
      { apiGroups: istioGroups, resources: ['*/status'], verbs: ['update'] },
      { apiGroups: ['admissionregistration.k8s.io'], resources: ['validatingwebhookconfigurations'], verbs: ['*'] },
      { apiGroups: ['extensions', 'apps'], resources: ['deployments'], resourceNames: [c.workloadName], verbs: ['get'] },
      { apiGroups: [''], resources: ['pods', 'nodes', 'services', 'endpoints', 'namespaces'], verbs: ['get', 'list', 'watch'] },
      { apiGroups: ['extensions'], resources: ['ingresses'], verbs: ['get', 'list', 'watch'] },
      { apiGroups: [''], resources: ['namespaces/finalizers'], verbs: ['update'] },
      { apiGroups: ['apiextensions.k8s.io'], resources: ['customresourcedefinitions'], verbs: ['get', 'list', 'watch'] },
    ]);

    const webhook = galleyWebhookConfiguration(v);
    new ConfigMap(this, 'Configuration', {
      name: GALLEY_CONFIG_MAP,
      namespace: ISTIO_NAMESPACE,
      labels,
      data: { 'validatingwebhookconfiguration.yaml': webhookFile(v) },
    });
    new ConfigMap(this, 'EnvoyConfig', {
      name: GALLEY_ENVOY_CONFIG_MAP,
      namespace: ISTIO_NAMESPACE,
      labels,
      data: { 'envoy.yaml.tmpl': galleyEnvoyTemplate() },
    });

    const probe = (path: string) => ({
      exec: { command: ['/usr/local/bin/galley', 'probe', `--probe-path=${path}`, '--interval=10s'] },
      initialDelaySeconds: 5,
      periodSeconds: 5,
    });
    parts.deployment({
      replicas: 1,
      containers: [
        {
          name: 'galley',
          image: imageRef(values.release, 'galley', values.hub, values.tag),
          command: [
            '/usr/local/bin/galley',
            'server',
            '--meshConfigFile=/etc/mesh-config/mesh',
            '--livenessProbeInterval=1s',
            '--livenessProbePath=/tmp/healthliveness',
            '--readinessProbePath=/tmp/healthready',
            '--readinessProbeInterval=1s',
            // plain MCP stays in the pod; the pod's Envoy serves it with mTLS on 15019
            '--insecure=true',
            '--enable-validation=true',
            '--enable-reconcileWebhookConfiguration=true',
            '--enable-server=true',
            `--deployment-namespace=${ISTIO_NAMESPACE}`,
            '--validation-webhook-config-file',
            '/etc/config/validatingwebhookconfiguration.yaml',
            '--monitoringPort=15014',
            `--validation-port=${GALLEY_VALIDATION_PORT}`,
            '--log_output_level=default:info',
          ],
          ports: [{ containerPort: GALLEY_VALIDATION_PORT }, { containerPort: 15014 }, { containerPort: GALLEY_MCP_PORT }],
          livenessProbe: probe('/tmp/healthliveness'),
          readinessProbe: probe('/tmp/healthready'),
          resources: { requests: { cpu: '100m' } },
          volumeMounts: [
            { name: 'istio-certs', mountPath: '/etc/certs', readOnly: true },
            { name: 'config', mountPath: '/etc/config', readOnly: true },
            { name: 'mesh-config', mountPath: '/etc/mesh-config', readOnly: true },
          ],
        },
        controlPlaneProxy(values, {
          serviceCluster: c.workloadName,
          templateFile: '/var/lib/istio/galley/envoy/envoy.yaml.tmpl',
          ports: [GALLEY_MCP_TLS_PORT],
          extraMounts: [{ name: 'envoy-config', mountPath: '/var/lib/istio/galley/envoy' }],
        }),
      ],
      volumes: [
        ...controlPlaneProxyVolumes(values, c.serviceAccount),
        { name: 'envoy-config', configMap: { name: GALLEY_ENVOY_CONFIG_MAP } },
        { name: 'config', configMap: { name: GALLEY_CONFIG_MAP } },
        { name: 'mesh-config', configMap: { name: MESH_CONFIG_MAP } },
      ],
    });

    parts.service();
    parts.podDisruptionBudget();
    new ApiObject(this, 'Webhook', webhook as { apiVersion: string; kind: string });
  }
}
