import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { OFFERINGS } from '../../src/catalog/offerings';
import { OFFERINGS_BEGIN, OFFERINGS_END, renderOfferingsTable, withOfferingsTable } from '../../src/catalog/offerings-doc';
import { PROFILES } from '../../src/catalog/profiles';

const README = readFileSync(path.join(__dirname, '..', '..', 'README.md'), 'utf8');

describe('README: the three offerings side by side', () => {
  test('the table in README.md is what the catalog renders (stale? run `npm run generate`)', () => {
    expect(withOfferingsTable(README)).toBe(README);
  });

  test('every profile belongs to exactly one offering', () => {
    expect(OFFERINGS.flatMap((o) => o.profiles).sort()).toEqual([...PROFILES].sort());
  });

  test('one column per offering, one row per aspect the issue names', () => {
    const table = renderOfferingsTable();
    const lines = table.split('\n');
    expect(lines[0]).toBe(OFFERINGS_BEGIN);
    expect(lines[lines.length - 1]).toBe(OFFERINGS_END);
    expect(lines[1]).toBe('| | Anthos Service Mesh | Istio on GKE | Traffic Director |');
    expect(lines.slice(3, -1).map((l) => l.split(' | ')[0])).toEqual(['| asmpkg profiles', '| what you run', '| what Google runs', '| licence', '| install', '| mTLS', '| telemetry']);
    for (const l of lines.slice(1, -1)) expect(l.replace(/\\\|/g, '').split('|').length).toBe(6);
  });

  test('a changed fact makes the committed README stale', () => {
    const edited = README.replace('| licence | Anthos subscription |', '| licence | free |');
    expect(edited).not.toBe(README);
    expect(withOfferingsTable(edited)).toBe(README);
  });
});
