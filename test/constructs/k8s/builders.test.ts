import { COMPONENTS } from '../../../src/catalog/components';
import {
  ClusterRole,
  ConfigMap,
  DaemonSet,
  Deployment,
  HorizontalPodAutoscaler,
  PodDisruptionBudget,
  Role,
  Service,
  ServiceAccount,
} from '../../../src/constructs/k8s';
import { find, render } from '../../helpers/mesh-values';

const labels = { app: 'x', istio: 'x', release: 'istio' };
const selector = { istio: 'x' };

describe('ServiceAccount', () => {
  test('renders a v1 ServiceAccount', () => {
    const objs = render((c) => new ServiceAccount(c, 'sa', { name: 'x-sa', namespace: 'istio-system', labels }));
    expect(objs).toEqual([
      { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'x-sa', namespace: 'istio-system', labels } },
    ]);
  });
});

describe('ClusterRole / Role', () => {
  test('ClusterRole with explicit rules and a binding of the same name', () => {
    const objs = render(
      (c) =>
        new ClusterRole(c, 'r', {
          name: 'istio-x-istio-system',
          rules: [{ apiGroups: [''], resources: ['configmaps'], verbs: ['get'], resourceNames: ['istio'] }],
          serviceAccounts: [{ name: 'x-sa', namespace: 'istio-system' }],
        }),
    );
    const role = find(objs, 'ClusterRole');
    expect(role.apiVersion).toBe('rbac.authorization.k8s.io/v1');
    expect(role.rules).toEqual([{ apiGroups: [''], resources: ['configmaps'], verbs: ['get'], resourceNames: ['istio'] }]);
    const binding = find(objs, 'ClusterRoleBinding');
    expect(binding.metadata.name).toBe('istio-x-istio-system');
    expect(binding.roleRef).toEqual({ apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'istio-x-istio-system' });
    expect(binding.subjects).toEqual([{ kind: 'ServiceAccount', name: 'x-sa', namespace: 'istio-system' }]);
  });

  test('no binding without service accounts; Role is namespaced', () => {
    const objs = render((c) => {
      new ClusterRole(c, 'cr', { name: 'a', rules: [], serviceAccounts: [] });
      new Role(c, 'r', { name: 'b', namespace: 'ns', rules: [{ apiGroups: [''], resources: ['secrets'], verbs: ['get', 'watch', 'list'] }], serviceAccounts: [{ name: 's', namespace: 'ns' }] });
    });
    expect(objs.map((o) => o.kind)).toEqual(['ClusterRole', 'Role', 'RoleBinding']);
    expect(find(objs, 'RoleBinding').metadata.namespace).toBe('ns');
    expect(find(objs, 'RoleBinding').roleRef.kind).toBe('Role');
  });
});

describe('Deployment / DaemonSet', () => {
  const base = {
    name: 'x',
    namespace: 'istio-system',
    kubernetesVersion: '1.13',
    labels,
    selector,
    serviceAccountName: 'x-sa',
    containers: [
      {
        name: 'main',
        image: 'gcr.io/x/y:1',
        args: ['a', 'b'],
        ports: [{ containerPort: 8080 }],
        readinessProbe: { httpGet: { path: '/ready', port: 8080 }, initialDelaySeconds: 5 },
        resources: { requests: { cpu: '10m' } },
      },
    ],
  };

  test('Deployment renders 1.13 fields only, with sidecar injection off', () => {
    const objs = render((c) => new Deployment(c, 'd', { ...base, replicas: 1, antiAffinity: { mode: 'preferred' } }));
    const d = find(objs, 'Deployment');
    expect(d.apiVersion).toBe('apps/v1');
    expect(d.spec.selector).toEqual({ matchLabels: selector });
    expect(d.spec.replicas).toBe(1);
    expect(d.spec.strategy).toEqual({ rollingUpdate: { maxSurge: '100%', maxUnavailable: '25%' } });
    const pod = d.spec.template;
    expect(pod.metadata.labels).toEqual(labels);
    expect(pod.metadata.annotations).toEqual({ 'sidecar.istio.io/inject': 'false' });
    expect(pod.spec.serviceAccountName).toBe('x-sa');
    expect(pod.spec.containers[0]).toEqual({
      name: 'main',
      image: 'gcr.io/x/y:1',
      imagePullPolicy: 'IfNotPresent',
      args: ['a', 'b'],
      ports: [{ containerPort: 8080 }],
      readinessProbe: { httpGet: { path: '/ready', port: 8080 }, initialDelaySeconds: 5 },
      resources: { requests: { cpu: '10m' } },
    });
    expect(pod.spec.affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].podAffinityTerm).toEqual({
      labelSelector: { matchLabels: selector },
      topologyKey: 'kubernetes.io/hostname',
    });
    expect(pod.spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[0].values).toEqual(['amd64', 'ppc64le', 's390x']);
    const text = JSON.stringify(d);
    for (const newer of ['fsGroupChangePolicy', 'setHostnameAsFQDN', 'seccompProfile', 'enableServiceLinks', 'startupProbe']) {
      expect(text).not.toContain(newer);
    }
  });

  test('replicas omitted when an HPA scales; pod labels must include the selector', () => {
    const d = find(render((c) => new Deployment(c, 'd', base)), 'Deployment');
    expect(d.spec.replicas).toBeUndefined();
    expect(() => render((c) => new Deployment(c, 'd', { ...base, labels: { app: 'x' } }))).toThrow(/selector/);
  });

  test('DaemonSet has a rolling update strategy', () => {
    const ds = find(render((c) => new DaemonSet(c, 'ds', { ...base, archAffinity: false })), 'DaemonSet');
    expect(ds.apiVersion).toBe('apps/v1');
    expect(ds.spec.updateStrategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1 } });
    expect(ds.spec.template.spec.affinity).toBeUndefined();
  });
});

