import type { ApiObject } from 'cdk8s';
import { pemSecret } from './pem-secret';
import { Construct } from 'constructs';
import { COMPONENTS, ISTIO_NAMESPACE } from '../../catalog/components';
import { INJECTOR_CERT_FILE_NAMES, InjectorCerts } from '../../certs/types';

/** Service account the sidecar injector runs as. */
const INJECTOR_SERVICE_ACCOUNT = COMPONENTS.sidecarInjector.serviceAccount;

/**
 * Name of the Secret the sidecar injector mounts its serving certificate from: the
 * `istio.<service account>` Secret Citadel would create for it.
 */
export const INJECTOR_CERTS_SECRET_NAME = `istio.${INJECTOR_SERVICE_ACCOUNT}`;

/** Type Citadel gives the `istio.*` Secrets it manages (security/pkg/k8s/controller). */
export const ISTIO_KEY_AND_CERT_SECRET_TYPE = 'istio.io/key-and-cert';

/** Annotation Citadel puts on those Secrets, naming the service account. */
const SERVICE_ACCOUNT_ANNOTATION = 'istio.io/service-account.name';

/** Properties for `SidecarInjectorCertsSecret`. */
export interface SidecarInjectorCertsSecretProps {
  /** The injector's `root-cert.pem`, `cert-chain.pem` and `key.pem`, which become the Secret's keys. */
  readonly certs: InjectorCerts;

  /**
   * Labels of the Secret.
   * @default - none
   */
  readonly labels?: Readonly<Record<string, string>>;
}

/**
 * The Secret `istio.istio-sidecar-injector-service-account` in istio-system, on
 * clusters without Citadel (GKE), written the way Citadel writes it: type
 * `istio.io/key-and-cert`, the service-account annotation, and the keys the injector
 * reads (`--caCertFile`, `--tlsCertFile`, `--tlsKeyFile` under /etc/istio/certs).
 * Values are base64 `data`.
 *
 * Holds the serving certificate's private key: render it only into a package's
 * `secrets/` directory.
 */
export class SidecarInjectorCertsSecret extends Construct {
  /** The Secret's name. */
  readonly name = INJECTOR_CERTS_SECRET_NAME;
  /** The namespace the Secret is created in (the injector's). */
  readonly namespace = ISTIO_NAMESPACE;
  /** The underlying Kubernetes object. */
  readonly apiObject: ApiObject;

  constructor(scope: Construct, id: string, props: SidecarInjectorCertsSecretProps) {
    super(scope, id);
    this.apiObject = pemSecret(this, 'Resource', {
      name: this.name,
      namespace: this.namespace,
      type: ISTIO_KEY_AND_CERT_SECRET_TYPE,
      files: Object.fromEntries(INJECTOR_CERT_FILE_NAMES.map((f) => [f, props.certs[f]])),
      annotations: { [SERVICE_ACCOUNT_ANNOTATION]: INJECTOR_SERVICE_ACCOUNT },
      labels: props.labels,
    });
  }
}
