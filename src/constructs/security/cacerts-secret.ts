import type { ApiObject } from 'cdk8s';
import { ISTIO_NAMESPACE } from '../../catalog/components';
import { pemSecret } from './pem-secret';
import { Construct } from 'constructs';
import { CA_FILE_NAMES, CaFiles } from '../../certs/types';

/** Name Citadel looks up; it reads the plugged-in CA from this Secret only. */
export const CACERTS_SECRET_NAME = 'cacerts';

/** Properties for `CacertsSecret`. */
export interface CacertsSecretProps {
  /**
   * The CA Citadel signs workload certificates with: PEM text of `ca-cert.pem`,
   * `ca-key.pem`, `root-cert.pem` and `cert-chain.pem`, which become the Secret's keys.
   */
  readonly ca: CaFiles;

  /**
   * Namespace Citadel runs in.
   * @default 'istio-system'
   */
  readonly namespace?: string;

  /**
   * Labels of the Secret.
   * @default - none
   */
  readonly labels?: Readonly<Record<string, string>>;
}

/**
 * The `cacerts` Secret that plugs a user-provided CA into Citadel (GKE on-prem).
 * Values are base64 `data`, as `kubectl create secret generic --from-file` writes
 * them, so the manifest round-trips through `kubectl get -o yaml` unchanged.
 *
 * Holds the CA's private key: render it only into a package's `secrets/` directory.
 */
export class CacertsSecret extends Construct {
  /** The Secret's name, always `cacerts`. */
  readonly name = CACERTS_SECRET_NAME;
  /** The namespace the Secret is created in. */
  readonly namespace: string;
  /** The underlying Kubernetes object. */
  readonly apiObject: ApiObject;

  constructor(scope: Construct, id: string, props: CacertsSecretProps) {
    super(scope, id);
    this.namespace = props.namespace ?? ISTIO_NAMESPACE;
    this.apiObject = pemSecret(this, 'Resource', {
      name: this.name,
      namespace: this.namespace,
      type: 'Opaque',
      files: Object.fromEntries(CA_FILE_NAMES.map((f) => [f, props.ca[f]])),
      labels: props.labels,
    });
  }
}
