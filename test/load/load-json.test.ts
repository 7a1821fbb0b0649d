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
    ['trailing comma in an object', '{"a": 1,}', 'expected a quoted property name', 1, 9],
    ['trailing comma in an array', '[1,]', "unexpected character ']'", 1, 4],
    ['single quotes', "{'a': 1}", 'expected a quoted property name', 1, 2],
    ['unquoted key', '{a: 1}', 'expected a quoted property name', 1, 2],
    ['unterminated string', '{"a": "x', 'unterminated string', 1, 7],
    ['an unterminated key', '{"ab', 'unterminated string', 1, 2],
    ['a string that ends in a backslash', '"ab\\', 'unterminated string', 1, 1],
    ['raw control character in a string', '"a\u0001b"', 'control character in string', 1, 3],
    ['invalid escape', '"\\x41"', 'invalid escape in string', 1, 1],
    ['comment', '{"a": 1 /* c */}', "expected '}' but found '/'", 1, 9],
    ['empty document', '', 'unexpected end of file', 1, 1],
    ['missing value', '{"a": }', "unexpected character '}'", 1, 7],
    ['missing colon', '{"a" 1}', "expected ':' but found '1'", 1, 6],
    ['NaN', 'NaN', "unexpected character 'N'", 1, 1],
    ['bare minus', '-', "unexpected character '-'", 1, 1],
    ['leading zero', '01', 'unexpected content after the JSON value', 1, 2],
    ['unclosed object', '{"a": 1', "expected '}' but the file ended", 1, 8],
    ['items without a comma', '[1 2]', "expected ']' but found '2'", 1, 4],
    ['an error after a tab, CR LF and a space', '\t\r\n x', "unexpected character 'x'", 2, 2],
  ])('rejects %s with a parse-error at its position', (_name, text, message, line, column) => {
    const error = sourceError(() => parseJson(text, LIMITS));
    expect(error.code).toBe('parse-error');
    expect(error.message).toBe(message);
    expect(error.position).toEqual({ line, column });
    expect(error.pointer).toBe('');
  });

  it('rejects objects nested deeper than maxDepth, counting each object as a level', () => {
    const limits = { ...LIMITS, maxDepth: 3 };
    expect(parseJson('{"a": {"b": {"c": 1}}}', limits).value).toEqual({ a: { b: { c: 1 } } });
    const error = sourceError(() => parseJson('{"a": {"b": {"c": {"d": 1}}}}', limits));
    expect(error.code).toBe('limit-exceeded');
    expect(error.message).toBe('nesting deeper than 3 levels');
    expect(error.pointer).toBe('/a/b/c/d');
    expect(error.position).toEqual({ line: 1, column: 25 });
    // Mixed: objects and arrays count alike.
    expect(sourceError(() => parseJson('{"a": [{"b": [1]}]}', limits)).pointer).toBe('/a/0/b/0');
  });

  it('rejects a number literal longer than maxStringLength, located at the number', () => {
    const limits = { ...LIMITS, maxStringLength: 10 };
    expect(parseJson('{"n": -123456.78}', limits).value).toEqual({ n: -123456.78 });
    const error = sourceError(() => parseJson('{"n": 1234567890.5}', limits));
    expect(error.code).toBe('limit-exceeded');
    expect(error.message).toBe('number of 12 digits, over the 10-character limit');
    expect(error.pointer).toBe('/n');
    expect(error.position).toEqual({ line: 1, column: 7 });
  });

  it('rejects a string or key longer than maxStringLength, and accepts one at the limit', () => {
    const limits = { ...LIMITS, maxStringLength: 5 };
    expect(parseJson('{"abcde": "12345"}', limits).value).toEqual({ abcde: '12345' });
    const value = sourceError(() => parseJson('{"a": "123456"}', limits));
    expect(value.code).toBe('limit-exceeded');
    expect(value.message).toBe('string of 6 characters, over the 5-character limit');
    expect(value.pointer).toBe('/a');
    expect(value.position).toEqual({ line: 1, column: 7 });
    const key = sourceError(() => parseJson('{"x": {"abcdef": 1}}', limits));
    expect(key.message).toBe('key of 6 characters, over the 5-character limit');
    expect(key.pointer).toBe('/x');
  });

  it('accepts exactly maxNodes values and rejects one more, at the first value over', () => {
    const limits = { ...LIMITS, maxNodes: 10 };
    expect(parseJson(JSON.stringify([1, 2, 3, 4, 5, 6, 7, 8, 9]), limits).positions.size).toBe(10);
    const error = sourceError(() => parseJson('[1,2,3,4,5,6,7,8,9,10]', limits));
    expect(error.code).toBe('limit-exceeded');
    expect(error.message).toBe('more than 10 values');
    expect(error.position).toEqual({ line: 1, column: 20 });
  });

  it('rejects an inexact number and a lone surrogate with their own codes', () => {
    const inexact = sourceError(() => parseJson('{"n": 12345678901234567890}', LIMITS));
    expect(inexact.code).toBe('inexact-number');
    expect(inexact.pointer).toBe('/n');
    const surrogate = sourceError(() => parseJson('{"s": "\\ud800"}', LIMITS));
    expect(surrogate.code).toBe('not-unicode');
    expect(surrogate.pointer).toBe('/s');
    expect(surrogate.position).toEqual({ line: 1, column: 7 });
  });

  it('reads escapes, literals and whitespace of every kind', () => {
    const text = '\t{\r\n"a"\t:\r[true ,false, null,"\\"q\\"" ,0,-0.5,1E+2]}\n';
    expect(parseJson(text, LIMITS).value).toEqual({ a: [true, false, null, '"q"', 0, -0.5, 100] });
    expect(parseJson('{}', LIMITS).value).toEqual({});
    expect(parseJson('[ ]', LIMITS).value).toEqual([]);
    expect(parseJson('{ }', LIMITS).positions.get('')).toEqual({ line: 1, column: 1 });
  });

  it('locates a syntax error on its line and column', () => {
    const error = sourceError(() => parseJson('{\n  "a": 1,\n  "b": tru\n}', LIMITS));
    expect(error.position).toEqual({ line: 3, column: 8 });
  });
});
