import { ApiObject, App } from 'cdk8s';
import { composeProfile } from '../../src/profiles';
import { PackageFile } from '../../src/constructs/package-file';
import { GKE_CLUSTER, ISTIOCTL_CLUSTER, ONPREM_CLUSTER } from '../helpers/config';
import { specOf } from '../helpers/render';

function composed(cluster: object): App {
  const app = new App({ outdir: '.' });
  composeProfile(app, specOf(cluster));
  return app;
}

describe('PackageFile.synthAll', () => {
  test.each([
    ['gke', GKE_CLUSTER],
    ['gke-istioctl', ISTIOCTL_CLUSTER],
    ['onprem', ONPREM_CLUSTER],
  ])('gives every file of a %s package exactly what Chart.toJson gives, in path order', (_profile, cluster) => {
    const app = composed(cluster);
    const synthesized = PackageFile.synthAll(app);
    const files = PackageFile.allIn(app);
    expect(synthesized.map((s) => s.file.filePath)).toEqual(files.map((f) => f.filePath));
    expect([...files.map((f) => f.filePath)].sort()).toEqual(files.map((f) => f.filePath));
    for (const { file, manifests } of synthesized) expect(manifests).toEqual(file.toJson());
    expect(synthesized.reduce((n, s) => n + s.manifests.length, 0)).toBeGreaterThan(30);
  });

  test('a chart nested in a file renders its own objects, not its parent file', () => {
    const app = new App();
    const outer = new PackageFile(app, 'a/outer.yaml');
    new ApiObject(outer, 'cm', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'outer' } });
    const inner = new PackageFile(outer, 'b/inner.yaml');
    new ApiObject(inner, 'cm', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'inner' } });
    const byPath = new Map(PackageFile.synthAll(app).map((s) => [s.file.filePath, s.manifests]));
    expect(byPath.get('a/outer.yaml')).toEqual([{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'outer' } }]);
    expect(byPath.get('b/inner.yaml')).toEqual([{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'inner' } }]);
  });

  test('declared dependencies order objects as cdk8s does (dependency first)', () => {
    const app = new App();
    const file = new PackageFile(app, 'x.yaml');
    const user = new ApiObject(file, 'user', { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'user' } });
    const used = new ApiObject(file, 'used', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'used' } });
    user.addDependency(used);
    const [{ manifests }] = PackageFile.synthAll(app);
    expect((manifests as { metadata: { name: string } }[]).map((m) => m.metadata.name)).toEqual(['used', 'user']);
  });

  test('construct validation errors fail the synthesis, all of them at once', () => {
    const app = new App();
    const file = new PackageFile(app, 'x.yaml');
    new ApiObject(file, 'ok', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'ok' } });
    file.node.addValidation({ validate: () => ['first problem', 'second problem'] });
    expect(() => PackageFile.synthAll(app)).toThrow(/Validation failed with the following errors:\n {2}\[x-yaml\] first problem\n {2}\[x-yaml\] second problem/);
  });
});
