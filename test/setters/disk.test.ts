import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { readPackageTree, recoverInterruptedSet, setPackageDir, SET_JOURNAL } from '../../src/setters';
import type { Recovery } from '../../src/setters';
import { copyToTemp, removeDir, snapshot } from './helpers';

/**
 * `asmpkg set` writes a package crash-safely: temporaries, then a journal, then renames.
 * A crash is simulated through the commit's hooks (in process: a hook that throws stops
 * the commit exactly where a kill would), and for real through the CLI's
 * ASMPKG_TEST_SET_CRASH seam (SIGKILL). The next run finishes a committed set or rolls
 * back an uncommitted one; the result is the clean run's, byte for byte, and no
 * temporary is left.
 */

const PACKAGE = path.resolve(__dirname, '../../packages/gke');
const CLI = path.resolve(__dirname, '../../bin/asmpkg.js');
const VALUES = { 'gcloud.core.project': 'my-proj', 'cluster-name': 'prod-1', 'gcloud.compute.zone': 'europe-west1-b' };

class Crash extends Error {}

let dirs: string[] = [];
function pkg(): string {
  const d = copyToTemp(PACKAGE, 'asmpkg-disk-');
  dirs.push(d);
  return d;
}
afterEach(() => {
  dirs.forEach(removeDir);
  dirs = [];
});

/** What a clean run makes of the package. */
function cleanResult(): Map<string, string> {
  const d = pkg();
  expect(setPackageDir(d, { values: VALUES }).problems).toEqual([]);
  return snapshot(d);
}

function leftovers(dir: string): string[] {
  return [...snapshot(dir).keys()].filter((f) => /\.tmp$|asmpkg-set\.journal/.test(f));
}

describe('a set interrupted after its journal was written', () => {
  test.each([0, 1, 3])('after %d renames: the next run finishes it and says so', (renames) => {
    const expected = cleanResult();
    const d = pkg();
    const crash = (n: number) => {
      if (n === renames) throw new Crash();
    };
    expect(() =>
      setPackageDir(d, { values: VALUES, hooks: renames === 0 ? { afterJournal: () => crash(0) } : { afterRename: crash } }),
    ).toThrow(Crash);
    expect(fs.existsSync(path.join(d, SET_JOURNAL))).toBe(true);

    const recovered: Recovery[] = [];
    const outcome = setPackageDir(d, { values: VALUES, onRecovery: (r) => recovered.push(r) });
    expect(outcome.problems).toEqual([]);
    expect(recovered).toHaveLength(1);
    expect(recovered[0].journal).toBe(true);
    expect(recovered[0].removed).toEqual([]);
    expect(recovered[0].finished.length).toBeGreaterThan(0);
    // Nothing left to change: the interrupted set was finished, not repeated.
    expect(outcome.changed).toEqual([]);
    expect(snapshot(d)).toEqual(expected);
    expect(leftovers(d)).toEqual([]);
  });
});

