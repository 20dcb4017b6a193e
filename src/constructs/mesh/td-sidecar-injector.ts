import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { apiVersionFor } from '../../catalog/api-versions';
import { PROXY } from '../../catalog/proxy';
import { TD_INJECTOR, TD_INJECTOR_CERT_KEYS } from '../../catalog/traffic-director';
import { stringify } from 'yaml';
import { stringifyYaml } from '../../util/yaml';
import { ClusterRole, ConfigMap, Deployment, PodDisruptionBudget, Service, ServiceAccount } from '../k8s';
import { INJECTION_LABEL_KEY, INJECTION_LABEL_VALUE } from '../k8s/injection-labels';
import { NON_ROOT } from './security-context';

export interface TdSidecarInjectorProps {
  /** Project number Traffic Director reads the Envoys' configuration from. */
  readonly projectNumber: string;
  /** VPC network of the forwarding rule. */
  readonly network: string;
  /** Kubernetes `MAJOR.MINOR` of the cluster; picks API versions. */
  readonly kubernetesVersion: string;
}

const T = TD_INJECTOR;
const CERTS_DIR = '/etc/istio/certs';
const HEALTH_FILE = '/tmp/health';

/** `injector-mesh`'s `mesh`: where the Envoys get xDS, and the project and network they belong to. */
export function tdMeshConfig(props: Pick<TdSidecarInjectorProps, 'projectNumber' | 'network'>): string {
  // One line of JSON (valid YAML): kpt setters can reach the project number and network in it.
  return JSON.stringify({
    defaultConfig: {
      discoveryAddress: T.discoveryAddress,
      proxyMetadata: { TRAFFICDIRECTOR_GCP_PROJECT_NUMBER: props.projectNumber, TRAFFICDIRECTOR_NETWORK_NAME: props.network },
    },
  });
}

/**
 * The injector's `values` (the template's `.Values`): the cluster's project number and
 * network, as one line of JSON so kpt setters reach them; the template reads them from
 * here rather than holding them itself.
 */
export function tdInjectorValues(props: Pick<TdSidecarInjectorProps, 'projectNumber' | 'network'>): string {
  return JSON.stringify({ trafficDirector: { projectNumber: props.projectNumber, network: props.network } });
}

/** YAML with every string value double-quoted: template actions (`{{ ... }}`) and numbers in strings stay strings. */
function quotedYaml(value: unknown): string {
  return stringify(value, { defaultStringType: 'QUOTE_DOUBLE', defaultKeyType: 'PLAIN', lineWidth: 0 });
}

/** Go template fragment: a pod annotation, or `fallback`. */
const annotation = (name: string, fallback: string) => `{{ annotation .ObjectMeta \`${name}\` \`${fallback}\` }}`;

/**
 * The injection template: `istio-init` (iptables redirect to Envoy, as in Istio) and
 * the `istio-proxy` Envoy, whose pilot-agent bootstraps against Traffic Director
 * instead of istiod. The project number and network come from the injector's values
 * ({@link tdInjectorValues}), so the template is the same for every cluster.
 */
