/**
 * The package is self-consistent: Services select pods of the package and their named
 * target ports exist; pods run as ServiceAccounts of the package; bindings name roles
 * of the package (or built-in ones); webhooks call Services of the package; volumes
 * and env refer to ConfigMaps/Secrets of the package (including the Secrets its
 * secrets/ directory supplies), known external secrets, or are optional.
 */
import { SECRETS_RENDERED_APART } from '../../src/certs/secret-files';
import {
  checkBindings,
  checkConfigReferences,
  checkConsistency,
  checkServiceAccounts,
  checkServices,
  checkWebhooks,
  type PackageContext,
} from '../helpers/consistency';
import { renderInCluster, renderMeshEdge, VALIDATION_CASES, type PackagedObject } from '../helpers/in-cluster';

const objs = (xs: PackagedObject[]) => xs.map((x) => x.obj);

describe.each(VALIDATION_CASES)('in-cluster package (%s)', (_label, values) => {
  let objects: PackagedObject['obj'][];
  // What the CLI renders into secrets/ for this platform, as src declares it.
  const context: PackageContext = { suppliedSecrets: SECRETS_RENDERED_APART[values.platform] };
  beforeAll(() => {
    objects = objs(renderInCluster(values));
  });

  test('Services select pods of the package; named targetPorts exist on them', () => {
    expect(checkServices(objects)).toEqual([]);
  });

  test('pods run as ServiceAccounts of the package', () => {
    expect(checkServiceAccounts(objects)).toEqual([]);
  });

  test('bindings name roles and ServiceAccounts of the package (or built-in roles)', () => {
    expect(checkBindings(objects)).toEqual([]);
  });

  test('webhooks call Services of the package', () => {
    expect(checkWebhooks(objects)).toEqual([]);
  });

  test('ConfigMaps and Secrets pods use are in the package, supplied by its secrets/, known external, or optional', () => {
    expect(checkConfigReferences(objects, context)).toEqual([]);
  });

  test('all cross-resource checks (incl. workload/PDB selectors and HPA targets)', () => {
    expect(checkConsistency(objects, context)).toEqual([]);
  });

  test('every Secret secrets/ supplies is one a pod of the package uses', () => {
    const used = new Set(
      objects.flatMap((o) => (o.spec?.template?.spec?.volumes ?? []).filter((v: any) => v.secret).map((v: any) => `${o.metadata.namespace}/${v.secret.secretName}`)),
    );
    for (const s of context.suppliedSecrets ?? []) expect([s.name, used.has(`${s.namespace}/${s.name}`)]).toEqual([s.name, true]);
  });

  test('the mesh edge constructs are consistent on their own', () => {
    expect(checkConsistency(objs(renderMeshEdge(values)))).toEqual([]);
  });
});

describe('the checks catch broken packages', () => {
  const ns = 'istio-system';
  const deployment = (labels: Record<string, string>, podSpec: Record<string, unknown>) => ({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'd', namespace: ns },
    spec: { selector: { matchLabels: labels }, template: { metadata: { labels }, spec: podSpec } },
  });

  test('a Service selecting nothing, and a named targetPort no container has', () => {
    const objects = [
      deployment({ app: 'a' }, { containers: [{ name: 'c', image: 'i', ports: [{ containerPort: 80, name: 'http' }] }] }),
      { apiVersion: 'v1', kind: 'Service', metadata: { name: 's1', namespace: ns }, spec: { selector: { app: 'b' }, ports: [{ port: 80 }] } },
      {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: 's2', namespace: ns },
        spec: { selector: { app: 'a' }, ports: [{ name: 'web', port: 80, targetPort: 'web' }] },
      },
    ];
    expect(checkServices(objects as any)).toEqual([
      'Service/istio-system/s1: selector {"app":"b"} matches no pod template in the package',
      "Service/istio-system/s2: port web: targetPort 'web' is no container port of the selected pods",
    ]);
  });

  test('a missing ServiceAccount, Role, ClusterRole and webhook Service', () => {
    const objects = [
      deployment({ app: 'a' }, { serviceAccountName: 'ghost', containers: [{ name: 'c', image: 'i' }] }),
      {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'ClusterRoleBinding',
        metadata: { name: 'b' },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'nope' },
        subjects: [{ kind: 'ServiceAccount', name: 'ghost', namespace: ns }],
      },
      {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'ClusterRoleBinding',
        metadata: { name: 'ok' },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'cluster-admin' },
        subjects: [{ kind: 'User', name: 'me@example.com' }],
      },
      {
        apiVersion: 'admissionregistration.k8s.io/v1beta1',
        kind: 'MutatingWebhookConfiguration',
        metadata: { name: 'w' },
        webhooks: [{ name: 'x.istio.io', clientConfig: { service: { name: 'missing', namespace: ns } } }],
      },
    ];
    expect(checkServiceAccounts(objects as any)).toEqual(['Deployment/istio-system/d: runs as ServiceAccount ghost, which is not in the package']);
    expect(checkBindings(objects as any)).toEqual([
      'ClusterRoleBinding/b: ClusterRole nope is neither in the package nor built in',
      'ClusterRoleBinding/b: subject ServiceAccount istio-system/ghost is not in the package',
    ]);
    expect(checkWebhooks(objects as any)).toEqual([
      'MutatingWebhookConfiguration/w: webhook x.istio.io calls Service istio-system/missing, which is not in the package',
    ]);
  });

  test('secrets: cacerts and istio.* only with Citadel; anything else must be optional', () => {
    const pod = {
      containers: [{ name: 'c', image: 'i' }],
      volumes: [
        { name: 'a', secret: { secretName: 'cacerts' } },
        { name: 'b', secret: { secretName: 'istio.sa' } },
        { name: 'c', secret: { secretName: 'other', optional: true } },
        { name: 'd', configMap: { name: 'cm' } },
      ],
    };
    expect(checkConfigReferences([deployment({ app: 'a' }, pod)] as any)).toEqual([
      'Deployment/istio-system/d: volume a refers to Secret cacerts, which is not in the package and not optional',
      'Deployment/istio-system/d: volume b refers to Secret istio.sa, which is not in the package and not optional',
      'Deployment/istio-system/d: volume d refers to ConfigMap cm, which is not in the package and not optional',
    ]);
    const citadel = { ...deployment({ istio: 'citadel' }, { containers: [] }), metadata: { name: 'istio-citadel', namespace: ns } };
    expect(checkConfigReferences([deployment({ app: 'a' }, pod), citadel] as any)).toEqual([
      'Deployment/istio-system/d: volume d refers to ConfigMap cm, which is not in the package and not optional',
    ]);
  });

  test('secrets: one supplied by secrets/ counts as present, in its own namespace only', () => {
    const pod = { containers: [{ name: 'c', image: 'i' }], volumes: [{ name: 'a', secret: { secretName: 'istio.sa' } }] };
    const objects = [deployment({ app: 'a' }, pod)] as any;
    expect(checkConfigReferences(objects, { suppliedSecrets: [{ name: 'istio.sa', namespace: ns }] })).toEqual([]);
    expect(checkConsistency(objects, { suppliedSecrets: [{ name: 'istio.sa', namespace: ns }] })).toEqual([]);
    expect(checkConfigReferences(objects, { suppliedSecrets: [{ name: 'istio.sa', namespace: 'other' }] })).toEqual([
      'Deployment/istio-system/d: volume a refers to Secret istio.sa, which is not in the package and not optional',
    ]);
  });
});
