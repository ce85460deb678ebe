import { describe, expect, it } from '@jest/globals';
import { controlCharacterProblems, MAX_INPUT_DEPTH } from '../../src/api/validate.js';

describe('the control-character check of every request part (#14)', () => {
  it('given a NUL in a nested field, when checked, then the field is named by its path', () => {
    expect(controlCharacterProblems({ form: { address: 'Bakı\u0000' } }, 'body')).toEqual([
      { field: 'form.address', message: 'must not contain control characters' },
    ]);
  });

  it('given C0, DEL and C1 characters in array items, when checked, then each item is named', () => {
    const found = controlCharacterProblems({ a: ['\u001b', '\u007f', '\u0085', 'ok'] }, 'body');
    expect(found.map((p) => p.field)).toEqual(['a.0', 'a.1', 'a.2']);
  });

  it('given tabs and line breaks in a written reason, when checked, then they are allowed', () => {
    expect(controlCharacterProblems({ reason: 'first line\r\nsecond\tline' }, 'body')).toEqual([]);
  });

  it('given Azerbaijani letters and emoji, when checked, then they are allowed', () => {
    expect(controlCharacterProblems({ name: 'Şəhriyar Ağayev 😀' }, 'body')).toEqual([]);
  });

  it('given a bare string part (a path parameter), when it has a NUL, then the part is named', () => {
    expect(controlCharacterProblems({ id: 'a\u0000' }, 'params')).toEqual([
      { field: 'id', message: 'must not contain control characters' },
    ]);
    expect(controlCharacterProblems('a\u0000', 'body')[0]?.field).toBe('body');
  });

  it('given a control character in a field name, when checked, then the name is refused, escaped', () => {
    expect(controlCharacterProblems({ 'a\u0000b': 1 }, 'body')).toEqual([
      { field: 'a\\u0000b', message: 'a field name must not contain control characters' },
    ]);
  });

  it('given an own "__proto__" field, when checked, then it is refused', () => {
    expect(controlCharacterProblems(JSON.parse('{"__proto__":{"x":1}}'), 'body')).toEqual([
      { field: '__proto__', message: 'field name not allowed' },
    ]);
  });

  it(`given nesting deeper than ${MAX_INPUT_DEPTH} levels, when checked, then it is refused without exhausting the stack`, () => {
    let deep: unknown = 'x';
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(controlCharacterProblems(deep, 'body')).toEqual([
      {
        field: Array(MAX_INPUT_DEPTH).fill(0).join('.'),
        message: `nested deeper than ${MAX_INPUT_DEPTH} levels`,
      },
    ]);
  });
});
