import { embeddedKind, fillEmbedded } from '../../src/setters/embed';
import { fillPattern } from '../../src/setters/v0';

/** Setter values embedded in JSON or YAML documents inside a field are escaped there, or refused. */

const VALUES_JSON = '{"global":{"hub":"HUB","tag":"TAG","trustDomain":"PROJECT.svc.id.goog"}}';
const MESH_YAML = 'defaultConfig:\n  proxyMetadata:\n    GCP_METADATA: "PROJECT|PRONO|CLUSTER|ZONE"\ntrustDomain: PROJECT.svc.id.goog\n';

describe('embeddedKind', () => {
  test.each([
    [VALUES_JSON, 'json'],
    [MESH_YAML, 'yaml'],
    ['HUB/proxyv2:TAG', 'text'],
    ['--stackdriver.project-id=PROJECT', 'text'],
    ['{not json', 'text'],
  ])('%s', (pattern, kind) => expect(embeddedKind(pattern)).toBe(kind));
});

describe('JSON: values are JSON-escaped where they land', () => {
  test('a quote in the hub stays inside its string (no injected key)', () => {
    const filled = fillEmbedded(VALUES_JSON, [{ marker: 'HUB', value: 'gcr.io/x","injected":"1' }, { marker: 'TAG', value: '1.4.6' }, { marker: 'PROJECT', value: 'p' }], fillPattern);
    expect('value' in filled).toBe(true);
    const parsed = JSON.parse((filled as { value: string }).value) as { global: Record<string, string> };
    expect(parsed.global.hub).toBe('gcr.io/x","injected":"1');
    expect(Object.keys(parsed.global).sort()).toEqual(['hub', 'tag', 'trustDomain']);
  });

  test('backslashes and unicode survive a JSON round trip', () => {
    const filled = fillEmbedded(VALUES_JSON, [{ marker: 'HUB', value: 'a\\b é' }], fillPattern) as { value: string };
    expect((JSON.parse(filled.value) as { global: { hub: string } }).global.hub).toBe('a\\b é');
  });
});

describe('YAML: a value that changes the document is refused', () => {
  test.each([
    ['a key injected with ": "', 'p\ninjected: yes'],
    ['a comment', 'p #'],
    ['a mapping value', 'p: q'],
  ])('%s', (_name, value) => {
    expect(fillEmbedded(MESH_YAML, [{ marker: 'PROJECT', value }], fillPattern)).toEqual({
      problem: 'the value would change the structure of the YAML document embedded in this field (a quote, ": ", "#" or line break would end or add to what the document says); refused',
    });
  });

  test('an ordinary value passes unchanged', () => {
    expect(fillEmbedded(MESH_YAML, [{ marker: 'PROJECT', value: 'my-proj' }], fillPattern)).toEqual({ value: MESH_YAML.replace(/PROJECT/g, 'my-proj') });
  });
});

test('plain text patterns are filled as kpt fills them', () => {
  expect(fillEmbedded('HUB/proxyv2:TAG', [{ marker: 'HUB', value: 'gcr.io/a' }, { marker: 'TAG', value: '1' }], fillPattern)).toEqual({ value: 'gcr.io/a/proxyv2:1' });
});

describe('through `asmpkg set` on the gke package', () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { copyToTemp, removeDir } = require('./helpers') as typeof import('./helpers');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { setPackageDir } = require('../../src/setters') as typeof import('../../src/setters');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { parseAllDocuments } = require('yaml') as typeof import('yaml');
  const fs = require('node:fs') as typeof import('node:fs');
  const path = require('node:path') as typeof import('node:path');

  function injectorValues(dir: string): Record<string, Record<string, unknown>> {
    const docs = parseAllDocuments(fs.readFileSync(path.join(dir, 'in-cluster', '10-mesh-config.yaml'), 'utf8')) as import('yaml').Document.Parsed[];
    const cm = docs.map((d) => d.toJS() as { metadata?: { name?: string }; data?: Record<string, string> }).find((d) => d?.metadata?.name === 'istio-sidecar-injector');
    return JSON.parse(cm!.data!.values) as Record<string, Record<string, unknown>>;
  }

  test('a hub with a quote: refused by a rule, or kept inside its JSON string; never a new key', () => {
    const dir = copyToTemp(path.resolve(__dirname, '../../packages/gke'), 'asmpkg-embed-');
    try {
      const keys = Object.keys(injectorValues(dir).global).sort();
      const hub = 'gcr.io/x","injected":{"a":"b';
      const outcome = setPackageDir(dir, { values: { 'anthos.servicemesh.hub': hub } });
      if (outcome.problems.length > 0) {
        expect(outcome.problems.map((p) => p.message).join('\n')).toMatch(/anthos\.servicemesh\.hub/);
      } else {
        const values = injectorValues(dir);
        expect(values.global.hub).toBe(hub);
        expect(Object.keys(values.global).sort()).toEqual(keys);
        expect(values).not.toHaveProperty('injected');
      }
    } finally {
      removeDir(dir);
    }
  });
});

test('a value bringing {{ }} into a Go template field is refused', () => {
  const template = 'containers:\n- image: "HUB/proxyv2:TAG"\n  args: ["{{ .ProxyConfig.ServiceCluster }}"]\n';
  expect(fillEmbedded(template, [{ marker: 'HUB', value: 'gcr.io/{{ .Values }}' }], fillPattern)).toEqual({
    problem: 'the field is a Go template (the sidecar injector runs it): a value must not contain "{{" or "}}"; refused',
  });
  expect(fillEmbedded(template, [{ marker: 'HUB', value: 'gcr.io/a' }], fillPattern)).toEqual({ value: template.replace('HUB', 'gcr.io/a') });
});

test('a quote that would end a double-quoted YAML string is refused', () => {
  const template = 'containers:\n- image: "HUB/proxyv2:TAG"\n';
  expect('problem' in fillEmbedded(template, [{ marker: 'HUB', value: 'gcr.io/a", "x' }], fillPattern)).toBe(true);
});
