import { escapeControls, escapeControlsPerLine, unsafeCharacter } from '../../src/util/text';

describe('escapeControls', () => {
  test('terminal controls, C1, bidi and invisible characters become \\uXXXX; other text is kept', () => {
    expect(escapeControls('a\u001b[2Jb\u009b31mc\u202ed\u2066e\u200bf\u00a0g\th\ni é中文😀 ok')).toBe(
      'a\\u001b[2Jb\\u009b31mc\\u202ed\\u2066e\\u200bf\\u00a0g\\u0009h\\u000ai é中文😀 ok',
    );
  });

  test('the result holds none of the characters it escapes, and a JSON reader reads the same string', () => {
    const nasty = 'x\u0000\u0007\u001b\u007f\u0085\u200e\u2028\u2029\ufeff\u3000\u{F0000}y';
    const escaped = escapeControls(nasty);
    expect(escaped).toMatch(/^[\x20-\x7e]+$/);
    expect(JSON.parse(`"${escaped}"`)).toBe(nasty);
  });

  test('per line: line breaks kept, everything else escaped', () => {
    expect(escapeControlsPerLine('a\u001b\nb\u202e')).toBe('a\\u001b\nb\\u202e');
  });
});

describe('unsafeCharacter', () => {
  test.each([
    ['right-to-left override', 'admin\u202e@example.com', 'U+202E at character 6'],
    ['non-breaking space', 'gcr.io/x\u00a0', 'U+00A0 at character 9'],
    ['zero-width space', 'asm\u200bgke', 'U+200B at character 4'],
    ['ideographic space', 'a\u3000b', 'U+3000 at character 2'],
    ['C1 control', 'a\u0085', 'U+0085 at character 2'],
    ['escape', 'a\u001b', 'U+001B at character 2'],
    ['Hangul filler', 'a\u3164', 'U+3164 at character 2'],
  ])('%s is found', (_name, value, found) => {
    expect(unsafeCharacter(value)).toBe(found);
  });

  test('ordinary text, ASCII spaces and letters of any script pass; newlines only when allowed', () => {
    expect(unsafeCharacter('Société Générale 東京 😀 a-b_c.d')).toBeUndefined();
    expect(unsafeCharacter('a\nb')).toBe('U+000A at character 2');
    expect(unsafeCharacter('a\nb\tc', { allowNewlines: true })).toBeUndefined();
  });
});
