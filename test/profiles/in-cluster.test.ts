import { App } from 'cdk8s';
import { ApiObject } from 'cdk8s';
import { COMPONENTS, componentsFor } from '../../src/catalog/components';
import { addInClusterFiles, IN_CLUSTER_FILES } from '../../src/profiles/in-cluster';
import { PackageFile } from '../../src/constructs/package-file';
import { toYamlFile } from '../../src/render/serialize';
import type { MeshValues } from '../../src/constructs/mesh/values';
import { gkeValues, onpremValues, type K8sObject } from '../helpers/mesh-values';

function compose(values: MeshValues, extras?: Parameters<typeof addInClusterFiles>[2]): Map<string, K8sObject[]> {
  const app = new App();
  addInClusterFiles(app, values, extras);
  return new Map(PackageFile.allIn(app).map((f) => [f.filePath, f.toJson() as K8sObject[]]));
}

const kinds = (objs: K8sObject[] = []) => objs.map((o) => `${o.kind}/${o.metadata.name}`);

/** Files whose constructs this composer's owner writes; the others are snapshotted by their owners' tests. */
const CORE_FILES = [IN_CLUSTER_FILES.namespace, IN_CLUSTER_FILES.meshConfig, IN_CLUSTER_FILES.galley, IN_CLUSTER_FILES.pilot, IN_CLUSTER_FILES.sidecarInjector, IN_CLUSTER_FILES.policies];

