import * as fs from 'node:fs';
import * as path from 'node:path';
import { stringify } from 'yaml';
import type { Profile } from '../../src/config/schema';
import { PACKAGE_FORMAT_DIRS, PACKAGE_PROFILES } from '../../src/packages';
import { run, tempDir } from '../helpers/cli';
import { clusterConfigFor, copyTree, PACKAGES_DIR, PLACEHOLDER_TOKENS, readTree, resourceFiles, UNSEEN_VALUES, valuesForPackage } from './helpers';

/**
 * The committed packages, set through the CLI (`asmpkg set DIR NAME=VALUE...`) to a
 * cluster no other test uses, against `asmpkg synth` of the same cluster from a config:
 * no placeholder may survive, and every resource must be the same (secrets aside).
 */
const work = tempDir('asmpkg-set-synth-');
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

async function synthesized(profile: Profile, values: Record<string, string>): Promise<Map<string, unknown[]>> {
  const dir = path.join(work, `synth-${profile}`);
  fs.mkdirSync(dir, { recursive: true });
  const cluster = clusterConfigFor(profile, values);
  fs.writeFileSync(path.join(dir, 'config.yaml'), stringify({ clusters: [cluster] }));
  const r = await run(['synth', '--config', 'config.yaml', '--out', 'out', '--quiet'], dir);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  const files = readTree(path.join(dir, 'out', String(cluster.name)));
  return resourceFiles(files.filter((f) => !f.path.startsWith('secrets/')));
}

describe.each(PACKAGE_PROFILES)('committed package %s after asmpkg set', (profile) => {
  test.each(['v1', 'v0'] as const)('kpt %s: no placeholder left, and every resource equals asmpkg synth of the same cluster', async (format) => {
    const dir = path.join(work, `${format}-${profile}`);
    copyTree(path.join(PACKAGES_DIR, PACKAGE_FORMAT_DIRS[format], profile), dir);
    const values = valuesForPackage(readTree(dir), UNSEEN_VALUES);
    expect(Object.keys(values).length).toBeGreaterThanOrEqual(profile === 'onprem' ? 2 : 4);
    const r = await run(['set', dir, ...Object.entries(values).map(([k, v]) => `${k}=${v}`)], work);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);

    const files = readTree(dir);
    // every file, INSTALL.md included (its steps read shell variables, not placeholders)
    expect(files.map((f) => f.path)).toContain('INSTALL.md');
    const leftovers = files
      .flatMap((f) => f.content.split('\n').map((line, i) => ({ where: `${f.path}:${i + 1}`, line })))
      // the value part of a line: a setter comment names setters, not values
      .map(({ where, line }) => ({ where, text: line.replace(/ # (kpt-set: .*|\{"\$ref".*)$/, '') }))
      // whole tokens: TRAFFICDIRECTOR_GCP_PROJECT_NUMBER is a name, not the PROJECT_NUMBER placeholder
      .filter(({ text }) => PLACEHOLDER_TOKENS.some((t) => new RegExp(`(?<![A-Za-z0-9_])${t.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![A-Za-z0-9_])`).test(text)))
      .map(({ where, text }) => `${where}: ${text.trim()}`);
    expect(leftovers).toEqual([]);

    const set = resourceFiles(files);
    set.delete('Kptfile');
    const synth = await synthesized(profile, values);
    expect([...set.keys()].sort()).toEqual([...synth.keys()].sort());
    expect(set).toEqual(synth);
  });
});
