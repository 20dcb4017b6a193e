import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { parse } from 'yaml';
import { configJsonSchema } from '../../src/config/json-schema';

const ROOT = path.resolve(__dirname, '../..');

describe('the published JSON Schema', () => {
  const committed = readFileSync(path.join(ROOT, 'schema/asmpkg.schema.json'), 'utf8');

  test('is what the config schema generates (run `npm run generate` when this fails)', () => {
    expect(committed).toBe(configJsonSchema());
  });

  test('accepts the example config and rejects a misspelt field and a wrong type', () => {
    const ajv = new Ajv2020({ strict: false });
    addFormats(ajv);
    const validate = ajv.compile(JSON.parse(committed));
    const example = parse(readFileSync(path.join(ROOT, 'examples/asmpkg.yaml'), 'utf8'));
    expect(validate(example)).toBe(true);
    const typo = structuredClone(example);
    typo.clusters[0].nodepool = typo.clusters[0].nodePool;
    delete typo.clusters[0].nodePool;
    expect(validate(typo)).toBe(false);
    const wrongType = structuredClone(example);
    wrongType.clusters[0].nodePool.nodeCount = 'four';
    expect(validate(wrongType)).toBe(false);
  });
});
