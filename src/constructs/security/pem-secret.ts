import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';

export interface PemSecretProps {
  readonly name: string;
  readonly namespace: string;
  /** Secret type: `Opaque`, or Citadel's `istio.io/key-and-cert`. */
  readonly type: string;
  /** File name → PEM text. */
  readonly files: Readonly<Record<string, string>>;
  readonly annotations?: Readonly<Record<string, string>>;
  readonly labels?: Readonly<Record<string, string>>;
}

/**
 * A Secret of PEM files, as Istio's components mount them. Keys are sorted so the same
 * files always render the same bytes; it holds key material, so it is rendered only
 * into a package's `secrets/` directory.
 */
export function pemSecret(scope: Construct, id: string, props: PemSecretProps): ApiObject {
  const data: Record<string, string> = {};
  for (const file of Object.keys(props.files).sort()) data[file] = Buffer.from(props.files[file], 'utf8').toString('base64');
  const nonEmpty = (m?: Readonly<Record<string, string>>) => (m && Object.keys(m).length > 0 ? { ...m } : undefined);
  const annotations = nonEmpty(props.annotations);
  const labels = nonEmpty(props.labels);
  return new ApiObject(scope, id, {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: props.name, namespace: props.namespace, ...(annotations ? { annotations } : {}), ...(labels ? { labels } : {}) },
    type: props.type,
    data,
  });
}
