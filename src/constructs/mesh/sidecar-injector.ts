import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { apiVersionFor } from '../../catalog/api-versions';
import { COMPONENTS, ISTIO_NAMESPACE, servicePort } from '../../catalog/components';
import { imageRef } from '../../catalog/release';
import { INJECTOR_CERTS_SECRET_NAME } from '../security/webhook-cert-secret';
import { MeshComponentParts } from './component';
import { INJECTOR_CONFIG_MAP, MESH_CONFIG_MAP } from './mesh-config';
import { NON_ROOT } from './security-context';
import type { MeshValues } from './values';

/** Name of the injector's MutatingWebhookConfiguration. */
export const INJECTOR_WEBHOOK = 'istio-sidecar-injector';
/** The namespace label that turns injection on (SPEC section 5). */
export const INJECTION_LABEL = { 'istio-injection': 'enabled' } as const;

/** The injector writes its health file here (`--healthCheckFile`): an emptyDir, as the root filesystem is read-only. */
const HEALTH_DIR = '/tmp';

/**
 * The injector's MutatingWebhookConfiguration: pod CREATE in namespaces labelled
 * `istio-injection: enabled`. No caBundle: the injector patches it in
 * (`--reconcileWebhookConfig=true`). `sideEffects: None` on every version
 * (admissionregistration v1beta1 has it since Kubernetes 1.12); no `timeoutSeconds`,
 * which 1.13 does not know (the API server's default of 30s applies, 10s on v1).
 */
export function injectorWebhookConfiguration(kubernetesVersion: string): Record<string, unknown> {
  const apiVersion = apiVersionFor('MutatingWebhookConfiguration', kubernetesVersion);
  const v1 = apiVersion === 'admissionregistration.k8s.io/v1';
  return {
    apiVersion,
    kind: 'MutatingWebhookConfiguration',
    metadata: { name: INJECTOR_WEBHOOK, labels: { ...COMPONENTS.sidecarInjector.labels } },
    webhooks: [
      {
        name: 'sidecar-injector.istio.io',
        clientConfig: { service: { name: COMPONENTS.sidecarInjector.service!.name, namespace: ISTIO_NAMESPACE, path: '/inject' } },
        rules: [{ operations: ['CREATE'], apiGroups: [''], apiVersions: ['v1'], resources: ['pods'] }],
        failurePolicy: 'Fail',
        namespaceSelector: { matchLabels: { ...INJECTION_LABEL } },
        sideEffects: 'None',
        ...(v1 ? { admissionReviewVersions: ['v1beta1'] } : {}),
      },
    ],
  };
}

export interface SidecarInjectorProps {
  readonly values: MeshValues;
}

/**
 * The sidecar injector (istio-sidecar-injector): a webhook that adds `istio-init`
 * and `istio-proxy` to pods of labelled namespaces, from the template in the
 * `istio-sidecar-injector` ConfigMap (see `SidecarInjectorConfig`).
 */
export class SidecarInjector extends Construct {
  static readonly spec = COMPONENTS.sidecarInjector;

  constructor(scope: Construct, id: string, props: SidecarInjectorProps) {
    super(scope, id);
    const { values } = props;
    const c = COMPONENTS.sidecarInjector;
    const v = values.kubernetesVersion;
    const parts = new MeshComponentParts(this, c, v);

    parts.serviceAccount();
    parts.clusterRole([
      { apiGroups: [''], resources: ['configmaps'], verbs: ['get', 'list', 'watch'] },
      { apiGroups: ['admissionregistration.k8s.io'], resources: ['mutatingwebhookconfigurations'], verbs: ['get', 'list', 'watch', 'patch'] },
    ]);

    const webhookPort = servicePort('sidecarInjector', 'https-inject').targetPort;
    const healthFile = `${HEALTH_DIR}/health`;
    const probe = {
      exec: { command: ['/usr/local/bin/sidecar-injector', 'probe', `--probe-path=${healthFile}`, '--interval=4s'] },
      initialDelaySeconds: 4,
      periodSeconds: 4,
    };
    parts.deployment({
      containers: [
        {
          name: 'sidecar-injector-webhook',
          image: imageRef(values.release, 'sidecarInjector', values.hub, values.tag),
          args: [
            '--caCertFile=/etc/istio/certs/root-cert.pem',
            '--tlsCertFile=/etc/istio/certs/cert-chain.pem',
            '--tlsKeyFile=/etc/istio/certs/key.pem',
            '--injectConfig=/etc/istio/inject/config',
            '--meshConfig=/etc/istio/config/mesh',
            '--healthCheckInterval=2s',
            `--healthCheckFile=${healthFile}`,
            '--reconcileWebhookConfig=true',
            // not Istio 1.4's 443: a non-root process cannot bind it (the Service maps 443 here)
            `--port=${webhookPort}`,
          ],
          ports: [{ containerPort: webhookPort }],
          livenessProbe: probe,
          readinessProbe: probe,
          resources: parts.resources('sidecar-injector-webhook'),
          volumeMounts: [
            { name: 'config-volume', mountPath: '/etc/istio/config', readOnly: true },
            { name: 'certs', mountPath: '/etc/istio/certs', readOnly: true },
            { name: 'inject-config', mountPath: '/etc/istio/inject', readOnly: true },
            { name: 'health', mountPath: HEALTH_DIR },
          ],
          securityContext: NON_ROOT,
        },
      ],
      volumes: [
        { name: 'health', emptyDir: {} },
        { name: 'config-volume', configMap: { name: MESH_CONFIG_MAP } },
        // Citadel's istio.<service account> Secret on-prem; rendered by asmpkg into secrets/ on GKE.
        { name: 'certs', secret: { secretName: INJECTOR_CERTS_SECRET_NAME } },
        {
          name: 'inject-config',
          configMap: {
            name: INJECTOR_CONFIG_MAP,
            items: [
              { key: 'config', path: 'config' },
              { key: 'values', path: 'values' },
            ],
          },
        },
      ],
    });

    parts.service();
    parts.podDisruptionBudget();
    new ApiObject(this, 'Webhook', injectorWebhookConfiguration(v) as { apiVersion: string; kind: string });
  }
}