describe('a set interrupted before its journal was written', () => {
  test('its temporaries are removed; the files are as they were, then the set runs', () => {
    const expected = cleanResult();
    const d = pkg();
    const original = snapshot(d);
    // What a kill between temporaries leaves: temporaries and a partial journal, no journal.
    fs.writeFileSync(path.join(d, 'in-cluster', '.10-mesh-config.yaml.asmpkg-set-4242-0.tmp'), 'half a fi');
    fs.writeFileSync(path.join(d, '.Kptfile.asmpkg-4242-1.tmp'), 'from an older asmpkg');
    fs.writeFileSync(path.join(d, `${SET_JOURNAL}.tmp`), '{"version":1,"ren');
    const tree = readPackageTree(d);
    expect(tree.temporaries.sort()).toEqual(['.Kptfile.asmpkg-4242-1.tmp', 'in-cluster/.10-mesh-config.yaml.asmpkg-set-4242-0.tmp']);
    expect(recoverInterruptedSet(d, tree.temporaries)).toEqual({ finished: [], journal: false, removed: tree.temporaries });
    expect(snapshot(d)).toEqual(original);

    fs.writeFileSync(path.join(d, 'in-cluster', '.10-mesh-config.yaml.asmpkg-set-4242-0.tmp'), 'half a fi');
    const recovered: Recovery[] = [];
    expect(setPackageDir(d, { values: VALUES, onRecovery: (r) => recovered.push(r) }).problems).toEqual([]);
    expect(recovered).toEqual([{ finished: [], journal: false, removed: ['in-cluster/.10-mesh-config.yaml.asmpkg-set-4242-0.tmp'] }]);
    expect(snapshot(d)).toEqual(expected);
  });

  test('a real write failure (a read-only directory) leaves no temporaries and changes nothing', () => {
    if (process.getuid?.() === 0) return; // root writes anywhere
    const d = pkg();
    const before = snapshot(d);
    fs.chmodSync(path.join(d, 'in-cluster'), 0o555);
    try {
      expect(() => setPackageDir(d, { values: VALUES })).toThrow(/EACCES/);
    } finally {
      fs.chmodSync(path.join(d, 'in-cluster'), 0o755);
    }
    expect(snapshot(d)).toEqual(before);
  });
});

describe('what the recovery refuses', () => {
  test('a dry run writes nothing, so it does not recover: it says what to do', () => {
    const d = pkg();
    fs.writeFileSync(path.join(d, '.Kptfile.asmpkg-set-1-0.tmp'), 'x');
    const before = snapshot(d);
    const outcome = setPackageDir(d, { values: VALUES, dryRun: true });
    expect(outcome.problems.map((p) => p.message)).toEqual([
      `an interrupted set left ${SET_JOURNAL} or temporaries here; run set without --dry-run to finish or roll it back first`,
    ]);
    expect(snapshot(d)).toEqual(before);
  });

  test.each([
    ['a path leaving the package', { version: 1, renames: [{ tmp: '../.x.asmpkg-set-1-0.tmp', dest: '../x' }] }],
    ['a temporary in another directory than its file', { version: 1, renames: [{ tmp: 'a/.x.asmpkg-set-1-0.tmp', dest: 'b/x' }] }],
    ['a "temporary" that is no temporary', { version: 1, renames: [{ tmp: 'Kptfile', dest: 'in-cluster/x.yaml' }] }],
    ['no list', { version: 1 }],
  ])('a journal asmpkg did not write: %s', (_name, journal) => {
    const d = pkg();
    fs.writeFileSync(path.join(d, SET_JOURNAL), JSON.stringify(journal));
    const before = snapshot(d);
    expect(() => setPackageDir(d, { values: VALUES })).toThrow(`${SET_JOURNAL}: is not a journal asmpkg set wrote; check the package and remove it`);
    expect(snapshot(d)).toEqual(before);
  });
});

describe('killed for real (SIGKILL through ASMPKG_TEST_SET_CRASH; needs lib/ built, as `npm test` does)', () => {
  const args = Object.entries(VALUES).map(([k, v]) => `${k}=${v}`);
  test.each(['temporary:2', 'journal', 'rename:2'])('killed at %s: the next run leaves the clean result and no temporary', (at) => {
    const expected = cleanResult();
    const d = pkg();
    const killed = spawnSync(process.execPath, [CLI, 'set', d, ...args], { env: { ...process.env, ASMPKG_TEST_SET_CRASH: at }, encoding: 'utf8' });
    expect(killed.signal).toBe('SIGKILL');
    const again = spawnSync(process.execPath, [CLI, 'set', d, ...args], { env: { ...process.env, ASMPKG_TEST_SET_CRASH: '' }, encoding: 'utf8' });
    expect(again.status).toBe(0);
    expect(again.stderr).toMatch(at.startsWith('temporary') ? /rolled back a set that was interrupted before it was committed/ : /finished a set that was interrupted after it was committed/);
    expect(snapshot(d)).toEqual(expected);
    expect(leftovers(d)).toEqual([]);
  });
});
