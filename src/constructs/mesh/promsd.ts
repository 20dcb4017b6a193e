import { Construct } from 'constructs';
import { stringifyYaml } from '../../util/yaml';
import { component, ISTIO_NAMESPACE, PROMSD_IMAGES, servicePort } from '../../catalog/components';
import { ConfigMap, type Container, type Deployment, type Service, type ServiceAccount } from '../k8s';
import { PROXY } from '../../catalog/proxy';
import { GSA_ANNOTATION, PROMSD_GOOGLE_IDENTITY, serviceAccountEmail } from '../../catalog/google-identities';
import { MeshComponentParts } from './component';
import { NON_ROOT } from './security-context';
import type { MeshValues } from './values';

export interface PromsdProps {
  /** Mesh values: platform, telemetry.metrics and (GKE) gcpMetadata for the Stackdriver sidecar. */
  readonly values: MeshValues;
}

/** Prometheus data directory, shared with the Stackdriver sidecar (which tails its WAL). */
const DATA_DIR = '/data';
const CONFIG_DIR = '/etc/prometheus';
/** How long promsd keeps samples (Istio 1.4's Prometheus retention). */
export const PROMSD_RETENTION = '6h';
export const PROMSD_SCRAPE_INTERVAL = '15s';

/** Whether promsd forwards to Stackdriver: GKE with Stackdriver metrics; never on-prem (SPEC section 7). */
export function forwardsToStackdriver(values: MeshValues): boolean {
  return values.platform === 'gke' && values.telemetry.metrics === 'stackdriver';
}

/** The GSA promsd's Kubernetes service account acts as, when promsd calls Google (GKE with Stackdriver metrics). */
export function promsdGoogleServiceAccount(values: MeshValues): string | undefined {
  if (!forwardsToStackdriver(values) || !values.gcpMetadata) return undefined;
  return serviceAccountEmail(PROMSD_GOOGLE_IDENTITY.accountId, parseGcpMetadata(values.gcpMetadata).projectId);
}

/** Project, cluster and location from `GCP_METADATA` (`PROJECT_ID|PROJECT_NUMBER|CLUSTER|LOCATION`). */
export function parseGcpMetadata(gcpMetadata: string): { projectId: string; projectNumber: string; cluster: string; location: string } {
  const parts = gcpMetadata.split('|');
  if (parts.length !== 4 || parts.some((p) => p === '')) {
    throw new Error(`GCP_METADATA must be PROJECT_ID|PROJECT_NUMBER|CLUSTER|LOCATION, got '${gcpMetadata}'`);
  }
  const [projectId, projectNumber, cluster, location] = parts;
  return { projectId, projectNumber, cluster, location };
}

/** The Prometheus configuration: pilot's monitoring endpoint and every proxy's Envoy stats. */
export function promsdConfig(): string {
  const config = {
    global: { scrape_interval: PROMSD_SCRAPE_INTERVAL },
    scrape_configs: [
      {
        job_name: 'pilot',
        kubernetes_sd_configs: [{ role: 'endpoints', namespaces: { names: [ISTIO_NAMESPACE] } }],
        relabel_configs: [
          {
            source_labels: ['__meta_kubernetes_service_name', '__meta_kubernetes_endpoint_port_name'],
            action: 'keep',
            regex: `${component('pilot').service!.name};${servicePort('pilot', 'http-monitoring').name}`,
          },
        ],
      },
      {
        // sidecars and gateways: the `*-envoy-prom` container port (15090) at /stats/prometheus
        job_name: 'envoy-stats',
        metrics_path: PROXY.prometheusPath,
        kubernetes_sd_configs: [{ role: 'pod' }],
        relabel_configs: [
          { source_labels: ['__meta_kubernetes_pod_container_port_name'], action: 'keep', regex: '.*-envoy-prom' },
          {
            source_labels: ['__address__'],
            action: 'replace',
            regex: '([^:]+)(?::\\d+)?',
            replacement: `$1:${PROXY.prometheusPort}`,
            target_label: '__address__',
          },
          { action: 'labelmap', regex: '__meta_kubernetes_pod_label_(.+)' },
          { source_labels: ['__meta_kubernetes_namespace'], action: 'replace', target_label: 'namespace' },
          { source_labels: ['__meta_kubernetes_pod_name'], action: 'replace', target_label: 'pod_name' },
        ],
      },
    ],
  };
  return stringifyYaml(config);
}

