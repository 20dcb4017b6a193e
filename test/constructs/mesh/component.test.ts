import { Construct } from 'constructs';
import { COMPONENTS, type ComponentSpec } from '../../../src/catalog/components';
import { checkAvailability, MeshComponentParts, minimumReplicas } from '../../../src/constructs/mesh/component';
import { find, render } from '../../helpers/mesh-values';

const container = { name: 'x', image: 'x:1' };

/** Renders what `build` adds through the parts of `spec` in a scope of its own. */
function renderParts(spec: ComponentSpec = COMPONENTS.ingressGateway, build: (p: MeshComponentParts) => void = () => undefined) {
  return render((chart) => build(new MeshComponentParts(new Construct(chart, 'component'), spec, '1.15')));
}

describe('MeshComponentParts', () => {
  test('objects from the catalog entry, in the order asked for', () => {
    const objs = renderParts(COMPONENTS.ingressGateway, (p) => {
      p.serviceAccount();
      p.deployment({ containers: [container] });
      p.service();
      p.clusterRole([{ apiGroups: [''], resources: ['pods'], verbs: ['get'] }]);
      p.role('R', { name: 'r', rules: [] });
      p.podDisruptionBudget();
      p.horizontalPodAutoscaler();
    });
    expect(objs.map((o) => `${o.kind} ${o.metadata.name}`)).toEqual([
      'ServiceAccount istio-ingressgateway-service-account',
      'Deployment istio-ingressgateway',
      'Service istio-ingressgateway',
      'ClusterRole istio-ingressgateway-istio-system',
      'ClusterRoleBinding istio-ingressgateway-istio-system',
      'Role r',
      'RoleBinding r',
      'PodDisruptionBudget ingressgateway',
      'HorizontalPodAutoscaler istio-ingressgateway',
    ]);
    const c = COMPONENTS.ingressGateway;
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

  test('replicas, spreading, PDB and HPA come from the catalog; none where it gives none', () => {
    const build = (p: MeshComponentParts) => {
      p.deployment({ containers: [container] });
      p.podDisruptionBudget();
      p.horizontalPodAutoscaler();
    };
    // fixed replicas, spread, budget
    const galley = renderParts(COMPONENTS.galley, build);
    expect(galley.map((o) => o.kind)).toEqual(['Deployment', 'PodDisruptionBudget']);
    const dep = find(galley, 'Deployment');
    expect(dep.spec.replicas).toBe(2);
    expect(dep.spec.template.spec.affinity.podAntiAffinity).toEqual({
      preferredDuringSchedulingIgnoredDuringExecution: [
        { weight: 100, podAffinityTerm: { labelSelector: { matchLabels: COMPONENTS.galley.selector }, topologyKey: 'kubernetes.io/hostname' } },
      ],
    });
    // singleton: no budget, no spreading
    const citadel = renderParts(COMPONENTS.citadel, build);
    expect(citadel.map((o) => o.kind)).toEqual(['Deployment']);
    expect(find(citadel, 'Deployment').spec.replicas).toBe(1);
    expect(find(citadel, 'Deployment').spec.template.spec.affinity.podAntiAffinity).toBeUndefined();
    // HPA: no fixed replicas
    const pilot = renderParts(COMPONENTS.pilot, build);
    expect(pilot.map((o) => o.kind)).toEqual(['Deployment', 'PodDisruptionBudget', 'HorizontalPodAutoscaler']);
    expect(find(pilot, 'Deployment').spec.replicas).toBeUndefined();
    expect(find(pilot, 'HorizontalPodAutoscaler').spec.minReplicas).toBe(2);
  });

  test('resources come from the catalog', () => {
    renderParts(COMPONENTS.galley, (p) => {
      expect(p.resources('galley')).toEqual(COMPONENTS.galley.resources.galley);
      expect(() => p.resources('nope')).toThrow(/no resources/);
    });
  });

  test('an incoherent availability entry is refused', () => {
    const pilot = COMPONENTS.pilot;
    expect(() => checkAvailability({ ...pilot, availability: { replicas: 1, disruptionBudget: { minAvailable: 1 } } })).toThrow(/block every node drain/);
    expect(() => checkAvailability({ ...pilot, availability: { replicas: 2, autoscale: { minReplicas: 2, maxReplicas: 3, cpuTargetAverageUtilization: 80 } } })).toThrow(
      /exactly one/,
    );
    expect(() => checkAvailability({ ...pilot, availability: {} })).toThrow(/exactly one/);
    expect(() => new MeshComponentParts(new Construct(undefined as any, 'x'), { ...pilot, availability: { replicas: 1, disruptionBudget: { minAvailable: 1 } } }, '1.15')).toThrow(
      /block every node drain/,
    );
    expect(minimumReplicas({ replicas: 3 })).toBe(3);
  });

  test('the workload kind is the catalog one', () => {
    expect(() => renderParts(COMPONENTS.nodeAgent, (p) => p.deployment({ containers: [container] }))).toThrow(/DaemonSet, not a Deployment/);
    expect(() => renderParts(COMPONENTS.pilot, (p) => p.daemonSet({ containers: [container] }))).toThrow(/Deployment, not a DaemonSet/);
  });

  test('no Service without one in the catalog', () => {
    expect(() => renderParts(COMPONENTS.nodeAgent, (p) => p.service())).toThrow(/no Service/);
  });
});
