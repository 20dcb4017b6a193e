import { parseManifests } from '../../src/lint/documents';

describe('parseManifests', () => {
  test('multi-document YAML: every resource with its own lines', () => {
    const parsed = parseManifests(
      `---
apiVersion: v1
kind: Namespace
metadata:
  name: shop
---
# comment
apiVersion: networking.istio.io/v1alpha3
kind: Gateway
metadata:
  name: public
  namespace: istio-system
spec:
  servers:
  - port:
      number: 80
`,
      'm.yaml',
    );
    expect(parsed.errors).toEqual([]);
    expect(parsed.resources.map((r) => [r.resource.group, r.resource.kind, r.resource.namespace, r.resource.name])).toEqual([
      ['', 'Namespace', undefined, 'shop'],
      ['networking.istio.io', 'Gateway', 'istio-system', 'public'],
    ]);
    const gw = parsed.resources[1];
    expect(gw.locate([])).toEqual({ line: 8, column: 1 });
    expect(gw.locate(['kind'])).toEqual({ line: 9, column: 1 });
    expect(gw.locate(['spec', 'servers', 0, 'port', 'number'])).toEqual({ line: 16, column: 7 });
    expect(gw.locate(['spec', 'servers', 0])).toEqual({ line: 15, column: 5 });
    // A missing field points at its nearest existing ancestor.
    expect(gw.locate(['spec', 'servers', 3, 'port'])).toEqual({ line: 14, column: 3 });
  });

  test('JSON parses as YAML, with lines', () => {
    const parsed = parseManifests('{\n  "apiVersion": "rbac.istio.io/v1alpha1",\n  "kind": "RbacConfig",\n  "metadata": {"name": "default"}\n}\n', 'r.json');
    expect(parsed.resources[0].resource.kind).toBe('RbacConfig');
    expect(parsed.resources[0].locate(['kind'])).toEqual({ line: 3, column: 3 });
  });

  test('bad YAML is an error with file and line; good documents around it are still read', () => {
    const parsed = parseManifests('apiVersion: v1\nkind: Namespace\nmetadata: {name: a}\n---\nkind: [unclosed\n---\napiVersion: v1\nkind: Namespace\nmetadata: {name: b}\n', 'bad.yaml');
    expect(parsed.resources.map((r) => r.resource.name)).toEqual(['a', 'b']);
    expect(parsed.errors.length).toBeGreaterThan(0);
    expect(parsed.errors[0]).toMatchObject({ file: 'bad.yaml', line: expect.any(Number), message: expect.stringMatching(/^not valid YAML: /) });
    expect(parsed.errors[0].line).toBeGreaterThanOrEqual(5);
  });

  test('duplicate keys are an error (kubectl would keep only one)', () => {
    const parsed = parseManifests('apiVersion: v1\nkind: Service\nkind: EnvoyFilter\n', 'dup.yaml');
    expect(parsed.errors).toEqual([expect.objectContaining({ file: 'dup.yaml', line: 3 })]);
  });

  test('empty text, comments only and scalars hold no resources', () => {
    expect(parseManifests('', 'e.yaml')).toEqual({ resources: [], errors: [] });
    expect(parseManifests('# nothing\n', 'e.yaml')).toEqual({ resources: [], errors: [] });
    expect(parseManifests('just a string\n---\n- a list\n', 'e.yaml').resources).toEqual([]);
  });

  test('alias bombs are refused', () => {
    const lines = ['a: &a [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 0; i < 8; i++) lines.push(`${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [*${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}]`);
    const parsed = parseManifests(lines.join('\n') + '\n', 'bomb.yaml');
    expect(parsed.errors).toEqual([expect.objectContaining({ file: 'bomb.yaml', message: expect.stringMatching(/^refused: /) })]);
  });
});