describe('Service', () => {
  test('ports exactly from the catalog, NodePorts only when pinned', () => {
    const spec = COMPONENTS.ingressGateway.service!;
    const objs = render(
      (c) =>
        new Service(c, 's', {
          spec,
          namespace: 'istio-system',
          selector: COMPONENTS.ingressGateway.selector,
          nodePorts: { http2: 31380 },
          loadBalancerIP: '192.168.30.60',
        }),
    );
    const s = find(objs, 'Service');
    expect(s.spec.type).toBe('LoadBalancer');
    expect(s.spec.loadBalancerIP).toBe('192.168.30.60');
    expect(s.spec.ports.map((p: any) => p.port)).toEqual([15020, 80, 443, 15029, 15030, 15031, 15032, 15443]);
    expect(s.spec.ports.filter((p: any) => p.nodePort !== undefined)).toEqual([
      { name: 'http2', port: 80, targetPort: 80, protocol: 'TCP', nodePort: 31380 },
    ]);
  });

  test('refuses unknown pinned ports and loadBalancerIP on ClusterIP', () => {
    const spec = COMPONENTS.pilot.service!;
    expect(() => render((c) => new Service(c, 's', { spec, namespace: 'n', selector: {}, nodePorts: { nope: 30000 } }))).toThrow(/no port named/);
    expect(() => render((c) => new Service(c, 's', { spec, namespace: 'n', selector: {}, nodePorts: { 'grpc-xds': 30000 } }))).toThrow(/ClusterIP/);
    expect(() => render((c) => new Service(c, 's', { spec, namespace: 'n', selector: {}, loadBalancerIP: '1.2.3.4' }))).toThrow(/LoadBalancer/);
  });
});

describe('PodDisruptionBudget / HorizontalPodAutoscaler', () => {
  /** The HPA of Deployment x, 1..5 replicas at 80% CPU, on Kubernetes `v`. */
  const renderHpa = (v: string) =>
    find(
      render(
        (c) =>
          new HorizontalPodAutoscaler(c, 'h', {
            name: 'x',
            namespace: 'n',
            kubernetesVersion: v,
            target: { kind: 'Deployment', name: 'x' },
            minReplicas: 1,
            maxReplicas: 5,
            cpuTargetAverageUtilization: 80,
          }),
      ),
      'HorizontalPodAutoscaler',
    );

  test.each([
    ['1.13', 'policy/v1beta1'],
    ['1.15', 'policy/v1beta1'],
    ['1.21', 'policy/v1'],
  ])('PDB on %s is %s', (v, apiVersion) => {
    const pdb = find(render((c) => new PodDisruptionBudget(c, 'p', { name: 'x', namespace: 'n', kubernetesVersion: v, selector })), 'PodDisruptionBudget');
    expect(pdb.apiVersion).toBe(apiVersion);
    expect(pdb.spec).toEqual({ minAvailable: 1, selector: { matchLabels: selector } });
  });

  test('HPA v2beta1 on 1.13-1.15', () => {
    const hpa = renderHpa('1.14');
    expect(hpa.apiVersion).toBe('autoscaling/v2beta1');
    expect(hpa.spec).toEqual({
      minReplicas: 1,
      maxReplicas: 5,
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'x' },
      metrics: [{ type: 'Resource', resource: { name: 'cpu', targetAverageUtilization: 80 } }],
    });
  });

  test('HPA autoscaling/v2 metric shape from 1.23', () => {
    const hpa = renderHpa('1.23');
    expect(hpa.apiVersion).toBe('autoscaling/v2');
    expect(hpa.spec.metrics[0].resource).toEqual({ name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } });
  });
});

describe('ConfigMap', () => {
  test('renders data', () => {
    const cm = find(render((c) => new ConfigMap(c, 'c', { name: 'istio', namespace: 'n', data: { mesh: 'a: 1\n' } })), 'ConfigMap');
    expect(cm).toEqual({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'istio', namespace: 'n' }, data: { mesh: 'a: 1\n' } });
  });
});
