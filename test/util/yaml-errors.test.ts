import { parseAllDocuments } from 'yaml';
import { yamlErrorReason } from '../../src/util/yaml-errors';

/** A token that stands for key material: it must never reach a message. */
const SECRET = 'MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7';

function reasons(text: string): string[] {
  const docs = parseAllDocuments(text, { prettyErrors: false, uniqueKeys: true });
  return (Array.isArray(docs) ? docs : []).flatMap((d) => [...d.errors, ...d.warnings].map(yamlErrorReason));
}

describe('YAML error reasons never quote the input', () => {
  test.each([
    ['a stray scalar after a document', `a: 1\n${SECRET}: x: y\n- ${SECRET}\n`],
    ['an unterminated double quote', `data:\n  tls.key: "${SECRET}\n`],
    ['an unterminated single quote', `data:\n  tls.key: '${SECRET}\n`],
    ['a bad escape', `data:\n  tls.key: "\\q${SECRET}"\n`],
    ['bad indentation', `data:\n  tls.key: ${SECRET}\n tls.crt: ${SECRET}\n`],
    ['an unresolved tag', `data: !${SECRET} x\n`],
    ['a directive', `%${SECRET} x\n---\na: 1\n`],
    ['a flow collection', `{ a: ${SECRET} , b }${SECRET}\n`],
    ['a block scalar header', `a: |${SECRET}\n  x\n`],
    ['a plain value starting with a reserved character', `a: @${SECRET}\n`],
    ['a duplicate key', `${SECRET}: 1\n${SECRET}: 2\n`],
  ])('%s', (_name, text) => {
    const found = reasons(text);
    expect(found.length).toBeGreaterThan(0);
    for (const r of found) {
      expect(r).not.toContain(SECRET.slice(0, 8));
      expect(r).not.toContain('\n');
      expect(r.length).toBeGreaterThan(5);
    }
  });

  test('fixed reasons keep their meaning', () => {
    expect(reasons('a: 1\na: 2\n')).toEqual(['Map keys must be unique']);
    expect(reasons('a: "x\n')).toEqual(['Missing closing "quote']);
    expect(reasons('a: "\\q"\n')).toEqual(['invalid escape sequence in a double-quoted string']);
    expect(reasons('a: 1\nb: [\n')).toContainEqual(expect.stringMatching(/^[A-Z]/));
  });

  test('an Error thrown by toJS: only its text before the quoted part', () => {
    expect(yamlErrorReason(new Error(`Unresolved alias (the anchor must be set before the alias): ${SECRET}`))).toBe('Unresolved alias (the anchor must be set before the alias)');
  });
});