/**
 * promsd (SPEC section 5): the mesh's internal Prometheus, renamed so it is not
 * mistaken for a user's. It scrapes pilot and the proxies; on GKE with Stackdriver
 * metrics a `stackdriver-prometheus-sidecar` container forwards the samples to
 * Stackdriver. On-prem (or with Prometheus metrics) it is Prometheus alone.
 */
export class Promsd extends Construct {
  readonly deployment: Deployment;
  readonly service: Service;
  readonly configMap: ConfigMap;
  readonly serviceAccount: ServiceAccount;

  constructor(scope: Construct, id: string, props: PromsdProps) {
    super(scope, id);
    const v = props.values;
    const c = component('promsd');
    const web = c.service!.ports[0];
    const parts = new MeshComponentParts(this, c, v.kubernetesVersion);

    // Under Workload Identity the Stackdriver sidecar calls Google as this service
    // account: it acts as the project's promsd GSA (the gke profile renders the GSA and
    // its bindings; gke-istioctl's INSTALL.md has the gcloud equivalents).
    const gsa = promsdGoogleServiceAccount(v);
    this.serviceAccount = parts.serviceAccount(gsa ? { [GSA_ANNOTATION]: gsa } : undefined);

    this.configMap = new ConfigMap(this, 'Config', {
      name: c.workloadName,
      namespace: ISTIO_NAMESPACE,
      labels: c.labels,
      data: { 'prometheus.yml': promsdConfig() },
    });

    const prometheus: Container = {
      name: 'prometheus',
      image: PROMSD_IMAGES.prometheus,
      args: [
        `--storage.tsdb.retention=${PROMSD_RETENTION}`,
        `--storage.tsdb.path=${DATA_DIR}`,
        `--config.file=${CONFIG_DIR}/prometheus.yml`,
      ],
      ports: [{ containerPort: web.targetPort, name: web.name, protocol: 'TCP' }],
      livenessProbe: { httpGet: { path: '/-/healthy', port: web.targetPort } },
      readinessProbe: { httpGet: { path: '/-/ready', port: web.targetPort } },
      resources: parts.resources('prometheus'),
      volumeMounts: [
        { name: 'config-volume', mountPath: CONFIG_DIR },
        { name: 'data', mountPath: DATA_DIR },
      ],
      // it writes only its TSDB, in the `data` emptyDir
      securityContext: NON_ROOT,
    };
    const containers: Container[] = [prometheus];

    if (forwardsToStackdriver(v)) {
      if (!v.gcpMetadata) throw new Error('Promsd: values.gcpMetadata is required to forward metrics to Stackdriver');
      const gcp = parseGcpMetadata(v.gcpMetadata);
      containers.push({
        name: 'stackdriver-prometheus-sidecar',
        image: PROMSD_IMAGES.stackdriverSidecar,
        args: [
          `--stackdriver.project-id=${gcp.projectId}`,
          `--stackdriver.kubernetes.location=${gcp.location}`,
          `--stackdriver.kubernetes.cluster-name=${gcp.cluster}`,
          `--prometheus.wal-directory=${DATA_DIR}/wal`,
          `--prometheus.api-address=http://127.0.0.1:${web.targetPort}/`,
        ],
        resources: parts.resources('stackdriver-prometheus-sidecar'),
        volumeMounts: [{ name: 'data', mountPath: DATA_DIR }],
        // the same UID as Prometheus, whose WAL it reads
        securityContext: NON_ROOT,
      });
    }

    this.deployment = parts.deployment({
      containers,
      volumes: [
        { name: 'config-volume', configMap: { name: this.configMap.name } },
        { name: 'data', emptyDir: {} },
      ],
    });

    this.service = parts.service();

    // Prometheus' Kubernetes service discovery: the `endpoints` role (endpoints, their
    // services and pods) and the `pod` role; no `node` role, so no nodes.
    parts.clusterRole([{ apiGroups: [''], resources: ['services', 'endpoints', 'pods'], verbs: ['get', 'list', 'watch'] }]);
  }
}