export function tdInjectionTemplate(): string {
  const proxy = T.proxyImage;
  const template = {
    initContainers: [
      {
        name: 'istio-init',
        image: proxy,
        args: [
          'istio-iptables',
          '-p', '15001',
          '-z', '15006',
          '-u', String(PROXY.uid),
          '-m', 'REDIRECT',
          '-i', annotation('traffic.sidecar.istio.io/includeOutboundIPRanges', '*'),
          '-x', annotation('traffic.sidecar.istio.io/excludeOutboundIPRanges', ''),
          '-b', annotation('traffic.sidecar.istio.io/includeInboundPorts', '*'),
          '-d', annotation('traffic.sidecar.istio.io/excludeInboundPorts', '15020'),
        ],
        securityContext: { runAsUser: 0, runAsNonRoot: false, capabilities: { add: ['NET_ADMIN', 'NET_RAW'] } },
        resources: { requests: { cpu: '10m', memory: '10Mi' }, limits: { cpu: '100m', memory: '50Mi' } },
      },
    ],
    containers: [
      {
        name: 'istio-proxy',
        image: proxy,
        args: [
          'proxy', 'sidecar',
          '--domain', `$(POD_NAMESPACE).svc.${PROXY.clusterDomain}`,
          '--serviceCluster', '{{ .ObjectMeta.Namespace }}',
          '--discoveryAddress', T.discoveryAddress,
          '--proxyLogLevel=warning',
          '--statusPort', '15020',
          '--controlPlaneAuthPolicy', 'NONE',
        ],
        env: [
          { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
          { name: 'POD_NAMESPACE', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } },
          { name: 'INSTANCE_IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } },
          { name: 'SERVICE_ACCOUNT', valueFrom: { fieldRef: { fieldPath: 'spec.serviceAccountName' } } },
          { name: 'TRAFFICDIRECTOR_GCP_PROJECT_NUMBER', value: '{{ .Values.trafficDirector.projectNumber }}' },
          { name: 'TRAFFICDIRECTOR_NETWORK_NAME', value: '{{ .Values.trafficDirector.network }}' },
        ],
        ports: [{ containerPort: 15090, name: 'http-envoy-prom', protocol: 'TCP' }],
        readinessProbe: { httpGet: { path: '/healthz/ready', port: 15020 }, initialDelaySeconds: 1, periodSeconds: 2, failureThreshold: 30 },
        securityContext: { runAsUser: PROXY.uid, runAsGroup: PROXY.uid, runAsNonRoot: true, readOnlyRootFilesystem: true, allowPrivilegeEscalation: false },
        resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '2', memory: '1Gi' } },
        volumeMounts: [{ name: 'istio-envoy', mountPath: '/etc/istio/proxy' }],
      },
    ],
    volumes: [{ name: 'istio-envoy', emptyDir: { medium: 'Memory' } }],
  };
  return stringifyYaml({ policy: 'enabled', template: quotedYaml(template) });
}

/**
 * Traffic Director's sidecar injector (td-sidecar-injector, xDS v2) in `istio-control`:
 * its ConfigMaps, the webhook Deployment (certificates from the `istio-sidecar-injector`
 * Secret asmpkg renders into secrets/), the Service 443 -> 9443, the
 * MutatingWebhookConfiguration on namespaces labelled `istio-injection: enabled`
 * (failurePolicy Fail; the injector patches its caBundle from ca-cert.pem), a PDB and
 * least-privilege RBAC.
 */
