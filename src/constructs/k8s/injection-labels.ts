import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';

/** The namespace label sidecar injectors select on (Istio, the add-on, td-sidecar-injector). */
export const INJECTION_LABEL_KEY = 'istio-injection';
export const INJECTION_LABEL_VALUE = 'enabled';

/**
 * Annotations that keep GitOps engines from deleting a namespace they did not create
 * when the file leaves the repository: Flux's kustomize-controller does not prune it,
 * Argo CD does not delete it.
 */
export const NEVER_DELETE: Readonly<Record<string, string>> = {
  'kustomize.toolkit.fluxcd.io/prune': 'disabled',
  'argocd.argoproj.io/sync-options': 'Delete=false',
};

export interface InjectionLabelsProps {
  /** Application namespaces to label; asmpkg does not own them. */
  readonly namespaces: readonly string[];
}

/**
 * Labels application namespaces `istio-injection=enabled` without owning them. Each is
 * a Namespace object with nothing but its name, the label and {@link NEVER_DELETE}:
 * `kubectl apply` creates a missing namespace and, on an existing one, only adds the
 * label (client-side apply merges labels and keeps the others, having no earlier
 * applied configuration to remove them by). What is unsafe is deleting: `kubectl delete
 * -f` of the file would delete the namespaces and every workload in them, so INSTALL.md
 * removes the label with `kubectl label ... istio-injection-` instead, and the file lives
 * in its own directory, apart from the components a `delete -f in-cluster/` removes.
 */
export class InjectionLabels extends Construct {
  constructor(scope: Construct, id: string, props: InjectionLabelsProps) {
    super(scope, id);
    for (const name of [...new Set(props.namespaces)]) {
      new ApiObject(this, name, {
        apiVersion: 'v1',
        kind: 'Namespace',
        metadata: { name, labels: { [INJECTION_LABEL_KEY]: INJECTION_LABEL_VALUE }, annotations: { ...NEVER_DELETE } },
      });
    }
  }
}
