import type { ApiObject } from 'cdk8s';
import { pemSecret } from './pem-secret';
import { Construct } from 'constructs';
import { COMPONENTS, ISTIO_NAMESPACE } from '../../catalog/components';
import { INJECTOR_CERT_FILE_NAMES, ServingCerts } from '../../certs/types';
import type { ServingComponent } from '../../certs/webhook';
import { TD_INJECTOR, TD_INJECTOR_CERT_KEYS } from '../../catalog/traffic-director';

/**
 * Name of the Secret a component mounts its serving certificate from: the
 * `istio.<service account>` Secret Citadel would create for it (service account from
 * the catalog).
 */
export function servingCertsSecretName(component: ServingComponent): string {
  // td-sidecar-injector reads its own Secret, not a Citadel-style one.
  return component === 'tdSidecarInjector' ? TD_INJECTOR.certSecret : `istio.${COMPONENTS[component].serviceAccount}`;
}

/** Name of the Secret the sidecar injector mounts its serving certificate from. */
export const INJECTOR_CERTS_SECRET_NAME = servingCertsSecretName('sidecarInjector');

/** Name of the Secret galley mounts its webhook serving certificate from (`/etc/certs`). */
export const GALLEY_CERTS_SECRET_NAME = servingCertsSecretName('galley');

/** Type Citadel gives the `istio.*` Secrets it manages (security/pkg/k8s/controller). */
export const ISTIO_KEY_AND_CERT_SECRET_TYPE = 'istio.io/key-and-cert';

/** Annotation Citadel puts on those Secrets, naming the service account. */
const SERVICE_ACCOUNT_ANNOTATION = 'istio.io/service-account.name';

/** Properties for `ServingCertsSecret`. */
export interface ServingCertsSecretProps {
  /** The component whose Secret it is (its service account names it). */
  readonly component: ServingComponent;
  /** The `root-cert.pem`, `cert-chain.pem` and `key.pem`, which become the Secret's keys. */
  readonly certs: ServingCerts;

  /**
   * Labels of the Secret.
   * @default - none
   */
  readonly labels?: Readonly<Record<string, string>>;
}

/** Properties for `SidecarInjectorCertsSecret`. */
export type SidecarInjectorCertsSecretProps = Omit<ServingCertsSecretProps, 'component'>;

/**
 * The Secret `istio.<service account>` of a component (the sidecar injector, galley) in
 * istio-system, on clusters without Citadel (GKE), written the way Citadel writes it:
 * type `istio.io/key-and-cert`, the service-account annotation, and the keys the
 * component reads (the injector's `--caCertFile`, `--tlsCertFile`, `--tlsKeyFile` under
 * /etc/istio/certs; galley's /etc/certs). Values are base64 `data`.
 *
 * Holds the serving certificate's private key: render it only into a package's
 * `secrets/` directory.
 */
export class ServingCertsSecret extends Construct {
  /** The Secret's name. */
  readonly name: string;
  /** The namespace the Secret is created in (the component's). */
  readonly namespace: string;
  /** The underlying Kubernetes object. */
  readonly apiObject: ApiObject;

  constructor(scope: Construct, id: string, props: ServingCertsSecretProps) {
    super(scope, id);
    this.name = servingCertsSecretName(props.component);
    const component = props.component;
    if (component === 'tdSidecarInjector') {
      // td-sidecar-injector's keys (SPEC section 14): key.pem, cert.pem, ca-cert.pem.
      this.namespace = TD_INJECTOR.namespace;
      this.apiObject = pemSecret(this, 'Resource', {
        name: this.name,
        namespace: this.namespace,
        type: 'Opaque',
        files: {
          [TD_INJECTOR_CERT_KEYS.key]: props.certs['key.pem'],
          [TD_INJECTOR_CERT_KEYS.cert]: props.certs['cert-chain.pem'],
          [TD_INJECTOR_CERT_KEYS.ca]: props.certs['root-cert.pem'],
        },
        labels: props.labels,
      });
      return;
    }
    this.namespace = ISTIO_NAMESPACE;
    this.apiObject = pemSecret(this, 'Resource', {
      name: this.name,
      namespace: this.namespace,
      type: ISTIO_KEY_AND_CERT_SECRET_TYPE,
      files: Object.fromEntries(INJECTOR_CERT_FILE_NAMES.map((f) => [f, props.certs[f]])),
      annotations: { [SERVICE_ACCOUNT_ANNOTATION]: COMPONENTS[component].serviceAccount },
      labels: props.labels,
    });
  }
}

/** The sidecar injector's `istio.istio-sidecar-injector-service-account` Secret (see {@link ServingCertsSecret}). */
export class SidecarInjectorCertsSecret extends ServingCertsSecret {
  constructor(scope: Construct, id: string, props: SidecarInjectorCertsSecretProps) {
    super(scope, id, { ...props, component: 'sidecarInjector' });
  }
}