export class TdSidecarInjector extends Construct {
  constructor(scope: Construct, id: string, props: TdSidecarInjectorProps) {
    super(scope, id);
    const v = props.kubernetesVersion;
    const ns = T.namespace;
    const labels = { ...T.labels };

    new ConfigMap(this, 'mesh', { name: T.meshConfigMap, namespace: ns, labels, data: { mesh: tdMeshConfig(props) } });
    new ConfigMap(this, 'inject', { name: T.injectConfigMap, namespace: ns, labels, data: { config: tdInjectionTemplate(), values: tdInjectorValues(props) } });

    new ServiceAccount(this, 'service-account', { name: T.name, namespace: ns, labels, kubernetesVersion: v });
    new ClusterRole(this, 'rbac', {
      name: `${T.name}-${ns}`,
      labels,
      kubernetesVersion: v,
      serviceAccounts: [{ name: T.name, namespace: ns }],
      rules: [
        { apiGroups: [''], resources: ['configmaps'], verbs: ['get', 'list', 'watch'] },
        { apiGroups: ['admissionregistration.k8s.io'], resources: ['mutatingwebhookconfigurations'], verbs: ['get', 'list', 'watch'] },
        // It patches its own webhook's caBundle, no other.
        { apiGroups: ['admissionregistration.k8s.io'], resources: ['mutatingwebhookconfigurations'], verbs: ['patch'], resourceNames: [T.webhook] },
      ],
    });

    const probe = {
      exec: { command: ['/usr/local/bin/sidecar-injector', 'probe', `--probe-path=${HEALTH_FILE}`, '--interval=4s'] },
      initialDelaySeconds: 4,
      periodSeconds: 4,
    };
    new Deployment(this, 'deployment', {
      name: T.name,
      namespace: ns,
      kubernetesVersion: v,
      labels,
      selector: { istio: T.labels.istio },
      serviceAccountName: T.name,
      // Two replicas: with failurePolicy Fail, pod creation in labelled namespaces stops while none runs.
      replicas: 2,
      antiAffinity: { mode: 'preferred' },
      archAffinity: false,
      containers: [
        {
          name: 'sidecar-injector-webhook',
          image: T.injectorImage,
          args: [
            `--caCertFile=${CERTS_DIR}/${TD_INJECTOR_CERT_KEYS.ca}`,
            `--tlsCertFile=${CERTS_DIR}/${TD_INJECTOR_CERT_KEYS.cert}`,
            `--tlsKeyFile=${CERTS_DIR}/${TD_INJECTOR_CERT_KEYS.key}`,
            '--injectConfig=/etc/istio/inject/config',
            '--injectValues=/etc/istio/inject/values',
            '--meshConfig=/etc/istio/config/mesh',
            '--healthCheckInterval=2s',
            `--healthCheckFile=${HEALTH_FILE}`,
            '--reconcileWebhookConfig=true',
            `--webhookConfigName=${T.webhook}`,
            `--port=${T.port}`,
          ],
          ports: [{ containerPort: T.port }],
          livenessProbe: probe,
          readinessProbe: probe,
          resources: { requests: { cpu: '10m', memory: '32Mi' }, limits: { cpu: '500m', memory: '256Mi' } },
          volumeMounts: [
            { name: 'config-volume', mountPath: '/etc/istio/config', readOnly: true },
            { name: 'certs', mountPath: CERTS_DIR, readOnly: true },
            { name: 'inject-config', mountPath: '/etc/istio/inject', readOnly: true },
            { name: 'health', mountPath: '/tmp' },
          ],
          securityContext: NON_ROOT,
        },
      ],
      volumes: [
        { name: 'health', emptyDir: {} },
        { name: 'config-volume', configMap: { name: T.meshConfigMap } },
        { name: 'certs', secret: { secretName: T.certSecret } },
        { name: 'inject-config', configMap: { name: T.injectConfigMap } },
      ],
    });

    new Service(this, 'service', {
      spec: { name: T.name, type: 'ClusterIP', ports: [{ name: 'https-inject', port: T.servicePort, targetPort: T.port, protocol: 'TCP' }] },
      namespace: ns,
      selector: { istio: T.labels.istio },
      labels,
      kubernetesVersion: v,
    });
    new PodDisruptionBudget(this, 'pdb', { name: T.name, namespace: ns, kubernetesVersion: v, labels, selector: { istio: T.labels.istio }, minAvailable: 1 });

    const apiVersion = apiVersionFor('MutatingWebhookConfiguration', v);
    new ApiObject(this, 'webhook', {
      apiVersion,
      kind: 'MutatingWebhookConfiguration',
      metadata: { name: T.webhook, labels },
      webhooks: [
        {
          name: 'sidecar-injector.istio.io',
          clientConfig: { service: { name: T.name, namespace: ns, path: '/inject' } },
          rules: [{ operations: ['CREATE'], apiGroups: [''], apiVersions: ['v1'], resources: ['pods'] }],
          failurePolicy: 'Fail',
          namespaceSelector: { matchLabels: { [INJECTION_LABEL_KEY]: INJECTION_LABEL_VALUE } },
          sideEffects: 'None',
          ...(apiVersion === 'admissionregistration.k8s.io/v1' ? { admissionReviewVersions: ['v1beta1'] } : {}),
        },
      ],
    });
  }
}
