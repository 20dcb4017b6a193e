import { parse } from 'yaml';
import { Galley } from '../../../src/constructs/mesh/galley';
import { container, find, gkeValues, render } from '../../helpers/mesh-values';

describe('Galley', () => {
  const objs = render((c) => new Galley(c, 'galley', { values: gkeValues({ kubernetesVersion: '1.13' }) }));

  test('Service istio-galley with exactly the seed ports', () => {
    const svc = find(objs, 'Service', 'istio-galley');
    expect(svc.spec.type).toBe('ClusterIP');
    expect(svc.spec.ports.map((p: any) => [p.port, p.protocol])).toEqual([
      [443, 'TCP'],
      [15014, 'TCP'],
      [9901, 'TCP'],
      [15019, 'TCP'],
    ]);
    expect(svc.spec.ports[0].targetPort).toBe(9443);
  });

  test('galley server args, probes, ports', () => {
    const galley = container(find(objs, 'Deployment', 'istio-galley'), 'galley');
    expect(galley.image).toBe('gcr.io/gke-release/asm/galley:1.4.6-asm.0');
    expect(galley.command.slice(0, 3)).toEqual(['/usr/local/bin/galley', 'server', '--meshConfigFile=/etc/mesh-config/mesh']);
    expect(galley.command).toEqual(expect.arrayContaining(['--livenessProbePath=/tmp/healthliveness', '--validation-port=9443', '--monitoringPort=15014']));
    expect(galley.ports.map((p: any) => p.containerPort)).toEqual([9443, 15014, 9901]);
    expect(galley.livenessProbe.exec.command).toEqual(['/usr/local/bin/galley', 'probe', '--probe-path=/tmp/healthliveness', '--interval=10s']);
    const proxy = container(find(objs, 'Deployment'), 'istio-proxy');
    expect(proxy.ports).toEqual([{ containerPort: 15019 }]);
  });

  test('ValidatingWebhookConfiguration istio-galley (v1beta1), same as galley reconciles from its file', () => {
    const vwc = find(objs, 'ValidatingWebhookConfiguration', 'istio-galley');
    expect(vwc.apiVersion).toBe('admissionregistration.k8s.io/v1beta1');
    expect(vwc.webhooks.map((w: any) => [w.name, w.clientConfig.service])).toEqual([
      ['pilot.validation.istio.io', { name: 'istio-galley', namespace: 'istio-system', path: '/admitpilot' }],
      ['mixer.validation.istio.io', { name: 'istio-galley', namespace: 'istio-system', path: '/admitmixer' }],
    ]);
    expect(vwc.webhooks.every((w: any) => w.failurePolicy === 'Fail')).toBe(true);
    const file = parse(find(objs, 'ConfigMap', 'istio-galley-configuration').data['validatingwebhookconfiguration.yaml']);
    expect(file).toEqual(vwc);
  });

  test('ClusterRole may manage only validating webhooks among admission objects', () => {
    const role = find(objs, 'ClusterRole', 'istio-galley-istio-system');
    const admission = role.rules.filter((r: any) => r.apiGroups.includes('admissionregistration.k8s.io'));
    expect(admission).toEqual([{ apiGroups: ['admissionregistration.k8s.io'], resources: ['validatingwebhookconfigurations'], verbs: ['*'] }]);
    expect(find(objs, 'PodDisruptionBudget').apiVersion).toBe('policy/v1beta1');
  });
});
