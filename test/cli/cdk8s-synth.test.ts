import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { stringify } from 'yaml';
import { GKE_CLUSTER } from '../helpers/config';
import { tempDir } from '../helpers/cli';

/**
 * `npm ci && npx cdk8s synth` on a fresh clone: no lib/ yet, so the app command in
 * cdk8s.yaml builds it, then renders the config ASMPKG_CONFIG names. cdk8s-cli comes from
 * the devDependencies (nothing downloaded; no upgrade check).
 */
const ROOT = path.resolve(__dirname, '../..');
const clone = tempDir('asmpkg-fresh-clone-');
afterAll(() => fs.rmSync(clone, { recursive: true, force: true }));

function cdk8s(args: string[], env: Record<string, string> = {}) {
  const bin = path.join(ROOT, 'node_modules', 'cdk8s-cli', 'bin', 'cdk8s');
  return spawnSync(process.execPath, [bin, ...args], {
    cwd: clone,
    encoding: 'utf8',
    timeout: 240_000,
    env: { ...process.env, CDK8S_CHECK_UPGRADE: 'false', ...env },
  });
}

test('cdk8s-cli is a devDependency: npx cdk8s runs it without a download', () => {
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
  expect(pkg.devDependencies['cdk8s-cli']).toBeDefined();
  expect(fs.existsSync(path.join(ROOT, 'node_modules', '.bin', 'cdk8s'))).toBe(true);
});

test('cdk8s synth on a fresh clone builds lib/ and renders ASMPKG_CONFIG, else the example', () => {
  // what git tracks (lib/ and dist/ are ignored), with the installed node_modules
  for (const entry of ['src', 'bin', 'examples', 'cdk8s.yaml', 'package.json', 'tsconfig.json', 'tsconfig.build.json']) {
    fs.cpSync(path.join(ROOT, entry), path.join(clone, entry), { recursive: true });
  }
  fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(clone, 'node_modules'), 'dir');
  expect(fs.existsSync(path.join(clone, 'lib'))).toBe(false);

  fs.writeFileSync(path.join(clone, 'fleet.yaml'), stringify({ clusters: [{ ...GKE_CLUSTER, name: 'from-env-1' }] }));
  const first = cdk8s(['synth'], { ASMPKG_CONFIG: 'fleet.yaml' });
  expect([first.status, first.stderr]).toEqual([0, expect.any(String)]);
  expect(first.stdout).toContain('Validations ended succesfully');
  expect(fs.existsSync(path.join(clone, 'lib', 'cli', 'main.js'))).toBe(true);
  expect(fs.readdirSync(path.join(clone, 'dist')).sort()).toEqual(['from-env-1', 'index.yaml']);
  expect(fs.existsSync(path.join(clone, 'dist', 'from-env-1', 'control-plane', 'istio-control-plane.yaml'))).toBe(true);

  const example = cdk8s(['synth', '--output', 'example']);
  expect(example.status).toBe(0);
  expect(fs.readdirSync(path.join(clone, 'example')).sort()).toEqual(['asm-gke', 'asm-istioctl', 'asm-onprem', 'index.yaml']);
});
