import { SidecarInjector } from '../../../src/constructs/mesh/sidecar-injector';
import { container, find, gkeValues, render } from '../../helpers/mesh-values';

describe('SidecarInjector', () => {
  const objs = render((c) => new SidecarInjector(c, 'inj', { values: gkeValues() }));

  test('MutatingWebhookConfiguration selects namespaces labelled istio-injection=enabled', () => {
    const mwc = find(objs, 'MutatingWebhookConfiguration', 'istio-sidecar-injector');
    expect(mwc.apiVersion).toBe('admissionregistration.k8s.io/v1beta1');
    expect(mwc.webhooks).toHaveLength(1);
    const w = mwc.webhooks[0];
    expect(w.name).toBe('sidecar-injector.istio.io');
    expect(w.namespaceSelector).toEqual({ matchLabels: { 'istio-injection': 'enabled' } });
    expect(w.clientConfig.service).toEqual({ name: 'istio-sidecar-injector', namespace: 'istio-system', path: '/inject' });
    expect(w.rules).toEqual([{ operations: ['CREATE'], apiGroups: [''], apiVersions: ['v1'], resources: ['pods'] }]);
  });

  test('Service istio-sidecar-injector: 443/TCP only', () => {
    const svc = find(objs, 'Service', 'istio-sidecar-injector');
    expect(svc.spec.type).toBe('ClusterIP');
    expect(svc.spec.ports).toEqual([{ name: 'https-inject', port: 443, targetPort: 443, protocol: 'TCP' }]);
  });

  test('injector reads the template ConfigMap and the mesh config', () => {
    const d = find(objs, 'Deployment', 'istio-sidecar-injector');
    const c = container(d, 'sidecar-injector-webhook');
    expect(c.image).toBe('gcr.io/gke-release/asm/sidecar_injector:1.4.6-asm.0');
    expect(c.args).toEqual(expect.arrayContaining(['--injectConfig=/etc/istio/inject/config', '--meshConfig=/etc/istio/config/mesh']));
    const inject = d.spec.template.spec.volumes.find((v: any) => v.name === 'inject-config');
    expect(inject.configMap.name).toBe('istio-sidecar-injector');
    const role = find(objs, 'ClusterRole');
    expect(role.rules).toContainEqual({ apiGroups: ['admissionregistration.k8s.io'], resources: ['mutatingwebhookconfigurations'], verbs: ['get', 'list', 'watch', 'patch'] });
  });

  test('v1 webhook from Kubernetes 1.16', () => {
    const mwc = find(render((c) => new SidecarInjector(c, 'inj', { values: gkeValues({ kubernetesVersion: '1.16' }) })), 'MutatingWebhookConfiguration');
    expect(mwc.apiVersion).toBe('admissionregistration.k8s.io/v1');
    expect(mwc.webhooks[0].sideEffects).toBe('None');
  });
});
