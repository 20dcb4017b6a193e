import { summariseValue } from '../../src/setters';

describe('summariseValue (the set change log)', () => {
  test('short values are shown as written, quotes included', () => {
    expect(summariseValue("'gcr.io/example/app:v1.0.0'")).toBe("'gcr.io/example/app:v1.0.0'");
    expect(summariseValue('x'.repeat(60))).toBe('x'.repeat(60));
  });

  test('longer than 60 characters: cut, ending in …', () => {
    const shown = summariseValue('y'.repeat(61));
    expect(shown).toBe(`${'y'.repeat(59)}…`);
    expect(shown).toHaveLength(60);
  });

  test('multi-line values: first line and the line count, whatever the YAML style', () => {
    expect(summariseValue('|\n    policy: enabled\n    template: |\n      a: 1\n')).toBe('policy: enabled (3 lines)');
    expect(summariseValue('"policy: enabled\\nalwaysInjectSelector: []\\ntemplate: x\\n"')).toBe('policy: enabled (3 lines)');
    expect(summariseValue('"policy: enabled\\n\\\n    \\  template: x"')).toBe('policy: enabled (2 lines)');
    expect(summariseValue(`|\n  ${'z'.repeat(100)}\n  b\n`)).toBe(`${'z'.repeat(59)}… (2 lines)`);
  });

  test('a one-line value written over several source lines is one line', () => {
    expect(summariseValue('"a long\n  folded value"')).toBe('"a long folded value"');
  });
});
