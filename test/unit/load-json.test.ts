import { describe, expect, it } from 'vitest';
import { parseJson } from '../../src/load/json-source.ts';
import { DEFAULT_PARSE_LIMITS } from '../../src/load/parsed-document.ts';
import { sourceError } from '../support/fixtures.ts';

const LIMITS = DEFAULT_PARSE_LIMITS;

describe('parseJson', () => {
  it('parses a document like JSON.parse does', () => {
    const text = '{"a": 1, "b": [true, false, null, -2.5e3, "x\\n\\u00e9"], "c": {}, "d": []}';
    expect(parseJson(text, LIMITS).value).toEqual(JSON.parse(text));
  });

  it('records the position of object members (at the key) and of array items', () => {
    const text = '{\n  "a": 1,\n  "b": [\n    10,\n    {"c": true}\n  ]\n}';
    const { positions } = parseJson(text, LIMITS);
    expect(positions.get('')).toEqual({ line: 1, column: 1 });
    expect(positions.get('/a')).toEqual({ line: 2, column: 3 });
    expect(positions.get('/b')).toEqual({ line: 3, column: 3 });
    expect(positions.get('/b/0')).toEqual({ line: 4, column: 5 });
    expect(positions.get('/b/1')).toEqual({ line: 5, column: 5 });
    expect(positions.get('/b/1/c')).toEqual({ line: 5, column: 6 });
    expect(positions.size).toBe(6);
  });

  it('escapes / and ~ in pointers (RFC 6901)', () => {
    const { positions } = parseJson('{"a/b": {"c~d": 1}}', LIMITS);
    expect(positions.get('/a~1b')).toEqual({ line: 1, column: 2 });
    expect(positions.get('/a~1b/c~0d')).toEqual({ line: 1, column: 10 });
  });

  it('rejects a duplicate key with code duplicate-key, its line, column and pointer', () => {
    const error = sourceError(() => parseJson('{"a": 1,\n "b": {"x": 1,\n   "x": 2}}', LIMITS));
    expect(error.code).toBe('duplicate-key');
    expect(error.position).toEqual({ line: 3, column: 4 });
    expect(error.pointer).toBe('/b/x');
    expect(error.message).toContain('"x"');
  });

  it('rejects documents nested deeper than maxDepth with limit-exceeded', () => {
    const limits = { ...LIMITS, maxDepth: 3 };
    expect(parseJson('[[[1]]]', limits).value).toEqual([[[1]]]);
    const error = sourceError(() => parseJson('[[[[1]]]]', limits));
    expect(error.code).toBe('limit-exceeded');
    expect(error.message).toMatch(/deeper than 3/);
  });

  it('rejects a very deep document under the default limits (no stack overflow)', () => {
    const depth = 100_000;
    const error = sourceError(() => parseJson('['.repeat(depth) + ']'.repeat(depth), LIMITS));
    expect(error.code).toBe('limit-exceeded');
  });

  it('rejects documents with more values than maxNodes', () => {
    const limits = { ...LIMITS, maxNodes: 10 };
    expect(() => parseJson(JSON.stringify([1, 2, 3, 4, 5, 6, 7, 8]), limits)).not.toThrow();
    const error = sourceError(() =>
      parseJson(JSON.stringify([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]), limits),
    );
    expect(error.code).toBe('limit-exceeded');
  });

  it('keeps __proto__ as an own property and never pollutes Object.prototype', () => {
    const { value, positions } = parseJson(
      '{"__proto__": {"polluted": true}, "constructor": {"prototype": {"polluted": true}}}',
      LIMITS,
    );
    const object = value as Record<string, unknown>;
    expect(Object.hasOwn(object, '__proto__')).toBe(true);
    expect(Object.keys(object)).toEqual(['__proto__', 'constructor']);
    expect(Object.getPrototypeOf(object)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(object, '__proto__')?.value).toEqual({ polluted: true });
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    expect((Object.prototype as Record<string, unknown>)['polluted']).toBeUndefined();
    expect(positions.get('/__proto__/polluted')).toEqual({ line: 1, column: 16 });
  });

  it('rejects trailing garbage after the value, at its position', () => {
    const error = sourceError(() => parseJson('{"a": 1}\n  x', LIMITS));
    expect(error.code).toBe('parse-error');
    expect(error.position).toEqual({ line: 2, column: 3 });
    expect(error.message).toMatch(/after the JSON value/);
    // whitespace after the value is fine
    expect(parseJson('{"a": 1}\n\n  \t\n', LIMITS).value).toEqual({ a: 1 });
  });

  it.each([
    ['trailing comma in an object', '{"a": 1,}'],
    ['trailing comma in an array', '[1,]'],
    ['single quotes', "{'a': 1}"],
    ['unquoted key', '{a: 1}'],
    ['unterminated string', '{"a": "x'],
    ['raw control character in a string', '"a\u0001b"'],
    ['invalid escape', '"\\x41"'],
    ['comment', '{"a": 1 /* c */}'],
    ['empty document', ''],
    ['missing value', '{"a": }'],
    ['NaN', 'NaN'],
    ['bare minus', '-'],
    ['leading zero', '01'],
    ['unclosed object', '{"a": 1'],
  ])('rejects %s with a parse-error', (_name, text) => {
    const error = sourceError(() => parseJson(text, LIMITS));
    expect(error.code).toBe('parse-error');
    expect(error.position.line).toBeGreaterThanOrEqual(1);
    expect(error.position.column).toBeGreaterThanOrEqual(1);
  });

  it('locates a syntax error on its line and column', () => {
    const error = sourceError(() => parseJson('{\n  "a": 1,\n  "b": tru\n}', LIMITS));
    expect(error.position).toEqual({ line: 3, column: 8 });
  });
});
