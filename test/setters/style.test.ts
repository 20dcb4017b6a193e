import { renderScalar, plainKeepsString } from '../../src/setters/style';
import { parseListValue, valueProblem } from '../../src/setters/values';
import { setterValuesFromEnv } from '../../src/setters/env';
import { parseAssignments } from '../../src/setters';
import { closest } from '../../src/setters/suggest';
import { fillPattern } from '../../src/setters/v0';

const plain = (source: string) => ({ type: 'PLAIN', source });

describe('renderScalar', () => {
  test.each([
    ['abc', plain('x'), 'string', 'abc'],
    ['1234567890', plain('x'), 'string', '"1234567890"'],
    ['yes', plain('x'), 'string', '"yes"'],
    ['e0', plain('x'), 'string', 'e0'],
    ['.NaN', plain('x'), 'string', '".NaN"'],
    ['a: b', plain('x'), 'string', '"a: b"'],
    ['', plain('x'), 'string', '""'],
    ["it's", { type: 'QUOTE_SINGLE', source: "'x'" }, 'string', "'it''s'"],
    ['say "hi"', { type: 'QUOTE_DOUBLE', source: '"x"' }, 'string', '"say \\"hi\\""'],
    ['6', { type: 'QUOTE_DOUBLE', source: '"4"' }, 'typed', '6'],
    ['6', plain('4'), 'untyped', '6'],
    ['six', plain('4'), 'untyped', 'six'],
    ['6', plain('four'), 'untyped', '"6"'],
    ['3', plain('4'), 'any', '3'],
    ['true', plain('x'), 'any', 'true'],
    ['[a]', plain('x'), 'any', '"[a]"'],
    ['', plain('x'), 'any', '""'],
  ] as const)('%j into %j (%s) -> %s', (value, existing, mode, expected) => {
    expect(renderScalar(value, existing, mode)).toBe(expected);
  });

  test('inside a flow list, commas force quotes', () => {
    expect(plainKeepsString('a,b', true)).toBe(false);
    expect(plainKeepsString('a,b', false)).toBe(true);
  });
});

describe('values', () => {
  test('type and character rules', () => {
    expect(valueProblem('12', 'integer')).toBeUndefined();
    expect(valueProblem('12', 'int')).toBeUndefined();
    expect(valueProblem('1.5', 'integer')).toMatch(/not an integer/);
    expect(valueProblem('true', 'bool')).toBeUndefined();
    expect(valueProblem('yes', 'boolean')).toMatch(/not a boolean/);
    expect(valueProblem('a\tb', 'string')).toMatch(/control characters/);
    expect(valueProblem('a\u2028b', undefined)).toMatch(/single line/);
    expect(valueProblem('anything at all', undefined)).toBeUndefined();
  });

  test('list values in flow or block syntax', () => {
    expect(parseListValue('[prod, "dev"]')).toEqual({ items: [{ value: 'prod', source: 'prod' }, { value: 'dev', source: '"dev"' }] });
    expect(parseListValue('- a\n- b')).toEqual({ items: [{ value: 'a', source: 'a' }, { value: 'b', source: 'b' }] });
    expect(parseListValue('')).toEqual({ items: [] });
    expect(parseListValue('[[a]]')).toHaveProperty('error');
  });
});

describe('env and arguments', () => {
  test('KPT_SET_ names are lower-cased and not otherwise mapped', () => {
    expect(setterValuesFromEnv({ KPT_SET_CLUSTER_NAME: 'a', 'KPT_SET_gcloud.core.project': 'p', KPT_SET_: 'x', OTHER: 'y' }).values).toEqual({
      cluster_name: 'a',
      'gcloud.core.project': 'p',
    });
  });

  test('NAME=VALUE splits at the first =, and refuses conflicting repeats', () => {
    expect(parseAssignments(['a=b=c', 'x=']).values).toEqual({ a: 'b=c', x: '' });
    expect(parseAssignments(['novalue', '=v']).problems).toHaveLength(2);
    expect(parseAssignments(['a=1', 'a=2']).problems[0].message).toMatch(/given twice/);
    expect(parseAssignments(['__proto__=1']).values.__proto__).toBe('1');
  });

  test('did-you-mean suggests only close names', () => {
    expect(closest('gcloud.core.projet', ['gcloud.core.project', 'cluster-name'])).toBe('gcloud.core.project');
    expect(closest('maxnodes', ['maxNodes'])).toBe('maxNodes');
    expect(closest('zzz', ['gcloud.core.project'])).toBeUndefined();
  });
});

describe('substitution patterns', () => {
  test('markers are replaced in one pass, so a value containing a later marker is kept', () => {
    const markers = [
      { marker: 'PROJECT_ID', value: 'asm-cluster-proj' },
      { marker: 'asm-cluster', value: 'c1' },
    ];
    expect(fillPattern('PROJECT_ID/asm-cluster', markers)).toBe('asm-cluster-proj/c1');
  });
});
