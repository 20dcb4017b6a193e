import { ISTIO_CRDS } from '../../../src/catalog/crds';
import { IstioCrds } from '../../../src/constructs/mesh/crds';
import { render } from '../../helpers/mesh-values';

/** SPEC section 5 (slide 22): group -> kinds; cluster-scoped ones marked. */
const EXPECTED: [string, string, string, string, 'Namespaced' | 'Cluster'][] = [
  ['authentication.istio.io', 'MeshPolicy', 'meshpolicies', 'v1alpha1', 'Cluster'],
  ['authentication.istio.io', 'Policy', 'policies', 'v1alpha1', 'Namespaced'],
  ['config.istio.io', 'adapter', 'adapters', 'v1alpha2', 'Namespaced'],
  ['config.istio.io', 'attributemanifest', 'attributemanifests', 'v1alpha2', 'Namespaced'],
  ['config.istio.io', 'handler', 'handlers', 'v1alpha2', 'Namespaced'],
  ['config.istio.io', 'HTTPAPISpecBinding', 'httpapispecbindings', 'v1alpha2', 'Namespaced'],
  ['config.istio.io', 'HTTPAPISpec', 'httpapispecs', 'v1alpha2', 'Namespaced'],
  ['config.istio.io', 'instance', 'instances', 'v1alpha2', 'Namespaced'],
  ['config.istio.io', 'QuotaSpecBinding', 'quotaspecbindings', 'v1alpha2', 'Namespaced'],
  ['config.istio.io', 'QuotaSpec', 'quotaspecs', 'v1alpha2', 'Namespaced'],
  ['config.istio.io', 'rule', 'rules', 'v1alpha2', 'Namespaced'],
  ['config.istio.io', 'template', 'templates', 'v1alpha2', 'Namespaced'],
  ['networking.istio.io', 'DestinationRule', 'destinationrules', 'v1alpha3', 'Namespaced'],
  ['networking.istio.io', 'EnvoyFilter', 'envoyfilters', 'v1alpha3', 'Namespaced'],
  ['networking.istio.io', 'Gateway', 'gateways', 'v1alpha3', 'Namespaced'],
  ['networking.istio.io', 'ServiceEntry', 'serviceentries', 'v1alpha3', 'Namespaced'],
  ['networking.istio.io', 'Sidecar', 'sidecars', 'v1alpha3', 'Namespaced'],
  ['networking.istio.io', 'VirtualService', 'virtualservices', 'v1alpha3', 'Namespaced'],
  ['rbac.istio.io', 'ClusterRbacConfig', 'clusterrbacconfigs', 'v1alpha1', 'Cluster'],
  ['rbac.istio.io', 'RbacConfig', 'rbacconfigs', 'v1alpha1', 'Namespaced'],
  ['rbac.istio.io', 'ServiceRoleBinding', 'servicerolebindings', 'v1alpha1', 'Namespaced'],
  ['rbac.istio.io', 'ServiceRole', 'serviceroles', 'v1alpha1', 'Namespaced'],
  ['security.istio.io', 'AuthorizationPolicy', 'authorizationpolicies', 'v1beta1', 'Namespaced'],
];

describe('Istio CRDs', () => {
  test('catalog holds the 23 kinds of SPEC section 5', () => {
    expect(ISTIO_CRDS).toHaveLength(23);
    expect(ISTIO_CRDS.map((c) => [c.group, c.kind, c.plural, c.versions[0], c.scope])).toEqual(EXPECTED);
  });

  test.each(['1.13', '1.14', '1.15'])('apiextensions v1beta1 on %s, one CRD per kind', (v) => {
    const objs = render((c) => new IstioCrds(c, 'crds', { kubernetesVersion: v }));
    expect(objs).toHaveLength(23);
    for (const [group, kind, plural, version, scope] of EXPECTED) {
      const crd = objs.find((o) => o.metadata.name === `${plural}.${group}`)!;
      expect(crd.apiVersion).toBe('apiextensions.k8s.io/v1beta1');
      expect(crd.kind).toBe('CustomResourceDefinition');
      expect(crd.spec.group).toBe(group);
      expect(crd.spec.names.kind).toBe(kind);
      expect(crd.spec.names.plural).toBe(plural);
      expect(crd.spec.names.singular).toBe(kind.toLowerCase());
      expect(crd.spec.scope).toBe(scope);
      expect(crd.spec.versions).toEqual([{ name: version, served: true, storage: true }]);
      expect(crd.spec.names.categories).toContain('istio-io');
    }
  });

  test('short names and printer columns as Istio 1.4', () => {
    const objs = render((c) => new IstioCrds(c, 'crds', { kubernetesVersion: '1.14' }));
    const byName = (n: string) => objs.find((o) => o.metadata.name === n)!;
    expect(byName('virtualservices.networking.istio.io').spec.names.shortNames).toEqual(['vs']);
    expect(byName('destinationrules.networking.istio.io').spec.names.shortNames).toEqual(['dr']);
    expect(byName('gateways.networking.istio.io').spec.names.shortNames).toEqual(['gw']);
    expect(byName('serviceentries.networking.istio.io').spec.names.shortNames).toEqual(['se']);
    expect(byName('destinationrules.networking.istio.io').spec.additionalPrinterColumns[0]).toMatchObject({ name: 'Host', JSONPath: '.spec.host' });
  });

  test('apiextensions v1 with structural schema from 1.16', () => {
    const objs = render((c) => new IstioCrds(c, 'crds', { kubernetesVersion: '1.16' }));
    expect(objs[0].apiVersion).toBe('apiextensions.k8s.io/v1');
    expect(objs[0].spec.versions[0].schema.openAPIV3Schema['x-kubernetes-preserve-unknown-fields']).toBe(true);
  });
});