describe('addInClusterFiles', () => {
  test('GKE layout: CRDs apart, namespace first, policies in their own directory', () => {
    const files = compose(gkeValues());
    const paths = [...files.keys()];
    expect(paths[0]).toBe('crds/istio-crds.yaml');
    const inCluster = paths.filter((p) => p.startsWith('in-cluster/'));
    expect(inCluster[0]).toBe('in-cluster/00-namespace.yaml');
    expect(inCluster.filter((p) => /polic/.test(p))).toEqual([]);
    expect(paths.filter((p) => p.startsWith('policies/'))).toEqual(['policies/policies.yaml']);
    expect([...inCluster].sort()).toEqual(inCluster);
    expect(files.get(IN_CLUSTER_FILES.crds)).toHaveLength(23);
    expect(kinds(files.get(IN_CLUSTER_FILES.namespace))).toEqual(['Namespace/istio-system']);
    expect(kinds(files.get(IN_CLUSTER_FILES.meshConfig))).toEqual(['ConfigMap/istio', 'ConfigMap/istio-sidecar-injector']);
    expect(kinds(files.get(IN_CLUSTER_FILES.policies))).toEqual(['MeshPolicy/default']);
    expect(files.has(IN_CLUSTER_FILES.egressGateway)).toBe(false);
    expect(files.has(IN_CLUSTER_FILES.citadel)).toBe(false);
  });

  test('every in-cluster namespaced object is in istio-system; all names unique per kind', () => {
    for (const values of [gkeValues(), onpremValues({ egressGateway: true })]) {
      const all = [...compose(values).entries()].filter(([p]) => p.startsWith('in-cluster/')).flatMap(([, o]) => o);
      const clusterScoped = new Set(['Namespace', 'ClusterRole', 'ClusterRoleBinding', 'MutatingWebhookConfiguration', 'ValidatingWebhookConfiguration', 'MeshPolicy']);
      for (const o of all) {
        if (!clusterScoped.has(o.kind)) expect(`${o.kind}/${o.metadata.name}:${o.metadata.namespace}`).toBe(`${o.kind}/${o.metadata.name}:istio-system`);
      }
      const ids = kinds(all);
      expect(new Set(ids).size).toBe(ids.length);
    }
  });

  test('Services of the SPEC port table are all rendered (gke and onprem)', () => {
    const services = (values: MeshValues) =>
      [...compose(values).values()].flat().filter((o) => o.kind === 'Service').map((s) => s.metadata.name);
    expect(services(gkeValues())).toEqual(expect.arrayContaining(['istio-galley', 'istio-ingressgateway', 'istio-pilot', 'istio-sidecar-injector']));
    expect(services(onpremValues())).toEqual(expect.arrayContaining(['istio-galley', 'istio-ingressgateway', 'istio-pilot', 'istio-sidecar-injector']));
  });

  test('egress gateway only when asked for', () => {
    expect(kinds(compose(gkeValues({ egressGateway: true })).get(IN_CLUSTER_FILES.egressGateway))).toContain('Deployment/istio-egressgateway');
  });

  test('policy hook adds resources to the policies file; STRICT mesh policy from values', () => {
    const files = compose(gkeValues({ mtls: 'STRICT' }), {
      policies: (scope) => new ApiObject(scope, 'extra', { apiVersion: 'authentication.istio.io/v1alpha1', kind: 'Policy', metadata: { name: 'default', namespace: 'bookinfo' } }),
    });
    const policies = files.get(IN_CLUSTER_FILES.policies)!;
    expect(kinds(policies)).toEqual(['MeshPolicy/default', 'Policy/default']);
    expect(policies[0].spec).toEqual({ peers: [{ mtls: {} }] });
  });

  test('one file per component the catalog lists for the platform', () => {
    for (const values of [gkeValues(), gkeValues({ egressGateway: true }), onpremValues(), onpremValues({ egressGateway: true })]) {
      const files = compose(values);
      const expected = componentsFor(values.platform, { egressGateway: values.egressGateway }).map((c) => IN_CLUSTER_FILES[c.id]);
      const componentFiles = Object.entries(IN_CLUSTER_FILES)
        .filter(([key]) => key in COMPONENTS)
        .map(([, path]) => path)
        .filter((path) => files.has(path));
      expect(componentFiles.sort()).toEqual([...expected].sort());
    }
  });

  test('the CRD file tells how to wait for the CRDs as INSTALL.md does', () => {
    const app = new App();
    const files = addInClusterFiles(app, gkeValues());
    const crds = files.find((f) => f.filePath === IN_CLUSTER_FILES.crds)!;
    expect(crds.header).toContain('kubectl wait --for condition=established --timeout=120s -f crds/');
  });

  test('the whole in-cluster package: galley makes its own webhook; replicas, budgets and HPAs per the catalog', () => {
    for (const values of [gkeValues({ egressGateway: true }), onpremValues({ kubernetesVersion: '1.13', egressGateway: true })]) {
      const all = [...compose(values).values()].flat();
      // a first `kubectl apply -f in-cluster/` meets no webhook that is not serving yet
      expect(all.filter((o) => o.kind === 'ValidatingWebhookConfiguration')).toEqual([]);
      const summary = Object.fromEntries(
        all
          .filter((o) => o.kind === 'Deployment')
          .map((d) => {
            const pdb = all.find((o) => o.kind === 'PodDisruptionBudget' && Object.entries(o.spec.selector.matchLabels).every(([k, v]) => d.spec.template.metadata.labels[k] === v));
            const hpa = all.find((o) => o.kind === 'HorizontalPodAutoscaler' && o.spec.scaleTargetRef.name === d.metadata.name);
            const spread = d.spec.template.spec.affinity?.podAntiAffinity?.preferredDuringSchedulingIgnoredDuringExecution?.[0]?.podAffinityTerm?.topologyKey;
            return [
              d.metadata.name,
              { replicas: hpa ? `hpa ${hpa.spec.minReplicas}-${hpa.spec.maxReplicas}` : d.spec.replicas, pdbMinAvailable: pdb?.spec.minAvailable, spread },
            ];
          }),
      );
      const ha = { pdbMinAvailable: 1, spread: 'kubernetes.io/hostname' };
      expect(summary).toEqual({
        'istio-galley': { replicas: 2, ...ha },
        'istio-pilot': { replicas: 'hpa 2-5', ...ha },
        'istio-sidecar-injector': { replicas: 2, ...ha },
        'istio-ingressgateway': { replicas: 'hpa 2-5', ...ha },
        'istio-egressgateway': { replicas: 'hpa 1-5', pdbMinAvailable: undefined, spread: undefined },
        promsd: { replicas: 1, pdbMinAvailable: undefined, spread: undefined },
        ...(values.platform === 'onprem' ? { 'istio-citadel': { replicas: 1, pdbMinAvailable: undefined, spread: undefined } } : {}),
      });
      // no budget can block a drain: each keeps fewer pods available than the fewest that run
      for (const [name, { replicas, pdbMinAvailable }] of Object.entries(summary)) {
        if (pdbMinAvailable === undefined) continue;
        const fewest = typeof replicas === 'number' ? replicas : Number(/^hpa (\d+)-/.exec(String(replicas))![1]);
        expect(`${name}: ${pdbMinAvailable < fewest}`).toBe(`${name}: true`);
      }
    }
  });

  test('deterministic', () => {
    const a = compose(onpremValues());
    const b = compose(onpremValues());
    expect(JSON.stringify([...a])).toBe(JSON.stringify([...b]));
  });

  test.each([
    ['gke', gkeValues()],
    ['onprem', onpremValues()],
  ])('snapshot %s', (_name, values) => {
    const files = compose(values);
    for (const path of CORE_FILES) {
      expect(toYamlFile(files.get(path)!)).toMatchSnapshot(path);
    }
  });
});
