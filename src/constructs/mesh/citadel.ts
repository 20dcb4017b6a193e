import { Construct } from 'constructs';
import { component, ISTIO_NAMESPACE, servicePort } from '../../catalog/components';
import { imageRef } from '../../catalog/release';
import type { Deployment, Probe, Service, ServiceAccount } from '../k8s';
import { CACERTS_SECRET_NAME } from '../security/cacerts-secret';
import { MeshComponentParts } from './component';
import { NON_ROOT } from './security-context';
import type { MeshValues } from './values';

export interface CitadelProps {
  /** Mesh values (on-prem): release images and trust domain. */
  readonly values: MeshValues;
}

/** Where Citadel mounts the plugged-in CA, secret `cacerts` (SPEC section 8). */
export const CACERTS_MOUNT_PATH = '/etc/cacerts';

/** Lifetime of the workload certificates Citadel issues (Istio 1.4 default). */
export const WORKLOAD_CERT_TTL = '2160h';

/**
 * Citadel, `istio-citadel` (on-prem, where there is no Mesh CA): signs workload
 * certificates with the CA key the user plugs in as secret `cacerts` and writes them
 * as `istio.<service account>` secrets that proxies mount.
 */
export class Citadel extends Construct {
  readonly deployment: Deployment;
  readonly service: Service;
  readonly serviceAccount: ServiceAccount;

  constructor(scope: Construct, id: string, props: CitadelProps) {
    super(scope, id);
    const v = props.values;
    if (v.platform !== 'onprem') throw new Error('Citadel: Citadel runs on-prem only; GKE uses Mesh CA through the node agent');
    const c = component('citadel');
    const grpc = servicePort('citadel', 'grpc-citadel');
    const monitoring = servicePort('citadel', 'http-monitoring');
    const parts = new MeshComponentParts(this, c, v.kubernetesVersion);

    this.serviceAccount = parts.serviceAccount();

    // Istio 1.4's only health check of Citadel: its monitoring port answers /version
    const health: Probe = { httpGet: { path: '/version', port: monitoring.targetPort }, initialDelaySeconds: 5, periodSeconds: 5 };
    this.deployment = parts.deployment({
      containers: [
        {
          name: 'citadel',
          image: imageRef(v.release, 'citadel', v.hub, v.tag),
          args: [
            '--append-dns-names=true',
            `--grpc-port=${grpc.targetPort}`,
            `--citadel-storage-namespace=${ISTIO_NAMESPACE}`,
            `--custom-dns-names=istio-pilot-service-account.${ISTIO_NAMESPACE}:istio-pilot.${ISTIO_NAMESPACE}`,
            `--monitoring-port=${monitoring.targetPort}`,
            '--self-signed-ca=false',
            `--signing-cert=${CACERTS_MOUNT_PATH}/ca-cert.pem`,
            `--signing-key=${CACERTS_MOUNT_PATH}/ca-key.pem`,
            `--root-cert=${CACERTS_MOUNT_PATH}/root-cert.pem`,
            `--cert-chain=${CACERTS_MOUNT_PATH}/cert-chain.pem`,
            `--trust-domain=${v.trustDomain}`,
            `--workload-cert-ttl=${WORKLOAD_CERT_TTL}`,
          ],
          env: [{ name: 'CITADEL_ENABLE_NAMESPACES_BY_DEFAULT', value: 'true' }],
          ports: [
            { containerPort: grpc.targetPort, name: grpc.name, protocol: 'TCP' },
            { containerPort: monitoring.targetPort, name: monitoring.name, protocol: 'TCP' },
          ],
          livenessProbe: health,
          readinessProbe: health,
          resources: parts.resources('citadel'),
          volumeMounts: [{ name: 'cacerts', mountPath: CACERTS_MOUNT_PATH, readOnly: true }],
          securityContext: NON_ROOT,
        },
      ],
      // Not optional (Istio 1.4 marked it optional): without the plugged-in CA the pod
      // waits with "secret cacerts not found" instead of crash-looping.
      volumes: [{ name: 'cacerts', secret: { secretName: CACERTS_SECRET_NAME } }],
    });

    this.service = parts.service();

    parts.clusterRole([
      // the CA root certificate is published in the istio-security ConfigMap
      { apiGroups: [''], resources: ['configmaps'], verbs: ['create', 'get', 'update'] },
      // istio.<service account> secrets in every namespace
      { apiGroups: [''], resources: ['secrets'], verbs: ['create', 'get', 'watch', 'list', 'update', 'delete'] },
      { apiGroups: [''], resources: ['serviceaccounts', 'services', 'namespaces'], verbs: ['get', 'watch', 'list'] },
      { apiGroups: ['authentication.k8s.io'], resources: ['tokenreviews'], verbs: ['create'] },
    ]);

    // from the catalog: none for the single Citadel (it would block every node drain)
    parts.podDisruptionBudget();
  }
}
