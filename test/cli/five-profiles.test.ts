/**
 * One config, the three ways to run a mesh on Google Cloud side by side: a fleet of all
 * five profiles renders in one synth, each package with what its profile needs, and the
 * Config Connector directories pass anthoscli vet (which exits 0 even with problems, so
 * its output is read).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';
import { configText, GKE_CLUSTER, ISTIO_ON_GKE_CLUSTER, ISTIOCTL_CLUSTER, ONPREM_CLUSTER, TRAFFIC_DIRECTOR_CLUSTER } from '../helpers/config';
import { run, tempDir, treeState } from '../helpers/cli';
import { PACKAGES_DIR } from '../packages/helpers';

function anthoscliVet(dir: string): string {
  return execFileSync('anthoscli', ['vet', '-f', dir], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 120_000 });
}

describe('a fleet of all five profiles', () => {
  const dir = tempDir();
  const out = path.join(dir, 'out');
  let first: Record<string, string>;

  beforeAll(async () => {
    writeFileSync(path.join(dir, 'asmpkg.yaml'), configText(GKE_CLUSTER, ISTIOCTL_CLUSTER, ONPREM_CLUSTER, ISTIO_ON_GKE_CLUSTER, TRAFFIC_DIRECTOR_CLUSTER));
    const r = await run(['synth', '--config', 'asmpkg.yaml', '--out', 'out'], dir);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    first = treeState(out);
  }, 120_000);

  test('renders every cluster and indexes each with its profile', () => {
    expect(readdirSync(out).sort()).toEqual(['asm-existing', 'asm-gke', 'asm-onprem', 'index.yaml', 'istio-addon', 'td-gke']);
    const index = parse(readFileSync(path.join(out, 'index.yaml'), 'utf8'));
    expect(index.clusters.map((c: { name: string; profile: string }) => [c.name, c.profile])).toEqual([
      ['asm-gke', 'gke'],
      ['asm-existing', 'gke-istioctl'],
      ['asm-onprem', 'onprem'],
      ['istio-addon', 'istio-on-gke'],
      ['td-gke', 'traffic-director'],
    ]);
  });

  test('the add-on has no secrets; Traffic Director has its injector certificate in secrets/, ignored by git', () => {
    expect(existsSync(path.join(out, 'istio-addon/secrets'))).toBe(false);
    expect(readdirSync(path.join(out, 'td-gke/secrets')).sort()).toEqual(['.gitignore', 'td-sidecar-injector', 'td-sidecar-injector-certs.yaml']);
    expect(readFileSync(path.join(out, 'td-gke/INSTALL.md'), 'utf8')).toContain('kubectl apply -f secrets/td-sidecar-injector-certs.yaml');
  });

  test('a second synth changes no byte (the injector certificate is reused)', async () => {
    const r = await run(['synth', '--config', 'asmpkg.yaml', '--out', 'out'], dir);
    expect(r.code).toBe(0);
    expect(treeState(out)).toEqual(first);
  }, 120_000);

  test.each(['istio-addon', 'td-gke'])('anthoscli vet reports nothing for %s/config-connector', (cluster) => {
    expect(anthoscliVet(path.join(out, cluster, 'config-connector'))).toBe('');
  });
});

describe('anthoscli vet of the committed packages', () => {
  test.each(['istio-on-gke', 'traffic-director'])('packages/%s/config-connector: nothing reported', (profile) => {
    expect(anthoscliVet(path.join(PACKAGES_DIR, profile, 'config-connector'))).toBe('');
  });

  test('the check has teeth: a Config Connector resource without its placement is reported', () => {
    const bad = tempDir();
    writeFileSync(
      path.join(bad, 'cluster.yaml'),
      'apiVersion: container.cnrm.cloud.google.com/v1beta1\nkind: ContainerCluster\nmetadata:\n  name: c\n  namespace: p\nspec:\n  location: us-central1-c\n',
    );
    expect(anthoscliVet(bad)).toMatch(/gke\.io\/cluster/);
  });
});
