import { API_VERSIONS, apiVersionFor, kubernetesMinor } from '../../src/catalog/api-versions';

describe('capabilities table', () => {
  test.each(['1.13', '1.14', '1.15'])('Kubernetes %s gets the SPEC section 6 versions', (v) => {
    expect(apiVersionFor('PodDisruptionBudget', v)).toBe('policy/v1beta1');
    expect(apiVersionFor('HorizontalPodAutoscaler', v)).toBe('autoscaling/v2beta1');
    expect(apiVersionFor('MutatingWebhookConfiguration', v)).toBe('admissionregistration.k8s.io/v1beta1');
    expect(apiVersionFor('ValidatingWebhookConfiguration', v)).toBe('admissionregistration.k8s.io/v1beta1');
    expect(apiVersionFor('CustomResourceDefinition', v)).toBe('apiextensions.k8s.io/v1beta1');
    expect(apiVersionFor('Deployment', v)).toBe('apps/v1');
    expect(apiVersionFor('DaemonSet', v)).toBe('apps/v1');
    expect(apiVersionFor('ClusterRole', v)).toBe('rbac.authorization.k8s.io/v1');
    expect(apiVersionFor('ClusterRoleBinding', v)).toBe('rbac.authorization.k8s.io/v1');
    expect(apiVersionFor('Role', v)).toBe('rbac.authorization.k8s.io/v1');
  });

  test('GA versions from the releases that made them GA', () => {
    expect(apiVersionFor('PodDisruptionBudget', '1.20')).toBe('policy/v1beta1');
    expect(apiVersionFor('PodDisruptionBudget', '1.21')).toBe('policy/v1');
    expect(apiVersionFor('HorizontalPodAutoscaler', '1.22')).toBe('autoscaling/v2beta1');
    expect(apiVersionFor('HorizontalPodAutoscaler', '1.23')).toBe('autoscaling/v2');
    expect(apiVersionFor('MutatingWebhookConfiguration', '1.16')).toBe('admissionregistration.k8s.io/v1');
    expect(apiVersionFor('CustomResourceDefinition', '1.16')).toBe('apiextensions.k8s.io/v1');
  });

  test('never a beta version after Kubernetes removed it', () => {
    const removed: Record<string, number> = {
      'policy/v1beta1': 25,
      'autoscaling/v2beta1': 25,
      'admissionregistration.k8s.io/v1beta1': 22,
      'apiextensions.k8s.io/v1beta1': 22,
    };
    for (const kind of Object.keys(API_VERSIONS) as (keyof typeof API_VERSIONS)[]) {
      for (let minor = 13; minor <= 30; minor++) {
        const v = apiVersionFor(kind, `1.${minor}`);
        if (removed[v] !== undefined) expect(minor).toBeLessThan(removed[v]);
      }
    }
  });

  test('steps are in ascending order', () => {
    for (const steps of Object.values(API_VERSIONS)) {
      const since = steps.map((s) => s.since);
      expect([...since].sort((a, b) => a - b)).toEqual(since);
    }
  });

  test('parses versions and refuses garbage', () => {
    expect(kubernetesMinor('1.14')).toBe(14);
    expect(kubernetesMinor('v1.15.4')).toBe(15);
    expect(kubernetesMinor('1.13.11-gke.14')).toBe(13);
    expect(() => kubernetesMinor('latest')).toThrow(/not a Kubernetes/);
    expect(() => apiVersionFor('Deployment', '2.0')).toThrow();
  });
});
