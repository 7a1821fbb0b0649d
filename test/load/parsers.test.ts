// The one parser registry (src/load/parsers.ts): a file's extension picks its parser.
import { describe, expect, it } from 'vitest';
import { CannotEvaluateError } from '../../src/core/errors.ts';
import { DEFAULT_PARSE_LIMITS, SourceError } from '../../src/load/parsed-document.ts';
import { knownExtensions, PARSERS, parserFor, requireParser } from '../../src/load/parsers.ts';

describe('the parser registry', () => {
  it('picks the parser by extension, whatever its case', () => {
    expect(PARSERS.map((p) => [p.format, p.extensions])).toEqual([
      ['json', ['.json']],
      ['yaml', ['.yaml', '.yml']],
    ]);
    expect(parserFor('release.json')?.format).toBe('json');
    expect(parserFor('a/b/release.YML')?.format).toBe('yaml');
    expect(parserFor('release.Yaml')?.format).toBe('yaml');
    expect(knownExtensions()).toBe('.json, .yaml and .yml');
  });

  it('gives the same located document from either parser', () => {
    const json = requireParser('x.json').parse('{"a": {"b": 1}}', DEFAULT_PARSE_LIMITS);
    const yaml = requireParser('x.yaml').parse('a:\n  b: 1\n', DEFAULT_PARSE_LIMITS);
    expect(json.value).toEqual({ a: { b: 1 } });
    expect(yaml.value).toEqual(json.value);
    expect(yaml.positions.get('/a/b')).toEqual({ line: 2, column: 3 });
    expect(() => requireParser('x.yaml').parse('a: 1\na: 2\n', DEFAULT_PARSE_LIMITS)).toThrow(
      SourceError,
    );
  });

  it('refuses an extension it has no parser for, in one line naming the known ones', () => {
    for (const name of ['x.toml', 'x', 'x.json.bak', '.yaml', 'x.\u202eyaml']) {
      expect(parserFor(name)).toBeUndefined();
      let thrown: unknown;
      try {
        requireParser(name);
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(CannotEvaluateError);
      expect((thrown as Error).message).not.toMatch(/[\n\u202e]/);
      expect((thrown as Error).message).toMatch(
        /: no parser for ".*" files; prodgate reads \.json, \.yaml and \.yml$/,
      );
    }
  });
});
