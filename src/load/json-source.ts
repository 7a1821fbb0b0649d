import { joinPointer } from '../core/json-pointer.js';
import type { EvidenceFindingCode } from '../core/finding.js';
import { LineIndex } from '../core/line-index.js';
import { numberProblem } from './numbers.js';
import {
  defineMember,
  SourceError,
  type ParsedDocument,
  type ParseLimits,
} from './parsed-document.js';
import { characterAt, hasLoneSurrogate, loneSurrogateProblem } from './unicode.js';

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;

/**
 * A strict JSON parser that records where every value starts and, unlike JSON.parse
 * (which keeps the last of duplicate keys), rejects duplicate keys. `__proto__` and
 * friends become plain own properties.
 */
export function parseJson(text: string, limits: ParseLimits): ParsedDocument {
  const lines = new LineIndex(text);
  const offsets = new Map<string, number>();
  let i = 0;

  const fail = (
    message: string,
    at = i,
    pointer = '',
    code: EvidenceFindingCode = 'parse-error',
  ): never => {
    throw new SourceError(message, lines.at(at), pointer, code);
  };

  const skipSpace = (): void => {
    while (i < text.length) {
      const c = text.charCodeAt(i);
      if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) i++;
      else break;
    }
  };

  const expect = (ch: string): void => {
    if (text[i] !== ch)
      fail(
        i < text.length
          ? `expected '${ch}' but found '${characterAt(text, i)}'`
          : `expected '${ch}' but the file ended`,
      );
    i++;
  };

  const readString = (pointer: string, what: 'key' | 'string'): string => {
    const start = i;
    i++; // opening quote
    while (i < text.length) {
      const c = text.charCodeAt(i);
      if (c === 0x5c) i += 2;
      else if (c === 0x22) break;
      else if (c < 0x20) fail('control character in string');
      else i++;
    }
    if (i >= text.length) fail('unterminated string', start);
    i++; // closing quote
    let value: string;
    try {
      value = JSON.parse(text.slice(start, i)) as string;
    } catch {
      return fail('invalid escape in string', start);
    }
    // A key's own pointer would carry the bad string: a key is located by its object.
    if (hasLoneSurrogate(value))
      fail(loneSurrogateProblem(value, what), start, pointer, 'not-unicode');
    if (value.length > limits.maxStringLength) {
      fail(
        `${what} of ${value.length} characters, over the ${limits.maxStringLength}-character limit`,
        start,
        pointer,
        'limit-exceeded',
      );
    }
    return value;
  };

  const readValue = (pointer: string, depth: number): unknown => {
    skipSpace();
    if (depth > limits.maxDepth)
      fail(`nesting deeper than ${limits.maxDepth} levels`, i, pointer, 'limit-exceeded');
    if (!offsets.has(pointer)) {
      offsets.set(pointer, i);
      // As soon as it is crossed: a 1 MB file holds 500,000 values.
      if (offsets.size > limits.maxNodes)
        fail(`more than ${limits.maxNodes} values`, i, '', 'limit-exceeded');
    }
    const c = text[i];
    if (c === '{') return readObject(pointer, depth);
    if (c === '[') return readArray(pointer, depth);
    if (c === '"') return readString(pointer, 'string');
    for (const [word, value] of [
      ['true', true],
      ['false', false],
      ['null', null],
    ] as const) {
      if (text.startsWith(word, i)) {
        i += word.length;
        return value;
      }
    }
    NUMBER.lastIndex = i;
    const m = NUMBER.exec(text);
    if (m) {
      const literal = m[0];
      if (literal.length > limits.maxStringLength)
        fail(
          `number of ${literal.length} digits, over the ${limits.maxStringLength}-character limit`,
          i,
          pointer,
          'limit-exceeded',
        );
      const value = Number(literal);
      const problem = numberProblem(literal, value);
      if (problem) fail(`number ${problem}`, i, pointer, 'inexact-number');
      i += literal.length;
      return value;
    }
    return fail(
      i < text.length ? `unexpected character '${characterAt(text, i)}'` : 'unexpected end of file',
    );
  };

  const readObject = (pointer: string, depth: number): Record<string, unknown> => {
    const result: Record<string, unknown> = {};
    i++;
    skipSpace();
    if (text[i] === '}') {
      i++;
      return result;
    }
    for (;;) {
      skipSpace();
      if (text[i] !== '"') fail('expected a quoted property name');
      const keyAt = i;
      const key = readString(pointer, 'key');
      const child = joinPointer(pointer, key);
      if (Object.hasOwn(result, key)) fail(`duplicate key "${key}"`, keyAt, child, 'duplicate-key');
      offsets.set(child, keyAt);
      skipSpace();
      expect(':');
      defineMember(result, key, readValue(child, depth + 1));
      skipSpace();
      if (text[i] === ',') {
        i++;
        continue;
      }
      expect('}');
      return result;
    }
  };

  const readArray = (pointer: string, depth: number): unknown[] => {
    const result: unknown[] = [];
    i++;
    skipSpace();
    if (text[i] === ']') {
      i++;
      return result;
    }
    for (;;) {
      result.push(readValue(joinPointer(pointer, result.length), depth + 1));
      skipSpace();
      if (text[i] === ',') {
        i++;
        continue;
      }
      expect(']');
      return result;
    }
  };

  const value = readValue('', 0);
  skipSpace();
  if (i < text.length) fail('unexpected content after the JSON value');

  const positions = new Map([...offsets].map(([pointer, offset]) => [pointer, lines.at(offset)]));
  return { value, positions };
}
