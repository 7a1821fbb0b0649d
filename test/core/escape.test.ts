// Each sink's escaping, exactly (src/core/text/escape.ts): what a reader sees for text that
// would otherwise act on the terminal, the CI log, Markdown, HTML or XML.
import { describe, expect, it } from 'vitest';
import * as sinks from '../../src/core/text/escape.ts';

describe('escapeTerminal', () => {
  it.each([
    ['a\nb\r\tc', 'a\\nb\\r\\tc'],
    ['\u001b[31mred', '\\u001b[31mred'],
    ['zw\u200bsp', 'zw\\u200bsp'],
    ['tag\udb40\udc41', 'tag\\u{e0041}'],
    ['ok \u00fc \ud83d\ude00', 'ok \u00fc \ud83d\ude00'],
    ['\u2028\u2029', '\\u2028\\u2029'],
    ['\ud800', '\\ud800'],
  ])('%j is written %j', (text, expected) => {
    expect(sinks.escapeTerminal(text)).toBe(expected);
  });
});

describe('escapeCiLog', () => {
  it.each([
    ['::error::x', ':\\:error:\\:x'],
    ['##vso[task]y', '#\\#vso[task]y'],
    ['##[group]z', '#\\#[group]z'],
    ['## heading', '## heading'],
    ['##abcdefghijklmnopq[x', '##abcdefghijklmnopq[x'],
    ['##abcdefghijklmnop[x', '#\\#abcdefghijklmnop[x'],
    ['a\n::b', 'a\\n:\\:b'],
  ])('%j is written %j', (text, expected) => {
    expect(sinks.escapeCiLog(text)).toBe(expected);
  });
});

describe('escapeCiLogLines', () => {
  it.each([['one::x\ntwo##vso[a]\n', 'one:\\:x\ntwo#\\#vso[a]\n']])(
    '%j is written %j',
    (text, expected) => {
      expect(sinks.escapeCiLogLines(text)).toBe(expected);
    },
  );
});

describe('escapeMarkdown', () => {
  it.each([
    ['# h', '\\# h'],
    ['- item', '\\- item'],
    ['+ x', '\\+ x'],
    ['= y', '\\= y'],
    ['12. n', '12\\. n'],
    ['3) n', '3\\) n'],
    ['  - indented', '  \\- indented'],
    ['a*b_c`d[e]f<g>h|i#j~k$l&m\\n', 'a\\*b\\_c\\`d\\[e\\]f\\<g\\>h\\|i\\#j\\~k\\$l\\&m\\\\n'],
    ['x\n\ny', 'x y'],
    ['1234567890. long', '1234567890. long'],
    ['plain 1.', 'plain 1.'],
  ])('%j is written %j', (text, expected) => {
    expect(sinks.escapeMarkdown(text)).toBe(expected);
  });
});

describe('escapeMarkdownCode', () => {
  it.each([
    ['a`b', "a'b"],
    ['x\r\ny', 'x y'],
  ])('%j is written %j', (text, expected) => {
    expect(sinks.escapeMarkdownCode(text)).toBe(expected);
  });
});

describe('flattenLines', () => {
  it.each([
    ['a  \n  b', 'a b'],
    ['a    b', 'a    b'],
    ['a\u2028b', 'a b'],
    ['a\tb', 'a\\tb'],
  ])('%j is written %j', (text, expected) => {
    expect(sinks.flattenLines(text)).toBe(expected);
  });
});

describe('escapeJsonForLog', () => {
  it.each([
    [
      '{"a":"x\\u0000::y##vso[z]","b":"\u200b"}',
      '{"a":"x\\u0000:\\u003ay#\\u0023vso[z]","b":"\\u200b"}',
    ],
    ['{\n\t"a": 1\r\n}', '{\n\t"a": 1\r\n}'],
    ['"\ud83d\ude00\udb40\udc41"', '"\ud83d\ude00\\udb40\\udc41"'],
  ])('%j is written %j', (text, expected) => {
    expect(sinks.escapeJsonForLog(text)).toBe(expected);
  });
});

describe('escapeHtml', () => {
  it.each([
    ['<a href="x">&\'</a>', '&lt;a href=&quot;x&quot;&gt;&amp;&#39;&lt;/a&gt;'],
    ['::x ##vso[y]', ':&#58;x #&#35;vso[y]'],
  ])('%j is written %j', (text, expected) => {
    expect(sinks.escapeHtml(text)).toBe(expected);
  });
});

describe('escapeXmlText', () => {
  it.each([
    ['a\u0000b<&>', 'a\ufffdb&lt;&amp;&gt;'],
    ['\ud800x', '\ufffdx'],
    ['\ufffe', '\ufffd'],
    ['::c', ':&#58;c'],
  ])('%j is written %j', (text, expected) => {
    expect(sinks.escapeXmlText(text)).toBe(expected);
  });
});

describe('escapeXmlAttribute', () => {
  it.each([
    ['a\nb"c\'d<e>&', 'a b&quot;c&apos;d&lt;e&gt;&amp;'],
    ['x\ty\rz', 'x y z'],
  ])('%j is written %j', (text, expected) => {
    expect(sinks.escapeXmlAttribute(text)).toBe(expected);
  });
});
