import { parse } from 'yaml';
import { Galley } from '../../../src/constructs/mesh/galley';
import { container, find, gkeValues, render, EXPECTED_NON_ROOT } from '../../helpers/mesh-values';

describe('Galley', () => {
  const objs = render((c) => new Galley(c, 'galley', { values: gkeValues({ kubernetesVersion: '1.13' }) }));

  test('Service istio-galley with exactly the seed ports', () => {
    const svc = find(objs, 'Service', 'istio-galley');
    expect(svc.spec.type).toBe('ClusterIP');
    expect(svc.spec.ports.map((p: any) => [p.port, p.protocol])).toEqual([
      [443, 'TCP'],
      [15014, 'TCP'],
      // no plaintext MCP port: galley binds 9901 to localhost (a deliberate difference to the seed's table)
      [15019, 'TCP'],
    ]);
    expect(svc.spec.ports[0].targetPort).toBe(9443);
  });

  test('galley server args, probes, ports', () => {
    const galley = container(find(objs, 'Deployment', 'istio-galley'), 'galley');
    expect(galley.image).toBe('gcr.io/gke-release/asm/galley:1.4.6-asm.0');
    expect(galley.command.slice(0, 3)).toEqual(['/usr/local/bin/galley', 'server', '--meshConfigFile=/etc/mesh-config/mesh']);
    expect(galley.command).toEqual(expect.arrayContaining(['--livenessProbePath=/tmp/healthliveness', '--validation-port=9443', '--monitoringPort=15014']));
    expect(galley.ports.map((p: any) => p.containerPort)).toEqual([9443, 15014]);
    expect(galley.command).toContain('--server-address=tcp://127.0.0.1:9901');
    expect(galley.livenessProbe.exec.command).toEqual(['/usr/local/bin/galley', 'probe', '--probe-path=/tmp/healthliveness', '--interval=10s']);
    const proxy = container(find(objs, 'Deployment'), 'istio-proxy');
    expect(proxy.ports).toEqual([{ containerPort: 15019 }]);
  });

  test('no ValidatingWebhookConfiguration object: galley creates and reconciles it from its ConfigMap', () => {
    expect(objs.filter((o) => o.kind === 'ValidatingWebhookConfiguration')).toEqual([]);
    const galley = container(find(objs, 'Deployment', 'istio-galley'), 'galley');
    expect(galley.command).toEqual(
      expect.arrayContaining([
        '--enable-validation=true',
        '--enable-reconcileWebhookConfiguration=true',
        '--validation-webhook-config-file',
        '/etc/config/validatingwebhookconfiguration.yaml',
      ]),
    );
    const dep = find(objs, 'Deployment', 'istio-galley');
    expect(dep.spec.template.spec.volumes).toContainEqual({ name: 'config', configMap: { name: 'istio-galley-configuration' } });
    expect(galley.volumeMounts).toContainEqual({ name: 'config', mountPath: '/etc/config', readOnly: true });
  });

  test.each(['1.13', '1.15', '1.16'])('the webhook file (Kubernetes %s): v1beta1 as galley 1.4 reads it, Fail, sideEffects None, no caBundle', (k) => {
    const rendered = render((c) => new Galley(c, 'galley', { values: gkeValues({ kubernetesVersion: k }) }));
    const file = parse(find(rendered, 'ConfigMap', 'istio-galley-configuration').data['validatingwebhookconfiguration.yaml']);
    expect(file.apiVersion).toBe('admissionregistration.k8s.io/v1beta1');
    expect(file.kind).toBe('ValidatingWebhookConfiguration');
    expect(file.metadata.name).toBe('istio-galley');
    expect(file.webhooks.map((w: any) => [w.name, w.clientConfig.service])).toEqual([
      ['pilot.validation.istio.io', { name: 'istio-galley', namespace: 'istio-system', path: '/admitpilot' }],
      ['mixer.validation.istio.io', { name: 'istio-galley', namespace: 'istio-system', path: '/admitmixer' }],
    ]);
    for (const w of file.webhooks) {
      expect(w.failurePolicy).toBe('Fail');
      expect(w.sideEffects).toBe('None');
      expect(w.clientConfig.caBundle).toBeUndefined();
    }
    expect(file.webhooks[0].rules).toContainEqual({
      operations: ['CREATE', 'UPDATE'],
      apiGroups: ['networking.istio.io'],
      apiVersions: ['*'],
      resources: ['destinationrules', 'envoyfilters', 'gateways', 'serviceentries', 'sidecars', 'virtualservices'],
    });
  });

  test('ClusterRole: among admission objects, create webhook configurations and manage only its own', () => {
    const role = find(objs, 'ClusterRole', 'istio-galley-istio-system');
    const admission = role.rules.filter((r: any) => r.apiGroups.includes('admissionregistration.k8s.io'));
    expect(admission).toEqual([
      { apiGroups: ['admissionregistration.k8s.io'], resources: ['validatingwebhookconfigurations'], verbs: ['create'] },
      {
        apiGroups: ['admissionregistration.k8s.io'],
        resources: ['validatingwebhookconfigurations'],
        resourceNames: ['istio-galley'],
        verbs: ['get', 'list', 'watch', 'update'],
      },
    ]);
    // the webhook's owner reference to the namespace needs this
    expect(role.rules).toContainEqual({ apiGroups: [''], resources: ['namespaces/finalizers'], verbs: ['update'] });
  });

  test('two replicas spread over nodes, a PDB keeping one', () => {
    const dep = find(objs, 'Deployment', 'istio-galley');
    expect(dep.spec.replicas).toBe(2);
    expect(dep.spec.template.spec.affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].podAffinityTerm.topologyKey).toBe('kubernetes.io/hostname');
    const pdb = find(objs, 'PodDisruptionBudget');
    expect(pdb.apiVersion).toBe('policy/v1beta1');
    expect(pdb.spec.minAvailable).toBe(1);
  });

  test('hardened: non-root, read-only root filesystem (probe files in an emptyDir), requests and limits', () => {
    const dep = find(objs, 'Deployment', 'istio-galley');
    for (const name of ['galley', 'istio-proxy']) {
      const c = container(dep, name);
      expect(c.securityContext).toEqual(EXPECTED_NON_ROOT);
      expect(Object.keys(c.resources).sort()).toEqual(['limits', 'requests']);
    }
    const galley = container(dep, 'galley');
    expect(galley.resources).toEqual({ requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '1000m', memory: '1024Mi' } });
    expect(galley.volumeMounts).toContainEqual({ name: 'probes', mountPath: '/tmp' });
    expect(dep.spec.template.spec.volumes).toContainEqual({ name: 'probes', emptyDir: {} });
    const proxy = container(dep, 'istio-proxy');
    expect(proxy.args).toEqual(expect.arrayContaining(['--configPath', '/var/lib/istio/proxy']));
    expect(proxy.volumeMounts).toContainEqual({ name: 'istio-envoy', mountPath: '/var/lib/istio/proxy' });
  });

  test('Envoy: mTLS on 15019 to galley plain MCP on 9901', () => {
    const tmpl = parse(find(objs, 'ConfigMap', 'galley-envoy-config').data['envoy.yaml.tmpl']);
    expect(tmpl.static_resources.listeners[0].address.socket_address.port_value).toBe(15019);
    expect(tmpl.static_resources.listeners[0].filter_chains[0].tls_context.require_client_certificate).toBe(true);
    expect(tmpl.static_resources.clusters[0].hosts[0].socket_address).toEqual({ address: '127.0.0.1', port_value: 9901 });
    expect(container(find(objs, 'Deployment'), 'galley').command).toContain('--insecure=true');
  });
});
