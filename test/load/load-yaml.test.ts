import { describe, expect, it } from 'vitest';
import { DEFAULT_PARSE_LIMITS } from '../../src/load/parsed-document.ts';
import { parseYaml } from '../../src/load/yaml-source.ts';
import { sourceError } from '../support/fixtures.ts';
import { INSTRUMENTED_SLOWDOWN } from '../support/mutation-run.ts';

const LIMITS = DEFAULT_PARSE_LIMITS;

describe('parseYaml: YAML 1.2 core schema', () => {
  it('keeps dates, NO, on, yes and off as strings; true/false/null/numbers as in the core schema', () => {
    const { value } = parseYaml(
      [
        'date: 2025-01-01',
        'country: NO',
        'flag: on',
        'answer: yes',
        'off: off',
        'y: y',
        't: true',
        'f: false',
        'n: ~',
        'i: 42',
        'x: 0x1F',
        'fl: 1.5',
        'time: 12:30:00',
      ].join('\n'),
      LIMITS,
    );
    expect(value).toEqual({
      date: '2025-01-01',
      country: 'NO',
      flag: 'on',
      answer: 'yes',
      off: 'off',
      y: 'y',
      t: true,
      f: false,
      n: null,
      i: 42,
      x: 31,
      fl: 1.5,
      time: '12:30:00',
    });
  });

  it('does not merge `<<` keys: they stay a plain key', () => {
    const { value } = parseYaml('base: &b\n  x: 1\nderived:\n  <<: *b\n  y: 2\n', LIMITS);
    const derived = (value as { derived: Record<string, unknown> }).derived;
    expect(Object.keys(derived)).toEqual(['<<', 'y']);
    expect(derived['x']).toBeUndefined();
    expect(derived['<<']).toEqual({ x: 1 });
  });

  it('rejects duplicate keys with code duplicate-key and the line of the duplicate', () => {
    const error = sourceError(() => parseYaml('a: 1\nb:\n  c: 1\n  d: 2\n  c: 3\n', LIMITS));
    expect(error.code).toBe('duplicate-key');
    expect(error.position.line).toBe(5);
  });

  it.each([
    ['!!binary', 'x: !!binary aGVsbG8=\n'],
    ['!!timestamp', 'x: !!timestamp 2025-01-01\n'],
    ['!!set', 'x: !!set {a, b}\n'],
    ['a local tag', 'x: !custom value\n'],
    ['!!js/function', 'x: !!js/function "function () {}"\n'],
  ])('rejects an unknown tag (%s)', (_name, text) => {
    const error = sourceError(() => parseYaml(text, LIMITS));
    expect(error.code).toBe('parse-error');
    expect(error.message).toMatch(/unknown tag/);
    expect(error.position.line).toBe(1);
  });

  it('rejects a billion-laughs alias bomb with limit-exceeded', () => {
    const lines = ['a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]'];
    for (const [name, prev] of [
      ['b', 'a'],
      ['c', 'b'],
      ['d', 'c'],
      ['e', 'd'],
      ['f', 'e'],
      ['g', 'f'],
      ['h', 'g'],
      ['i', 'h'],
    ]) {
      lines.push(`${name}: &${name} [${Array(9).fill(`*${prev}`).join(', ')}]`);
    }
    const started = Date.now();
    const error = sourceError(() => parseYaml(`${lines.join('\n')}\n`, LIMITS));
    expect(error.code).toBe('limit-exceeded');
    expect(Date.now() - started).toBeLessThan(5_000 * INSTRUMENTED_SLOWDOWN);
  });

  it('accepts a few aliases well under the node limit', () => {
    const { value } = parseYaml('a: &a [1, 2]\nb: *a\nc: *a\n', LIMITS);
    expect(value).toEqual({ a: [1, 2], b: [1, 2], c: [1, 2] });
  });

  it('rejects nesting deeper than maxDepth with limit-exceeded', () => {
    const lines = ['a:'];
    for (let i = 1; i <= 70; i++) lines.push(`${'  '.repeat(i)}k:`);
    const error = sourceError(() => parseYaml(`${lines.join('\n')} 1\n`, LIMITS));
    expect(error.code).toBe('limit-exceeded');
    // and a small explicit limit applies too
    expect(sourceError(() => parseYaml('a: [[[[1]]]]\n', { ...LIMITS, maxDepth: 3 })).code).toBe(
      'limit-exceeded',
    );
    expect(parseYaml('a: [[1]]\n', { ...LIMITS, maxDepth: 3 }).value).toEqual({ a: [[1]] });
  });

  it('keeps __proto__ an own property without polluting Object.prototype', () => {
    const { value } = parseYaml('__proto__:\n  polluted: true\n', LIMITS);
    expect(Object.hasOwn(value, '__proto__')).toBe(true);
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });

  it('records the line and column of nested keys and sequence items', () => {
    const text = [
      '# a comment line',
      'kind: x',
      'outer:',
      '  inner: 1',
      '  list:',
      '    - a',
      '    - key: v',
      '      other: w',
      '    -   # comment before the item',
      '      deep: [1, {z: 2}]',
      'flow: {a: 1, b: [1, 2]}',
      '',
    ].join('\n');
    const { value, positions } = parseYaml(text, LIMITS);
    expect((value as { outer: { list: unknown[] } }).outer.list).toHaveLength(3);
    expect(positions.get('/kind')).toEqual({ line: 2, column: 1 });
    expect(positions.get('/outer')).toEqual({ line: 3, column: 1 });
    expect(positions.get('/outer/inner')).toEqual({ line: 4, column: 3 });
    expect(positions.get('/outer/list')).toEqual({ line: 5, column: 3 });
    expect(positions.get('/outer/list/0')).toEqual({ line: 6, column: 7 });
    expect(positions.get('/outer/list/1')).toEqual({ line: 7, column: 7 });
    expect(positions.get('/outer/list/1/key')).toEqual({ line: 7, column: 7 });
    expect(positions.get('/outer/list/1/other')).toEqual({ line: 8, column: 7 });
    expect(positions.get('/outer/list/2/deep')).toEqual({ line: 10, column: 7 });
    expect(positions.get('/outer/list/2/deep/1')).toEqual({ line: 10, column: 17 });
    expect(positions.get('/outer/list/2/deep/1/z')).toEqual({ line: 10, column: 18 });
    expect(positions.get('/flow/a')).toEqual({ line: 11, column: 8 });
    expect(positions.get('/flow/b/1')).toEqual({ line: 11, column: 21 });
  });

  it('locates the keys of a real evidence file', () => {
    const text = [
      '# yaml-language-server: $schema=../../schemas/evidence/security.v1.schema.json',
      'kind: security',
      'schemaVersion: 1',
      'cors:',
      '  allowCredentials: true',
      '  trustedOrigins:',
      '    - https://app.todox.example',
      '    - "https://*.preview.todox.example"',
      '',
    ].join('\n');
    const { positions } = parseYaml(text, LIMITS);
    expect(positions.get('/cors/trustedOrigins')).toEqual({ line: 6, column: 3 });
    expect(positions.get('/cors/trustedOrigins/1')).toEqual({ line: 8, column: 7 });
  });

  it('reports a syntax error at its line', () => {
    const error = sourceError(() => parseYaml('a: 1\nb: [1, 2\nc: 3\n', LIMITS));
    expect(error.code).toBe('parse-error');
    expect(error.position.line).toBeGreaterThanOrEqual(2);
    const bad = sourceError(() => parseYaml('a: 1\n  b: 2\n', LIMITS));
    expect(bad.position.line).toBe(2);
  });

  it('gives an empty document no value (null) and a root position', () => {
    const { value, positions } = parseYaml('# only a comment\n', LIMITS);
    expect(value ?? null).toBeNull();
    expect(positions.get('')).toBeDefined();
    expect(positions.size).toBe(1);
  });
});
