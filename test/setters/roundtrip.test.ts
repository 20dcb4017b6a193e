import * as fc from 'fast-check';
import * as path from 'node:path';
import { applySetters, PackageFile, readPackageDir } from '../../src/setters';
import { FIXTURES } from './helpers';

/** Sets values, then the originals again, and returns the final files. */
function roundTrip(files: readonly PackageFile[], values: Record<string, string>, originals: Record<string, string>): readonly PackageFile[] {
  const there = applySetters(files, { values });
  expect(there.problems).toEqual([]);
  const back = applySetters(there.files, { values: originals });
  expect(back.problems).toEqual([]);
  return back.files;
}

const label = fc.stringMatching(/^[a-z][a-z0-9-]{0,20}[a-z0-9]$/);
/** GCP project IDs (config/schema.ts PROJECT_ID): 6-30 characters. */
const project = fc.stringMatching(/^[a-z][a-z0-9-]{4,28}[a-z0-9]$/);
/** Zones that existed in 2020 (set refuses others, with the config's location rule). */
const zone = fc.constantFrom('us-central1-a', 'us-central1-f', 'us-east1-b', 'europe-west1-d', 'europe-west4-a', 'asia-east1-c', 'asia-northeast1-b', 'us-west2');

describe('set then set back restores the original bytes', () => {
  test('kpt v0 package (setters, substitutions, integer setter)', () => {
    // The fixture's PROJECT_ID placeholder is no value ASM accepts (config/setter-rules.ts), so the
    // round trip starts from the package set once to valid values.
    const originals = {
      'gcloud.core.project': 'my-project',
      'gcloud.project.projectNumber': '1234',
      'cluster-name': 'asm-cluster',
      'gcloud.compute.zone': 'us-central1-c',
      maxNodes: '4',
    };
    const start = applySetters(readPackageDir(path.join(FIXTURES, 'v0-roundtrip')), { values: originals });
    expect(start.problems).toEqual([]);
    const files = start.files;
    fc.assert(
      fc.property(project, fc.bigInt(1n, 10n ** 12n), label, zone, fc.integer({ min: 4, max: 1000 }), (project, number, cluster, z, max) => {
        const values = {
          'gcloud.core.project': project,
          'gcloud.project.projectNumber': String(number),
          'cluster-name': cluster,
          'gcloud.compute.zone': z,
          maxNodes: String(max),
        };
        expect(roundTrip(files, values, originals)).toEqual(files);
      }),
      { seed: 42, numRuns: 100 },
    );
  });

  test('kpt v1 package (ConfigMap values, patterns, lists)', () => {
    const rendered = applySetters(readPackageDir(path.join(FIXTURES, 'v1-inline')), {});
    expect(rendered.problems).toEqual([]);
    const originals = { app: 'web', tier: 'frontend', replicas: '3', regions: '[us-east1, us-west1]' };
    fc.assert(
      fc.property(label, label, fc.nat(500), fc.array(label, { minLength: 1, maxLength: 4 }), (app, tier, replicas, regions) => {
        const values = { app, tier, replicas: String(replicas), regions: `[${regions.join(', ')}]` };
        expect(roundTrip(rendered.files, values, originals)).toEqual(rendered.files);
      }),
      { seed: 42, numRuns: 100 },
    );
  });
});
