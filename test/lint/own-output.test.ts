/**
 * asmpkg's own output must pass `asmpkg lint`: the telemetry v2 EnvoyFilters it renders
 * are the mesh's own (recognised by the catalog's `isTelemetryV2Filter`), not custom
 * filters. Every file of a rendered package is linted with its cluster's profile.
 */
import { readdirSync, readFileSync, statSync } from 'fs';
import * as path from 'path';
import { lintText } from '../../src/lint';
import type { AsmProfile as Profile } from '../../src/catalog/profiles';
import { renderCluster } from '../../src/render/render-cluster';
import { GKE_CLUSTER, ISTIOCTL_CLUSTER, ONPREM_CLUSTER } from '../helpers/config';
import { specOf } from '../helpers/render';

const CASES: [string, object][] = [
  ['gke defaults', GKE_CLUSTER],
  ['gke prometheus metrics, Stackdriver access logs', { ...GKE_CLUSTER, telemetry: { metrics: 'prometheus', accessLog: 'stackdriver' } }],
  ['gke stackdriver tracing, stdout access logs, egress gateway', { ...GKE_CLUSTER, telemetry: { accessLog: 'stdout', tracing: 'stackdriver' }, mesh: { egressGateway: true, mtls: 'STRICT' } }],
  ['gke-istioctl defaults', ISTIOCTL_CLUSTER],
  ['onprem defaults', ONPREM_CLUSTER],
];

function findingsOf(files: readonly { path: string; content: string }[], profile: Profile): string[] {
  return files
    .filter((f) => /\.ya?ml$/.test(f.path) || f.path === 'Kptfile')
    .flatMap((f) => {
      const r = lintText(f.content, f.path, { profile });
      return [...r.errors.map((e) => `${f.path}: ${e.message}`), ...r.findings.map((x) => `${x.file}:${x.line} ${x.rule} ${x.kind}/${x.name}: ${x.message}`)];
    });
}

describe('asmpkg lint passes asmpkg\'s own output (telemetry v2 filters recognised by the catalog)', () => {
  test.each(CASES)('%s: every package file lints clean, and the telemetry v2 EnvoyFilters are in it', (_label, cluster) => {
    const spec = specOf(cluster);
    const files = renderCluster(spec);
    expect(files.some((f) => f.content.includes('kind: EnvoyFilter'))).toBe(true);
    expect(findingsOf(files, spec.profile as Profile)).toEqual([]);
  });

  test('the committed kpt packages lint clean with their profile', () => {
    const root = path.join(__dirname, '..', '..', 'packages');
    for (const profile of ['gke', 'gke-istioctl', 'onprem'] as const) {
      const files: { path: string; content: string }[] = [];
      const walk = (dir: string) => {
        for (const name of readdirSync(dir).sort()) {
          const p = path.join(dir, name);
          if (statSync(p).isDirectory()) walk(p);
          else files.push({ path: path.relative(root, p), content: readFileSync(p, 'utf8') });
        }
      };
      walk(path.join(root, profile));
      expect(files.length).toBeGreaterThan(5);
      expect(findingsOf(files, profile)).toEqual([]);
    }
  });

  test('the check has teeth: a custom EnvoyFilter among the same files is a finding', () => {
    const spec = specOf(GKE_CLUSTER);
    const custom = {
      path: 'in-cluster/99-custom.yaml',
      content: 'apiVersion: networking.istio.io/v1alpha3\nkind: EnvoyFilter\nmetadata:\n  name: stats-filter-1.4\n  namespace: istio-system\nspec:\n  configPatches: []\n',
    };
    expect(findingsOf([...renderCluster(spec), custom], spec.profile as Profile)).toEqual([expect.stringContaining('traffic.envoy-filter EnvoyFilter/stats-filter-1.4')]);
  });
});
