import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { parseConfig } from '../../src/config/load';
import { tempDir } from '../helpers/cli';

const ROOT = path.resolve(__dirname, '../..');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { fleetConfig } = require('../../bench/fleet.js') as { fleetConfig(n: number, gitops?: { engine: string; sealingCertificate: string }): string };

describe('npm run bench (needs lib/ built, as `npm test` does)', () => {
  test('generated fleets are valid configs of mixed profiles', () => {
    const { clusters } = parseConfig(fleetConfig(9));
    expect(clusters.map((c) => c.profile)).toEqual(['gke', 'gke-istioctl', 'onprem', 'gke', 'gke-istioctl', 'onprem', 'gke', 'gke-istioctl', 'onprem']);
    expect(new Set(clusters.map((c) => c.name)).size).toBe(9);
    const gitops = parseConfig(fleetConfig(9, { engine: 'flux', sealingCertificate: 'cert.pem' }));
    expect(gitops.gitops?.engine).toBe('flux');
    expect(gitops.secrets).toEqual({ mode: 'sealed', sealingCertificate: 'cert.pem' });
    expect(new Set(gitops.clusters.map((c) => c.wave))).toEqual(new Set([0, 1, 2, 3]));
  });

  test('the script runs on a 5-cluster fleet and writes its table', () => {
    const results = path.join(tempDir(), 'results.md');
    const r = spawnSync(process.execPath, [path.join(ROOT, 'bench/fleet.js'), '--sizes', '5', '--runs', '1', '--results', results], { encoding: 'utf8' });
    expect([r.status, r.stderr]).toEqual([0, '']);
    const text = readFileSync(results, 'utf8');
    expect(text).toMatch(/^Machine: .+ cores; Node v\d+/m);
    expect(text).toMatch(/Baseline `node -e 0`: \d+\.\d+ s/);
    expect(text).toMatch(/Re-render of the example config into an existing output: \d+\.\d+ s = \d+\.\d+x/);
    expect(text).toMatch(/^\| 5 \| \d+\.\d+ \| \d+\.\d+ \| \d+ \| \d+\.\d+ \|$/m);
    expect(text).toMatch(/^Re-render of the 5-cluster fleet into its existing output after a config change \(key material kept, checked\): \d+\.\d+ s, peak \d+ MiB\.$/m);
    expect(text).toMatch(/^With `gitops: configsync` and `secrets.mode: sealed` \(4 waves, RSA-4096 sealing certificate\):$/m);
    expect(text).toMatch(/^Marginal cost per cluster with GitOps and sealing \(slope 5 → 5\): \d+\.\d+ ms/m);
    expect(r.stdout).toBe(text);
  });
});
