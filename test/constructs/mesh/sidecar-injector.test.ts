import { SidecarInjector } from '../../../src/constructs/mesh/sidecar-injector';
import { container, find, gkeValues, render, EXPECTED_NON_ROOT } from '../../helpers/mesh-values';

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
    expect(w.sideEffects).toBe('None');
  });

  test.each(['1.13', '1.14', '1.15'])('Kubernetes %s: sideEffects None, no timeoutSeconds (1.13 does not know it), v1beta1', (k) => {
    const w = find(render((c) => new SidecarInjector(c, 'inj', { values: gkeValues({ kubernetesVersion: k }) })), 'MutatingWebhookConfiguration').webhooks[0];
    expect(w.sideEffects).toBe('None');
    expect(w.timeoutSeconds).toBeUndefined();
    expect(w.admissionReviewVersions).toBeUndefined();
  });

  test('two replicas spread over nodes, a PDB keeping one', () => {
    const d = find(objs, 'Deployment');
    expect(d.spec.replicas).toBe(2);
    expect(d.spec.template.spec.affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].podAffinityTerm.topologyKey).toBe('kubernetes.io/hostname');
    expect(find(objs, 'PodDisruptionBudget').spec).toEqual({ minAvailable: 1, selector: { matchLabels: { app: 'sidecarInjectorWebhook', istio: 'sidecar-injector', release: 'istio' } } });
  });

  test('hardened: non-root on 9443, read-only root filesystem (health file in an emptyDir), probes, requests and limits', () => {
    const d = find(objs, 'Deployment');
    const c = container(d, 'sidecar-injector-webhook');
    expect(c.securityContext).toEqual(EXPECTED_NON_ROOT);
    expect(c.args).toEqual(expect.arrayContaining(['--port=9443', '--healthCheckFile=/tmp/health']));
    expect(c.ports).toEqual([{ containerPort: 9443 }]);
    expect(c.livenessProbe.exec.command).toEqual(['/usr/local/bin/sidecar-injector', 'probe', '--probe-path=/tmp/health', '--interval=4s']);
    expect(c.readinessProbe).toEqual(c.livenessProbe);
    expect(c.volumeMounts).toContainEqual({ name: 'health', mountPath: '/tmp' });
    expect(c.resources).toEqual({ requests: { cpu: '10m', memory: '64Mi' }, limits: { cpu: '500m', memory: '512Mi' } });
  });

  test('Service istio-sidecar-injector: 443/TCP only, to the injector on 9443', () => {
    const svc = find(objs, 'Service', 'istio-sidecar-injector');
    expect(svc.spec.type).toBe('ClusterIP');
    expect(svc.spec.ports).toEqual([{ name: 'https-inject', port: 443, targetPort: 9443, protocol: 'TCP' }]);
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
