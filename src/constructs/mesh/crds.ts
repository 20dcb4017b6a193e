import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { apiVersionFor } from '../../catalog/api-versions';
import { crdName, ISTIO_CRDS, type IstioCrdSpec } from '../../catalog/crds';
import { ISTIO_RELEASE_LABEL } from '../../catalog/components';

export interface IstioCrdsProps {
  /** Kubernetes `MAJOR.MINOR`: apiextensions v1beta1 on 1.13–1.15, v1 from 1.16. */
  readonly kubernetesVersion: string;
}

/** `spec.names`, the same in both apiextensions versions. */
function crdNames(c: IstioCrdSpec) {
  return {
    kind: c.kind,
    listKind: c.listKind ?? `${c.kind}List`,
    plural: c.plural,
    singular: c.singular,
    categories: [...c.categories],
    shortNames: c.shortNames ? [...c.shortNames] : undefined,
  };
}

function v1beta1Spec(c: IstioCrdSpec) {
  return {
    group: c.group,
    names: crdNames(c),
    scope: c.scope,
    subresources: { status: {} },
    additionalPrinterColumns: c.printerColumns?.map((p) => ({ JSONPath: p.jsonPath, description: p.description, name: p.name, type: p.type })),
    versions: c.versions.map((name, i) => ({ name, served: true, storage: i === 0 })),
  };
}

function v1Spec(c: IstioCrdSpec) {
  return {
    group: c.group,
    names: crdNames(c),
    scope: c.scope,
    versions: c.versions.map((name, i) => ({
      name,
      served: true,
      storage: i === 0,
      subresources: { status: {} },
      additionalPrinterColumns: c.printerColumns?.map((p) => ({ jsonPath: p.jsonPath, description: p.description, name: p.name, type: p.type })),
      schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } },
    })),
  };
}

/** The CustomResourceDefinitions of Istio's 23 kinds (applied and established before anything else). */
export class IstioCrds extends Construct {
  constructor(scope: Construct, id: string, props: IstioCrdsProps) {
    super(scope, id);
    const apiVersion = apiVersionFor('CustomResourceDefinition', props.kubernetesVersion);
    for (const c of ISTIO_CRDS) {
      new ApiObject(this, crdName(c), {
        apiVersion,
        kind: 'CustomResourceDefinition',
        metadata: { name: crdName(c), labels: { release: ISTIO_RELEASE_LABEL } },
        spec: apiVersion === 'apiextensions.k8s.io/v1beta1' ? v1beta1Spec(c) : v1Spec(c),
      });
    }
  }
}
