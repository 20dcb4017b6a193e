import { Construct } from 'constructs';
import { stringifyYaml } from '../../util/yaml';
import { COMPONENTS, GALLEY_LOCAL_MCP_PORT, ISTIO_NAMESPACE, servicePort } from '../../catalog/components';
import { imageRef } from '../../catalog/release';
import { ConfigMap } from '../k8s';
import { MeshComponentParts } from './component';
import { galleyEnvoyTemplate } from './control-plane-envoy';
import { controlPlaneProxy, controlPlaneProxyVolumes } from './control-plane-proxy';
import { MESH_CONFIG_MAP } from './mesh-config';
import { NON_ROOT } from './security-context';
import type { MeshValues } from './values';

/**
 * Name of the ValidatingWebhookConfiguration galley creates and reconciles (galley's
 * `--webhook-name` default, whatever the file's metadata says).
 */
export const GALLEY_WEBHOOK = 'istio-galley';
/** ConfigMap with the webhook configuration galley reconciles from (`--validation-webhook-config-file`). */
const GALLEY_CONFIG_MAP = 'istio-galley-configuration';
/** Key of the webhook configuration in {@link GALLEY_CONFIG_MAP}. */
const GALLEY_WEBHOOK_FILE = 'validatingwebhookconfiguration.yaml';
const GALLEY_CONFIG_DIR = '/etc/config';
const GALLEY_ENVOY_CONFIG_MAP = 'galley-envoy-config';
/** Galley writes its probe files here (`--livenessProbePath`, `--readinessProbePath`): an emptyDir. */
const GALLEY_PROBE_DIR = '/tmp';

/** Galley's ports in the pod, from its Service in the catalog. */
const PORTS = {
  /** Validation webhook (`--validation-port`, Service port 443). */
  validation: servicePort('galley', 'https-validation').targetPort,
  monitoring: servicePort('galley', 'http-monitoring').targetPort,
  /** Plain MCP, on localhost: reached only through the pod's Envoy. */
  mcp: GALLEY_LOCAL_MCP_PORT,
  /** MCP over mTLS, served by the pod's Envoy. */
  mcpTls: servicePort('galley', 'grpc-tls-mcp').targetPort,
} as const;

const CREATE_UPDATE = ['CREATE', 'UPDATE'];

/**
 * Galley's validating webhooks (Istio 1.4): Pilot's kinds at `/admitpilot`, the
 * Mixer config kinds the package installs CRDs for at `/admitmixer`. This is the
 * content of galley's webhook file, not an object of the package: galley creates the
 * configuration once its webhook serves (`--enable-reconcileWebhookConfiguration`),
 * with its CA as caBundle, so applying the package never meets a webhook that is not
 * there yet. Galley 1.4 decodes the file as and creates the object with
 * admissionregistration.k8s.io/v1beta1, whatever the cluster version.
 */
