/**
 * Every in-cluster resource of every variant validates against the REAL Kubernetes
 * 1.13 OpenAPI document, unknown fields rejected (what `kubectl apply --validate`
 * does on the oldest cluster release 1.4.6-asm.0 supports). Istio custom resources
 * are checked against the CRDs the package installs.
 */
import { parse as parseYaml } from 'yaml';
import { renderInCluster, renderMeshEdge, VALIDATION_CASES, type PackagedObject } from '../helpers/in-cluster';
import { describeObject, KubernetesSchema, kubernetes113, type K8sObject } from '../helpers/k8s-schema';

let schema: KubernetesSchema;
beforeAll(() => {
  schema = kubernetes113();
});

/** Group/version/kind served by the CustomResourceDefinitions among `objects`. */
function crdKinds(objects: readonly PackagedObject[]): Set<string> {
  const kinds = new Set<string>();
  for (const { obj } of objects) {
    if (obj.kind !== 'CustomResourceDefinition') continue;
    const spec = obj.spec ?? {};
    const versions: string[] = [
      ...(spec.version ? [spec.version] : []),
      ...((spec.versions ?? []) as { name: string; served?: boolean }[]).filter((v) => v.served !== false).map((v) => v.name),
    ];
    for (const v of versions) kinds.add(`${spec.group}/${v} ${spec.names?.kind}`);
  }
  return kinds;
}

function isIstioCustomResource(o: K8sObject): boolean {
  return /^[a-z.]+\.istio\.io\//.test(o.apiVersion);
}

describe('the schema harness itself', () => {
  const base = { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'sa', namespace: 'ns' } };

  test('accepts a valid object', () => {
    expect(schema.validate(base)).toEqual([]);
  });

  test('rejects unknown fields with their JSON path and the resource name', () => {
    const problems = schema.validate({ ...base, metadata: { ...base.metadata, bogus: 1 } });
    expect(problems).toEqual(['v1 ServiceAccount/ns/sa: /metadata/bogus: unknown field "bogus"']);
  });

  test('rejects fields newer than 1.13 (pod setHostnameAsFQDN, container seccompProfile)', () => {
    const dep = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'd', namespace: 'ns' },
      spec: {
        selector: { matchLabels: { a: 'b' } },
        template: {
          metadata: { labels: { a: 'b' } },
          spec: {
            setHostnameAsFQDN: true,
            containers: [{ name: 'c', image: 'i', securityContext: { seccompProfile: { type: 'RuntimeDefault' } } }],
          },
        },
      },
    };
    const problems = schema.validate(dep).join('\n');
    expect(problems).toContain('/spec/template/spec/setHostnameAsFQDN: unknown field');
    expect(problems).toContain('/spec/template/spec/containers/0/securityContext/seccompProfile: unknown field');
  });

  test('accepts int-or-string both ways, rejects wrong types', () => {
    const svc = (targetPort: unknown) => ({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 's', namespace: 'ns' },
      spec: { ports: [{ port: 80, targetPort }] },
    });
    expect(schema.validate(svc(8080))).toEqual([]);
    expect(schema.validate(svc('http'))).toEqual([]);
    expect(schema.validate(svc(true)).join()).toContain('/spec/ports/0/targetPort');
  });

  test('apiVersions 1.13 does not serve fail', () => {
    expect(schema.validate({ apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'p' } })[0]).toMatch(
      /not served/,
    );
    expect(schema.serves('autoscaling/v2', 'HorizontalPodAutoscaler')).toBe(false);
    expect(schema.serves('admissionregistration.k8s.io/v1', 'MutatingWebhookConfiguration')).toBe(false);
    expect(schema.serves('apiextensions.k8s.io/v1', 'CustomResourceDefinition')).toBe(false);
    expect(schema.serves('policy/v1beta1', 'PodDisruptionBudget')).toBe(true);
    expect(schema.serves('autoscaling/v2beta1', 'HorizontalPodAutoscaler')).toBe(true);
  });
});

describe.each(VALIDATION_CASES)('in-cluster package (%s)', (_label, values) => {
  let objects: PackagedObject[];
  beforeAll(() => {
    objects = renderInCluster(values);
  });

  test('renders resources', () => {
    expect(objects.length).toBeGreaterThan(10);
  });

  test('every core resource validates against the Kubernetes 1.13 schema (unknown fields rejected)', () => {
    const problems = objects.filter(({ obj }) => !isIstioCustomResource(obj)).flatMap(({ file, obj }) => schema.validate(obj).map((p) => `${file}: ${p}`));
    expect(problems).toEqual([]);
  });

  test("galley's webhook file (it creates the ValidatingWebhookConfiguration from it) validates against the 1.13 schema", () => {
    const cm = objects.find(({ obj }) => obj.kind === 'ConfigMap' && obj.metadata.name === 'istio-galley-configuration');
    expect(cm).toBeDefined();
    const webhook = parseYaml(cm!.obj.data['validatingwebhookconfiguration.yaml']) as K8sObject;
    expect(webhook.kind).toBe('ValidatingWebhookConfiguration');
    expect(schema.validate(webhook)).toEqual([]);
  });

  test('every Istio custom resource is of a kind the rendered CRDs define', () => {
    const kinds = crdKinds(objects);
    expect(kinds.size).toBeGreaterThan(0);
    const orphans = objects
      .filter(({ obj }) => isIstioCustomResource(obj))
      .filter(({ obj }) => !kinds.has(`${obj.apiVersion} ${obj.kind}`))
      .map(({ file, obj }) => `${file}: ${describeObject(obj)} has no CRD in the package`);
    expect(orphans).toEqual([]);
  });
});

describe.each(VALIDATION_CASES)('mesh edge constructs alone (%s)', (_label, values) => {
  test('validate against the Kubernetes 1.13 schema', () => {
    const problems = renderMeshEdge(values).flatMap(({ obj }) => schema.validate(obj));
    expect(problems).toEqual([]);
  });
});
