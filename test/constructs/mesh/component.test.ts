import { Construct } from 'constructs';
import { COMPONENTS } from '../../../src/catalog/components';
import { MeshComponentParts } from '../../../src/constructs/mesh/component';
import { find, render } from '../../helpers/mesh-values';

const container = { name: 'x', image: 'x:1' };

/** Renders what `build` adds through the parts of `spec` in a scope of its own. */
function renderParts(spec = COMPONENTS.egressGateway, build: (p: MeshComponentParts) => void = () => undefined) {
  return render((chart) => build(new MeshComponentParts(new Construct(chart, 'component'), spec, '1.15')));
}

describe('MeshComponentParts', () => {
  test('objects from the catalog entry, in the order asked for', () => {
    const objs = renderParts(COMPONENTS.egressGateway, (p) => {
      p.serviceAccount();
      p.deployment({ containers: [container] });
      p.service();
      p.clusterRole([{ apiGroups: [''], resources: ['pods'], verbs: ['get'] }]);
      p.role('R', { name: 'r', rules: [] });
      p.podDisruptionBudget();
      p.horizontalPodAutoscaler({ minReplicas: 1, maxReplicas: 2, cpuTargetAverageUtilization: 80 });
    });
    expect(objs.map((o) => `${o.kind} ${o.metadata.name}`)).toEqual([
      'ServiceAccount istio-egressgateway-service-account',
      'Deployment istio-egressgateway',
      'Service istio-egressgateway',
      'ClusterRole istio-egressgateway-istio-system',
      'ClusterRoleBinding istio-egressgateway-istio-system',
      'Role r',
      'RoleBinding r',
      'PodDisruptionBudget istio-egressgateway',
      'HorizontalPodAutoscaler istio-egressgateway',
    ]);
    const c = COMPONENTS.egressGateway;
    for (const o of objs) expect(o.metadata.labels).toEqual(c.labels);
    const dep = find(objs, 'Deployment');
    expect(dep.metadata.namespace).toBe('istio-system');
    expect(dep.spec.selector.matchLabels).toEqual(c.selector);
    expect(dep.spec.template.spec.serviceAccountName).toBe(c.serviceAccount);
    expect(find(objs, 'Service').spec.selector).toEqual(c.selector);
    expect(find(objs, 'PodDisruptionBudget').spec).toEqual({ minAvailable: 1, selector: { matchLabels: c.labels } });
    expect(find(objs, 'HorizontalPodAutoscaler').spec.scaleTargetRef.name).toBe(c.workloadName);
    expect(find(objs, 'ClusterRoleBinding').subjects).toEqual([{ kind: 'ServiceAccount', name: c.serviceAccount, namespace: 'istio-system' }]);
  });

  test('PDB name and selector can be given', () => {
    const c = COMPONENTS.citadel;
    const pdb = find(renderParts(c, (p) => p.podDisruptionBudget({ name: 'p', selector: c.selector })), 'PodDisruptionBudget');
    expect(pdb.metadata.name).toBe('p');
    expect(pdb.spec.selector.matchLabels).toEqual(c.selector);
  });

  test('the workload kind is the catalog one', () => {
    expect(() => renderParts(COMPONENTS.nodeAgent, (p) => p.deployment({ containers: [container] }))).toThrow(/DaemonSet, not a Deployment/);
    expect(() => renderParts(COMPONENTS.pilot, (p) => p.daemonSet({ containers: [container] }))).toThrow(/Deployment, not a DaemonSet/);
  });

  test('no Service without one in the catalog', () => {
    expect(() => renderParts(COMPONENTS.nodeAgent, (p) => p.service())).toThrow(/no Service/);
  });
});
