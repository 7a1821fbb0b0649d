// Faults found by replaying public bug reports against prodgate (issue 10): positions
// under every YAML 1.2 line break and in multi-document streams, strings that are not
// Unicode (lone surrogates from escapes), file names that are not UTF-8 or hold control
// characters, and https links without a host. Each example of the issue is a case here,
// with more cases of the same kind beside it.
import { readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { resolveLink } from '../../src/evaluate/links.ts';
import { checkFileName } from '../../src/load/file-name.ts';
import { parseJson } from '../../src/load/json-source.ts';
import { loadBundle } from '../../src/load/load-bundle.ts';
import { LineIndex } from '../../src/core/line-index.ts';
import { loneSurrogatePointer } from '../../src/load/unicode.ts';
import { DEFAULT_PARSE_LIMITS } from '../../src/load/parsed-document.ts';
import { parseYaml } from '../../src/load/yaml-source.ts';
import {
  cleanupTmp,
  copyEvidence,
  evaluateDir,
  manifestGates,
  REPO_ROOT,
  runCli,
  STACK_TRACE,
} from '../support/helpers.ts';
import { sourceError } from '../support/fixtures.ts';

afterAll(cleanupTmp);

const LIMITS = DEFAULT_PARSE_LIMITS;
const LINE_ENDS = { LF: '\n', CRLF: '\r\n', CR: '\r' } as const;
const withEnds = (text: string, end: string): string => text.replace(/\n/g, end);

/** True when a string holds a UTF-16 surrogate without its partner. */
const loneSurrogate = (text: string): boolean => /\p{Cs}/u.test(text);

describe('positions under YAML 1.2 line breaks (LF, CRLF, lone CR)', () => {
  it('locates a schema violation in prod security.yaml at line 17 whatever the line ends (was 1:688 with CR)', async () => {
    const original = await readFile(join(REPO_ROOT, 'evidence/prod/security.yaml'), 'utf8');
    const edited = original.replace('allowCredentials: true', 'allowCredentials: maybe');
    expect(edited.split('\n')[16]).toBe('  allowCredentials: maybe');
    for (const [name, end] of Object.entries(LINE_ENDS)) {
      const dir = await copyEvidence('prod');
      await writeFile(join(dir, 'security.yaml'), withEnds(edited, end));
      const run = await runCli(['validate', '--env', 'prod', '--evidence', dir]);
      expect(run.exitCode, name).toBe(1);
      expect(run.stdout + run.stderr, name).toMatch(
        /security\.yaml:17:3: error: must be boolean \(at \/cors\/allowCredentials\)/,
      );
    }
  });

  it('counts a CRLF pair as one break and a lone CR as one', () => {
    const index = new LineIndex('a\r\nb\rc\nd\r\r\ne');
    expect([0, 3, 5, 7, 9, 11].map((o) => index.at(o))).toEqual([
      { line: 1, column: 1 },
      { line: 2, column: 1 },
      { line: 3, column: 1 },
      { line: 4, column: 1 },
      { line: 5, column: 1 },
      { line: 6, column: 1 },
    ]);
  });

  for (const [name, end] of Object.entries(LINE_ENDS)) {
    it(`YAML with ${name}: values, parse errors and comments are located on their own line`, () => {
      const text = withEnds(
        '# head\nkind: x\n# a comment\nlist:\n  - a\n  - "b"\nlast: [1, 2]\n',
        end,
      );
      const { positions } = parseYaml(text, LIMITS);
      expect(positions.get('/kind')).toEqual({ line: 2, column: 1 });
      expect(positions.get('/list/1')).toEqual({ line: 6, column: 5 });
      expect(positions.get('/last/1')).toEqual({ line: 7, column: 11 });
      const broken = sourceError(() =>
        parseYaml(withEnds('kind: x\nb: 1\nc: [1,\nd: "\n', end), LIMITS),
      );
      expect(broken.position.line).toBeGreaterThanOrEqual(3);
      const duplicate = sourceError(() =>
        parseYaml(withEnds('kind: x\nb: 1\nb: 2\n', end), LIMITS),
      );
      expect(duplicate.position.line, 'duplicate key').toBe(3);
    });

    it(`JSON with ${name}: values and parse errors are located on their own line`, () => {
      const text = withEnds('{\n  "kind": "x",\n  "list": [\n    1,\n    2\n  ]\n}\n', end);
      const { positions } = parseJson(text, LIMITS);
      expect(positions.get('/kind')).toEqual({ line: 2, column: 3 });
      expect(positions.get('/list/1')).toEqual({ line: 5, column: 5 });
      const broken = sourceError(() =>
        parseJson(withEnds('{\n  "kind": "x",\n  "n": tru\n}\n', end), LIMITS),
      );
      expect(broken.position).toEqual({ line: 3, column: 8 });
    });
  }

  it('locates a NUL byte on its line under CR line ends', async () => {
    const dir = await copyEvidence('prod');
    await writeFile(join(dir, 'security.yaml'), 'kind: security\rschemaVersion: 1\rx: "a\u0000"\r');
    const file = (await loadBundle(dir)).files.find((f) => f.path === 'security.yaml');
    expect(file?.diagnostics[0]).toMatchObject({
      line: 3,
      column: 6,
      message: expect.stringMatching(/NUL byte/),
    });
  });
});

describe('a second YAML document is reported where it starts', () => {
  const cases: [string, string, number][] = [
    ['a --- marker after the first document', 'kind: x\nschemaVersion: 1\n---\nkind: y\n', 3],
    ['an explicit first document', '---\nkind: x\n---\nkind: y\n', 3],
    [
      'a marker with a comment and a tag after comments',
      '# c\n---\nkind: x\n\n# second\n--- !!map # two\nkind: y\n',
      6,
    ],
    ['an empty second document', 'kind: x\nb: 1\n---\n', 3],
    ['a ... end marker then content', 'kind: x\n...\nkind: y\n', 3],
    ['CR line ends', 'kind: x\rb: 1\r---\rkind: y\r', 3],
    ['CRLF line ends', 'kind: x\r\nb: 1\r\n---\r\nkind: y\r\n', 3],
    ['a block scalar before the marker', 'kind: x\nnote: |\n  text\n  more\n---\nkind: y\n', 5],
  ];
  for (const [name, text, line] of cases) {
    it(name, () => {
      const error = sourceError(() => parseYaml(text, LIMITS));
      expect(error.message).toMatch(/second YAML document/);
      expect(error.position).toEqual({ line, column: 1 });
    });
  }

  it('JSON: a second value (concatenated JSON, JSON Lines) is located where it starts, under any line ends', () => {
    for (const end of Object.values(LINE_ENDS)) {
      const error = sourceError(() =>
        parseJson(withEnds('{\n  "kind": "x"\n}\n\n{"kind": "y"}\n', end), LIMITS),
      );
      expect(error.message).toMatch(/unexpected content after the JSON value/);
      expect(error.position).toEqual({ line: 5, column: 1 });
    }
  });

  it('an evidence file with a second document is located at it through the CLI', async () => {
    const dir = await copyEvidence('prod');
    const original = await readFile(join(dir, 'ops.yaml'), 'utf8');
    const lines = original.split('\n').length;
    await writeFile(join(dir, 'ops.yaml'), `${original}---\nkind: ops\n`);
    const run = await runCli(['validate', '--env', 'prod', '--evidence', dir]);
    expect(run.stdout + run.stderr).toMatch(
      new RegExp(`ops\\.yaml:${lines}:1: error: a second YAML document starts here`),
    );
  });
});

describe('strings that are not Unicode (lone surrogates from escapes) are refused at load', () => {
  const yamlCases: [string, string, string, number][] = [
    ['a \\u escape in a double-quoted value', 'kind: x\nv: "restarts \\ud83d"\n', '/v', 2],
    ['a low surrogate alone', 'kind: x\nv: "\\udc00"\n', '/v', 2],
    ['a \\U escape', 'kind: x\nv: "\\U0000D83D"\n', '/v', 2],
    ['a reversed pair', 'kind: x\nlist:\n  - ok\n  - "\\ude00\\ud83d"\n', '/list/1', 4],
    ['in a key', 'kind: x\nouter:\n  "k\\ud800": 1\n', '/outer', 2],
    ['in a flow sequence', 'kind: x\nv: [a, "\\udfff"]\n', '/v/1', 2],
    ['through an alias', 'kind: x\na: &s "\\ud83d"\nb: *s\n', '/a', 2],
  ];
  for (const [name, text, pointer, line] of yamlCases) {
    it(`YAML: ${name}`, () => {
      const error = sourceError(() => parseYaml(text, LIMITS));
      expect(error.code).toBe('not-unicode');
      expect(error.pointer).toBe(pointer);
      expect(error.position.line).toBe(line);
      expect(loneSurrogate(error.message) || loneSurrogate(error.pointer)).toBe(false);
    });
  }

  const jsonCases: [string, string, string][] = [
    ['a value', '{"kind": "x", "v": "restarts \\ud83d"}', '/v'],
    ['a key', '{"kind": "x", "o": {"\\udc00k": 1}}', '/o'],
    ['a reversed pair in a list', '{"kind": "x", "l": ["ok", "\\udc00\\ud83d"]}', '/l/1'],
    [
      'a high surrogate at the end of a long string',
      `{"kind": "x", "v": "${'a'.repeat(500)}\\udbff"}`,
      '/v',
    ],
  ];
  for (const [name, text, pointer] of jsonCases) {
    it(`JSON: ${name}`, () => {
      const error = sourceError(() => parseJson(text, LIMITS));
      expect(error.code).toBe('not-unicode');
      expect(error.pointer).toBe(pointer);
      expect(loneSurrogate(error.message)).toBe(false);
    });
  }

  it('the last check before OPA finds any string or key that is not Unicode, by pointer, without quoting it', () => {
    expect(loneSurrogatePointer({ a: ['ok', { 'b/c': 'x\ud83d' }] })).toBe('/a/1/b~1c');
    expect(loneSurrogatePointer({ a: { 'k\udc00': 1 } })).toBe('/a/<key>');
    expect(loneSurrogatePointer({ a: ['😀', { b: 'é' }], n: 1, z: null })).toBeUndefined();
  });

  // js-yaml turns \U0401F600 into U+1F600 without a word (attack on issue 10).
  const escapeCases: [string, string, number, number][] = [
    ['just above the last code point', 'kind: x\nv: "\\U00110000"\n', 2, 5],
    ['an emoji with a high digit', 'kind: x\nv: "ok \\U0401F600"\n', 2, 8],
    ['the largest escape', 'kind: x\nv: "\\UFFFFFFFF"\n', 2, 5],
    ['after a tag and an anchor', 'kind: x\nv: !!str &a "\\U00110000"\n', 2, 14],
    ['in a key', 'kind: x\n"k\\U0401F600": 1\n', 2, 3],
    ['in a flow sequence after an escaped quote', 'kind: x\nv: [a, "x\\"\\U0401F600"]\n', 2, 12],
    ['on a continuation line', 'kind: x\nv: "a\n  \\U0401F600"\n', 3, 3],
  ];
  for (const [name, text, line, column] of escapeCases) {
    it(`YAML: a \\U escape above U+10FFFF is refused at its place (${name})`, () => {
      const error = sourceError(() => parseYaml(text, LIMITS));
      expect(error.code).toBe('not-unicode');
      expect(error.message).toMatch(/names no Unicode character/);
      expect(error.position).toEqual({ line, column });
    });
  }

  it('YAML: the last code point, escaped backslashes and quotes of other styles stay as written', () => {
    expect(parseYaml('v: "\\U0010FFFF"\n', LIMITS).value).toEqual({ v: '\u{10FFFF}' });
    expect(parseYaml('v: "a\\\\U0401F600"\n', LIMITS).value).toEqual({ v: 'a\\U0401F600' });
    expect(parseYaml("v: 'a\\U0401F600'\n", LIMITS).value).toEqual({ v: 'a\\U0401F600' });
    expect(parseYaml('v: a"\\U0401F600"\n', LIMITS).value).toEqual({ v: 'a"\\U0401F600"' });
    expect(parseYaml('v: |\n  "\\U0401F600"\n', LIMITS).value).toEqual({ v: '"\\U0401F600"\n' });
  });

  it('keeps complete surrogate pairs (an emoji written as an escape)', () => {
    expect(parseYaml('v: "\\ud83d\\ude00"\n', LIMITS).value).toEqual({ v: '😀' });
    expect(parseJson('{"v": "\\ud83d\\ude00"}', LIMITS).value).toEqual({ v: '😀' });
  });

  it('never quotes half of a pair in a parse error', () => {
    const error = sourceError(() => parseJson('{"a": 😀}', LIMITS));
    expect(loneSurrogate(error.message)).toBe(false);
  });

  it('topology.yaml with restartBehavior "... \\ud83d": a located diagnostic, topology gates error, every other gate evaluated', async () => {
    const dir = await copyEvidence('prod');
    const path = join(dir, 'topology.yaml');
    const original = await readFile(path, 'utf8');
    const edited = original.replace(
      /restartBehavior: .*/,
      'restartBehavior: "systemd restarts the runner \\ud83d"',
    );
    expect(edited).not.toBe(original);
    await writeFile(path, edited);
    const line = edited.split('\n').findIndex((l) => l.includes('restartBehavior')) + 1;

    const validate = await runCli(['validate', '--env', 'prod', '--evidence', dir]);
    expect(validate.exitCode).toBe(1);
    expect(validate.stdout + validate.stderr).toMatch(
      new RegExp(
        `topology\\.yaml:${line}:\\d+: error: string holds a lone surrogate .*\\[not-unicode\\]`,
      ),
    );

    const { exitCode, stdout, stderr, report } = await evaluateDir(dir, 'prod', [
      '--no-ci-context',
    ]);
    expect(exitCode).toBe(1);
    expect(stdout + stderr).not.toMatch(/illegal string escape|policy evaluation failed/);
    expect(stderr).not.toMatch(STACK_TRACE);
    expect(report.diagnostics).toContainEqual(
      expect.objectContaining({
        file: 'topology.yaml',
        code: 'not-unicode',
        line,
        pointer: expect.stringMatching(/restartBehavior$/),
      }),
    );
    const readsTopology = new Set(
      (await manifestGates()).filter((g) => g.evidence.includes('topology')).map((g) => g.id),
    );
    expect(readsTopology.size).toBeGreaterThan(0);
    for (const gate of report.gates) {
      if (readsTopology.has(gate.id)) expect(gate.status, gate.id).toBe('error');
      else expect(gate.status, gate.id).not.toBe('error');
    }
    expect(loneSurrogate(JSON.stringify(report))).toBe(false);
  });

  it('a JSON evidence file with a lone surrogate in a key: located, and the policy still runs', async () => {
    const dir = await copyEvidence('prod');
    await writeFile(
      join(dir, 'extra.json'),
      '{\n  "kind": "extra",\n  "notes": {\n    "a\\ud83d": "x"\n  }\n}\n',
    );
    const { report, stdout, stderr } = await evaluateDir(dir, 'prod', ['--no-ci-context']);
    expect(stdout + stderr).not.toMatch(/illegal string escape|policy evaluation failed/);
    expect(report.diagnostics).toContainEqual(
      expect.objectContaining({
        file: 'extra.json',
        code: 'not-unicode',
        line: 4,
        pointer: '/notes',
      }),
    );
    expect(report.gates.filter((g) => g.status === 'error')).toEqual([]);
  });
});

describe('file names', () => {
  const latin1 = Buffer.concat([
    Buffer.from('topolog'),
    Buffer.from([0xed]),
    Buffer.from('a.yaml'),
  ]);

  it('topolog\\xEDa.yaml (Latin-1): says the name is not UTF-8, not that the file is missing', async () => {
    const dir = await copyEvidence('prod');
    await rename(join(dir, 'topology.yaml'), Buffer.concat([Buffer.from(`${dir}/`), latin1]));
    const run = await runCli(['validate', '--env', 'prod', '--evidence', dir]);
    const out = run.stdout + run.stderr;
    expect(run.exitCode).toBe(1);
    expect(out).toMatch(
      /topolog\\xEDa\.yaml:1:1: error: the file name is not valid UTF-8 \(byte 0xED at byte 8;.*\[invalid-file-name\]/,
    );
    expect(out).not.toMatch(/does not exist|broken symbolic link|\ufffd/);
  });

  const refused: [string, Buffer, RegExp, string][] = [
    ['a Latin-1 byte', latin1, /not valid UTF-8/, 'topolog\\xEDa.yaml'],
    [
      'a truncated UTF-8 sequence',
      Buffer.from([0x61, 0xe2, 0x82, 0x2e, 0x79, 0x61, 0x6d, 0x6c]),
      /not valid UTF-8/,
      'a\\xE2\\x82.yaml',
    ],
    [
      'an overlong encoding of /',
      Buffer.from([0x61, 0xc0, 0xaf, 0x2e, 0x6a, 0x73, 0x6f, 0x6e]),
      /not valid UTF-8/,
      'a\\xC0\\xAF.json',
    ],
    [
      'a CESU-8 surrogate',
      Buffer.from([0x61, 0xed, 0xa0, 0xbd, 0x2e, 0x79, 0x6d, 0x6c]),
      /not valid UTF-8/,
      'a\\xED\\xA0\\xBD.yml',
    ],
    [
      'a newline',
      Buffer.from('ops\n.yaml'),
      /control or invisible character \(U\+000A/,
      'ops\\n.yaml',
    ],
    ['a carriage return at the end', Buffer.from('ops.yaml\r'), /U\+000D/, 'ops.yaml\\r'],
    ['a tab', Buffer.from('o\tps.yaml'), /U\+0009/, 'o\\tps.yaml'],
    [
      'an escape (ANSI) character',
      Buffer.from('\u001b[31mops.yaml'),
      /U\+001B/,
      '\\u001b[31mops.yaml',
    ],
    ['DEL', Buffer.from('ops\u007f.yaml'), /U\+007F/, 'ops\\u007f.yaml'],
    ['a C1 control', Buffer.from('ops\u0085.yaml'), /U\+0085/, 'ops\\u0085.yaml'],
    [
      'a right-to-left override',
      Buffer.from('ops\u202elmay.yaml'),
      /U\+202E/,
      'ops\\u202elmay.yaml',
    ],
    ['a line separator', Buffer.from('ops\u2028.yaml'), /U\+2028/, 'ops\\u2028.yaml'],
    [
      'a zero-width space (reads as ops.yaml)',
      Buffer.from('ops\u200b.yaml'),
      /U\+200B/,
      'ops\\u200b.yaml',
    ],
    ['a byte order mark', Buffer.from('\ufeffops.yaml'), /U\+FEFF/, '\\ufeffops.yaml'],
    ['a soft hyphen', Buffer.from('o\u00adps.yaml'), /U\+00AD/, 'o\\u00adps.yaml'],
    // default-ignorable code points and blanks (attack on issue 10)
    ['a combining grapheme joiner', Buffer.from('ops\u034f.yaml'), /U\+034F/, 'ops\\u034f.yaml'],
    ['a variation selector', Buffer.from('ops\ufe0f.yaml'), /U\+FE0F/, 'ops\\ufe0f.yaml'],
    ['a Hangul filler', Buffer.from('ops\u3164.yaml'), /U\+3164/, 'ops\\u3164.yaml'],
    ['a Hangul choseong filler', Buffer.from('\u115fops.yaml'), /U\+115F/, '\\u115fops.yaml'],
    ['a halfwidth Hangul filler', Buffer.from('ops\uffa0.yaml'), /U\+FFA0/, 'ops\\uffa0.yaml'],
    ['a braille blank', Buffer.from('ops\u2800.yaml'), /U\+2800/, 'ops\\u2800.yaml'],
    ['a no-break space', Buffer.from('ops\u00a0.yaml'), /U\+00A0/, 'ops\\u00a0.yaml'],
    ['an ideographic space', Buffer.from('ops\u3000.yaml'), /U\+3000/, 'ops\\u3000.yaml'],
    ['a narrow no-break space', Buffer.from('ops\u202f.yaml'), /U\+202F/, 'ops\\u202f.yaml'],
    ['a tag character', Buffer.from('ops\u{e0041}.yaml'), /U\+E0041/, 'ops\\ue0041.yaml'],
    ['a Mongolian vowel separator', Buffer.from('ops\u180e.yaml'), /U\+180E/, 'ops\\u180e.yaml'],
    [
      'a backslash (a separator on Windows, escaped by sha256sum)',
      Buffer.from('evidence\\ops.yaml'),
      /backslash/,
      'evidence\\ops.yaml',
    ],
  ];
  for (const [name, raw, problem, shown] of refused) {
    it(`refuses a name with ${name}, shown escaped`, () => {
      const checked = checkFileName(raw);
      expect(checked.ok).toBe(false);
      if (checked.ok) return;
      expect(checked.problem).toMatch(problem);
      expect(checked.shown).toBe(shown);
    });
  }

  it('accepts UTF-8 names, accents and emoji included', () => {
    for (const name of [
      'ops.yaml',
      'topología.yaml',
      'räumlich.json',
      'ops-😀.yml',
      '運用.yaml',
      'release notes.yaml',
      '운영.yaml',
    ]) {
      expect(checkFileName(Buffer.from(name))).toEqual({ ok: true, name });
    }
  });

  it('a newline in an evidence file name: refused by the loader, the others still read', async () => {
    const dir = await copyEvidence('prod');
    await writeFile(join(dir, 'extra\n.yaml'), 'kind: extra\n');
    const bundle = await loadBundle(dir);
    expect(bundle.files.map((f) => f.path)).not.toContain('extra\n.yaml');
    expect(bundle.files).toHaveLength(9);
    expect(bundle.diagnostics).toContainEqual(
      expect.objectContaining({
        severity: 'error',
        code: 'invalid-file-name',
        file: 'extra\\n.yaml',
      }),
    );
  });
});

describe('file names a reader cannot tell apart (equal once NFC/NFKC-normalised) are a collision', () => {
  const pairs: [string, string, string, string, string][] = [
    [
      'NFC and NFD spellings',
      'topolog\u00eda.yaml',
      'topologi\u0301a.yaml',
      'topolog\\u{ED}a.yaml',
      'topologi\\u{301}a.yaml',
    ],
    ['a ligature (NFKC)', '\ufb01le.yaml', 'file.yaml', '\\u{FB01}le.yaml', 'file.yaml'],
    ['fullwidth letters (NFKC)', '\uff4fps.yaml', 'ops.yaml', '\\u{FF4F}ps.yaml', 'ops.yaml'],
  ];
  for (const [name, a, b, shownA, shownB] of pairs) {
    it(`${name}: neither is read, each reported naming the other, both escaped`, async () => {
      const dir = await copyEvidence('prod');
      await writeFile(join(dir, a), 'kind: extra\n');
      await writeFile(join(dir, b), 'kind: extra\n');
      const bundle = await loadBundle(dir);
      expect(bundle.files.map((f) => f.path)).not.toContain(a);
      expect(bundle.files.map((f) => f.path)).not.toContain(b);
      const found = bundle.diagnostics.filter((d) => d.code === 'invalid-file-name');
      expect(found.map((d) => d.file).sort()).toEqual([shownA, shownB].sort());
      for (const d of found) {
        expect(d.severity).toBe('error');
        expect(d.message).toMatch(/once Unicode-normalised \(NFC\/NFKC\)/);
        expect(d.message).toContain(d.file === shownA ? shownB : shownA);
      }
    });
  }

  it('through the CLI: validate fails and shows both names escaped', async () => {
    const dir = await copyEvidence('prod');
    await rename(join(dir, 'topology.yaml'), join(dir, 'topolog\u00eda.yaml'));
    await writeFile(join(dir, 'topologi\u0301a.yaml'), 'kind: topology\n');
    const run = await runCli(['validate', '--env', 'prod', '--evidence', dir]);
    expect(run.exitCode).toBe(1);
    expect(run.stdout + run.stderr).toMatch(
      /topolog\\u\{ED\}a\.yaml:1:1: error: the file name is the same as topologi\\u\{301\}a\.yaml/,
    );
  });
});

describe('https links must name a host', () => {
  const noHost = [
    'https:///etc/passwd',
    'HTTPS:///etc/passwd',
    'https:/etc/passwd',
    'https:etc/passwd',
    'https:\\\\etc\\passwd',
    'https:////host/path',
    'https://\\host/path',
    'https://@/path',
    'https://:443/path',
    'https://',
    'https://?q',
    'https://#f',
    'https://./path',
    'https://../path',
    'https://%2e%2e/path',
    // attack on issue 10: an empty user name, and hosts the WHATWG parser accepts
    'https://@host/path',
    'https://:@host/path',
    'https://*/path',
    'https://-/path',
    'https://_/path',
    'https://a..b/path',
    'https://.a/path',
    'https://a_b.example/path',
    'https://-a.example/path',
    'https://a-.example/path',
    'https://0/path',
    'https://0.0.0.0/path',
  ];
  for (const link of noHost) {
    it(`${JSON.stringify(link)} is not a link`, async () => {
      expect((await resolveLink(link, REPO_ROOT)).ok).toBe(false);
    });
  }
  it('a repository-relative link with backslashes is refused on every platform (Windows would resolve it)', async () => {
    expect(await resolveLink('evidence\\docs\\ops\\restore.md', REPO_ROOT)).toEqual({
      ok: false,
      problem: expect.stringMatching(/backslash/),
      missing: true,
    });
    expect((await resolveLink('evidence/docs/ops/restore.md', REPO_ROOT)).ok).toBe(true);
  });

  for (const link of [
    'https://ci.example/runs/1',
    'https://ops.example:8443/a?b#c',
    'https://[2001:db8::1]/x',
    'HTTPS://Example.COM/x',
    'https://example.com./x',
    'https://192.0.2.1/x',
    'https://bücher.example/x',
    'https://a-b.example/x',
    'https://localhost/x',
  ]) {
    it(`${link} is still a link`, async () => {
      expect(await resolveLink(link, REPO_ROOT)).toEqual({ ok: true });
    });
  }
});