export function galleyWebhookConfiguration(): Record<string, unknown> {
  const webhook = (name: string, path: string, rules: unknown[]) => ({
    name,
    clientConfig: { service: { name: COMPONENTS.galley.service!.name, namespace: ISTIO_NAMESPACE, path } },
    rules,
    failurePolicy: 'Fail',
    sideEffects: 'None',
  });
  return {
    apiVersion: 'admissionregistration.k8s.io/v1beta1',
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

let webhookFile: string | undefined;

/** The webhook configuration as the YAML file galley reconciles from (constant, built once). */
function galleyWebhookFile(): string {
  webhookFile ??= stringifyYaml(galleyWebhookConfiguration());
  return webhookFile;
}

export interface GalleyProps {
  readonly values: MeshValues;
}

/**
 * Galley (istio-galley): validates Istio config (webhook on 443 -> 9443, whose
 * configuration it creates itself) and serves it to pilot over MCP: plain on
 * 127.0.0.1:9901 inside the pod, mutual TLS on 15019 through its Envoy (SDS
 * certificates from the node agent on GKE, Citadel's on-prem). Nothing outside the
 * pod reaches the plain port, and its Service has none.
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
      // its own webhook configuration only: created once (create cannot be limited by name),
      // then read (list/watch by metadata.name) and reconciled
      { apiGroups: ['admissionregistration.k8s.io'], resources: ['validatingwebhookconfigurations'], verbs: ['create'] },
      {
        apiGroups: ['admissionregistration.k8s.io'],
        resources: ['validatingwebhookconfigurations'],
        resourceNames: [GALLEY_WEBHOOK],
        verbs: ['get', 'list', 'watch', 'update'],
      },
      { apiGroups: ['extensions', 'apps'], resources: ['deployments'], resourceNames: [c.workloadName], verbs: ['get'] },
      { apiGroups: [''], resources: ['pods', 'nodes', 'services', 'endpoints', 'namespaces'], verbs: ['get', 'list', 'watch'] },
      { apiGroups: ['extensions'], resources: ['ingresses'], verbs: ['get', 'list', 'watch'] },
      { apiGroups: [''], resources: ['namespaces/finalizers'], verbs: ['update'] },
      { apiGroups: ['apiextensions.k8s.io'], resources: ['customresourcedefinitions'], verbs: ['get', 'list', 'watch'] },
    ]);

    new ConfigMap(this, 'Configuration', {
      name: GALLEY_CONFIG_MAP,
      namespace: ISTIO_NAMESPACE,
      labels,
      data: { [GALLEY_WEBHOOK_FILE]: galleyWebhookFile() },
    });
    new ConfigMap(this, 'EnvoyConfig', {
      name: GALLEY_ENVOY_CONFIG_MAP,
      namespace: ISTIO_NAMESPACE,
      labels,
      data: { 'envoy.yaml.tmpl': galleyEnvoyTemplate(values) },
    });

    const probe = (path: string) => ({
      exec: { command: ['/usr/local/bin/galley', 'probe', `--probe-path=${path}`, '--interval=10s'] },
      initialDelaySeconds: 5,
      periodSeconds: 5,
    });
    parts.deployment({
      containers: [
        {
          name: 'galley',
          image: imageRef(values.release, 'galley', values.hub, values.tag),
          command: [
            '/usr/local/bin/galley',
            'server',
            '--meshConfigFile=/etc/mesh-config/mesh',
            '--livenessProbeInterval=1s',
            `--livenessProbePath=${GALLEY_PROBE_DIR}/healthliveness`,
            `--readinessProbePath=${GALLEY_PROBE_DIR}/healthready`,
            '--readinessProbeInterval=1s',
            // plain MCP on localhost only; the pod's Envoy serves it with mTLS on 15019
            `--server-address=tcp://127.0.0.1:${PORTS.mcp}`,
            '--insecure=true',
            '--enable-validation=true',
            '--enable-reconcileWebhookConfiguration=true',
            '--enable-server=true',
            `--deployment-namespace=${ISTIO_NAMESPACE}`,
            '--validation-webhook-config-file',
            `${GALLEY_CONFIG_DIR}/${GALLEY_WEBHOOK_FILE}`,
            `--monitoringPort=${PORTS.monitoring}`,
            `--validation-port=${PORTS.validation}`,
            '--log_output_level=default:info',
          ],
          ports: [{ containerPort: PORTS.validation }, { containerPort: PORTS.monitoring }],
          livenessProbe: probe(`${GALLEY_PROBE_DIR}/healthliveness`),
          readinessProbe: probe(`${GALLEY_PROBE_DIR}/healthready`),
          resources: parts.resources('galley'),
          volumeMounts: [
            { name: 'istio-certs', mountPath: '/etc/certs', readOnly: true },
            { name: 'config', mountPath: GALLEY_CONFIG_DIR, readOnly: true },
            { name: 'mesh-config', mountPath: '/etc/mesh-config', readOnly: true },
            { name: 'probes', mountPath: GALLEY_PROBE_DIR },
          ],
          securityContext: NON_ROOT,
        },
        controlPlaneProxy(values, {
          serviceCluster: c.workloadName,
          templateFile: '/var/lib/istio/galley/envoy/envoy.yaml.tmpl',
          ports: [PORTS.mcpTls],
          resources: parts.resources('istio-proxy'),
          extraMounts: [{ name: 'envoy-config', mountPath: '/var/lib/istio/galley/envoy' }],
        }),
      ],
      volumes: [
        // On GKE no Citadel creates istio.istio-galley-service-account: the package supplies
        // it (secrets/galley-certs.yaml) and galley serves its webhook with it, so a missing
        // Secret must keep the pod from starting, not leave a webhook no one can call.
        ...controlPlaneProxyVolumes(values, c.serviceAccount, { certsRequired: values.platform === 'gke' }),
        { name: 'probes', emptyDir: {} },
        { name: 'envoy-config', configMap: { name: GALLEY_ENVOY_CONFIG_MAP } },
        { name: 'config', configMap: { name: GALLEY_CONFIG_MAP } },
        { name: 'mesh-config', configMap: { name: MESH_CONFIG_MAP } },
      ],
    });

    parts.service();
    parts.podDisruptionBudget();
  }
}
