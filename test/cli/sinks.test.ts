// Issue 9 §3: text from evidence (and from reports read back) never acts where it is
// shown. Unit tests of each sink's escaping function (src/core/text/escape.ts), then the
// issue's examples end to end through the CLI.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  escapeCiLog,
  escapeCiLogLines,
  escapeHtml,
  escapeJsonForLog,
  escapeMarkdown,
  escapeMarkdownCode,
  escapeTerminal,
  escapeXmlAttribute,
  escapeXmlText,
} from '../../src/core/text/escape.ts';
import {
  AS_OF,
  checklistName,
  cleanupTmp,
  copyEvidence,
  editYaml,
  makeTmp,
  REPO_ROOT,
  reportName,
  runCli,
} from '../support/helpers.ts';
import { approveSignoffs } from '../support/approve.ts';

afterAll(cleanupTmp);

/** A CI log line that a runner would read as a command: GitHub at the line's start, Azure and TeamCity anywhere. */
const WORKFLOW_COMMAND = /^\s*::[A-Za-z-]|^\s*##\[|##vso\[|##teamcity\[/im;
// eslint-disable-next-line no-control-regex
const RAW_CONTROL =
  /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]/;

describe('escapeTerminal', () => {
  it('shows ANSI escapes, line breaks and other controls escaped, on one line', () => {
    expect(escapeTerminal('a\nVERIFIED\x1b[8m\r\t\x00')).toBe(
      'a\\nVERIFIED\\u001b[8m\\r\\t\\u0000',
    );
    expect(escapeTerminal('csi\u009b31m del\u007f nel\u0085')).toBe(
      'csi\\u009b31m del\\u007f nel\\u0085',
    );
  });

  it('shows invisible and bidirectional characters (Trojan Source, tag characters, soft hyphen)', () => {
    expect(escapeTerminal('a\u202eb\u2066c\u200bd\u00ade\ufefff\u2028g')).toBe(
      'a\\u202eb\\u2066c\\u200bd\\u00ade\\ufefff\\u2028g',
    );
    expect(escapeTerminal('x\u{e0041}\u{e0042}y')).toBe('x\\u{e0041}\\u{e0042}y');
  });

  it('shows a lone surrogate escaped and keeps other scripts and emoji', () => {
    expect(escapeTerminal('a\ud800b')).toBe('a\\ud800b');
    expect(escapeTerminal('Ωμέγα 日本 😀 café')).toBe('Ωμέγα 日本 😀 café');
  });
});

describe('escapeCiLog', () => {
  it.each([
    ['::set-output name=x::1', ':\\:set-output name=x:\\:1'],
    ['  ::error file=a::boom', '  :\\:error file=a:\\:boom'],
    [
      'note ##vso[task.setvariable variable=X]true',
      'note #\\#vso[task.setvariable variable=X]true',
    ],
    ['##VSO[task.complete result=Succeeded]', '#\\#VSO[task.complete result=Succeeded]'],
    ['##[group]hidden', '#\\#[group]hidden'],
    ["x ##teamcity[buildStatus text='ok']", "x #\\#teamcity[buildStatus text='ok']"],
    ['::stop-commands::pause', ':\\:stop-commands:\\:pause'],
  ])('neutralises %j wherever it is in the line', (input, expected) => {
    const out = escapeCiLog(input);
    expect(out).toBe(expected);
    expect(out).not.toMatch(WORKFLOW_COMMAND);
  });

  it('escapes controls first, so a line break cannot put a command at the start of a new line', () => {
    const out = escapeCiLog('fine\n::add-mask::x\r##[error]forged');
    expect(out.split('\n')).toHaveLength(1);
    expect(out).not.toMatch(WORKFLOW_COMMAND);
  });

  it('keeps ordinary text as written', () => {
    expect(
      escapeCiLog(
        'FAIL   security.cors: origin "https://app.example" (security.yaml:22:3 /cors/0)',
      ),
    ).toBe('FAIL   security.cors: origin "https://app.example" (security.yaml:22:3 /cors/0)');
    expect(escapeCiLogLines('a\n##vso[x]\nb')).toBe('a\n#\\#vso[x]\nb');
  });
});

describe('escapeMarkdown', () => {
  it.each([
    ['# Approved', '\\# Approved'],
    ['[x] done', '\\[x\\] done'],
    ['- item', '\\- item'],
    ['+ item', '\\+ item'],
    ['* item', '\\* item'],
    ['1. first', '1\\. first'],
    ['2) second', '2\\) second'],
    ['> quoted', '\\> quoted'],
    ['=====', '\\====='],
    ['<img src=x onerror=alert(1)>', '\\<img src=x onerror=alert(1)\\>'],
    ['[click](https://evil.example)', '\\[click\\](https://evil.example)'],
    ['![x](https://evil.example/t.png)', '!\\[x\\](https://evil.example/t.png)'],
    ['a | b', 'a \\| b'],
    ['~~gone~~ $x$ &lt;', '\\~\\~gone\\~\\~ \\$x\\$ \\&lt;'],
    ['**bold** _em_ `code`', '\\*\\*bold\\*\\* \\_em\\_ \\`code\\`'],
  ])('%j cannot open markup', (input, expected) => {
    expect(escapeMarkdown(input)).toBe(expected);
  });

  it('keeps the text on one line', () => {
    expect(escapeMarkdown('a\n\n# b\r\n- c')).toBe('a \\# b - c');
  });

  it('inside a code span only a backtick could end it', () => {
    expect(escapeMarkdownCode('a`b\n# c')).toBe("a'b # c");
  });
});

describe('JSON, HTML and XML for a log', () => {
  it('escapeJsonForLog keeps the JSON value and breaks every command opener', () => {
    const value = {
      a: '::warning::x',
      b: 'y ##vso[task.complete]',
      c: 'z\u009b\u202e\u{e0041}',
      d: '\x1b[8m',
    };
    const json = `${JSON.stringify(value, null, 2)}\n`;
    const out = escapeJsonForLog(json);
    expect(JSON.parse(out)).toEqual(value);
    expect(out).not.toMatch(WORKFLOW_COMMAND);
    expect(out).not.toMatch(RAW_CONTROL);
    expect(out).not.toMatch(/\u{e0041}/u);
  });

  it('HTML and XML escape markup and break command openers with character references', () => {
    expect(escapeHtml(`<script>"'&`)).toBe('&lt;script&gt;&quot;&#39;&amp;');
    expect(escapeHtml('##vso[x] ::e')).toBe('#&#35;vso[x] :&#58;e');
    expect(escapeXmlText('a\u0000<b>&')).toBe('a\uFFFD&lt;b&gt;&amp;');
    expect(escapeXmlAttribute(' a\n"b\' ::c ')).toBe('a &quot;b&apos; :&#58;c');
  });
});

describe('the issue examples, end to end', () => {
  it('a waiver justification holding ##vso[...] is not printed as a command by evaluate --format text', async () => {
    const dir = await copyEvidence('staging');
    const injected = '##vso[task.setvariable variable=X]true';
    const yaml = [
      'kind: waivers',
      'schemaVersion: 1',
      'waivers:',
      '  - gate: security.cors',
      `    justification: "preview origins ${injected}"`,
      '    approver: Sam Okafor',
      '    expires: "2026-12-31"',
      '',
    ];
    await writeFile(join(dir, 'waivers.yaml'), yaml.join('\n'));
    await approveSignoffs(dir);
    const out = await makeTmp();
    const run = await runCli([
      'evaluate',
      '--env',
      'staging',
      '--evidence',
      dir,
      '--repo-root',
      REPO_ROOT,
      '--as-of',
      AS_OF,
      '--out',
      out,
      '--format',
      'text',
    ]);
    expect(run.exitCode).toBe(1);
    expect(run.stdout).toContain('preview origins #\\#vso[task.setvariable variable=X]true');
    expect(run.stdout).not.toMatch(WORKFLOW_COMMAND);
    const json = await runCli([
      'evaluate',
      '--env',
      'staging',
      '--evidence',
      dir,
      '--repo-root',
      REPO_ROOT,
      '--as-of',
      AS_OF,
      '--out',
      out,
      '--stdout',
      'json',
    ]);
    expect(json.stdout).not.toMatch(WORKFLOW_COMMAND);
    expect(JSON.stringify(JSON.parse(json.stdout))).toContain(injected); // the value is unchanged
  });

  it('a report whose environment holds a newline, a forged VERIFIED line and an ANSI conceal cannot forge a verdict', async () => {
    const out = await makeTmp();
    const run = await runCli([
      'evaluate',
      '--env',
      'prod',
      '--repo-root',
      REPO_ROOT,
      '--as-of',
      AS_OF,
      '--out',
      out,
      '--no-ci-context',
    ]);
    expect(run.exitCode).toBe(0);
    const path = join(out, reportName('prod'));
    const report = JSON.parse(await readFile(path, 'utf8'));
    const forged =
      'prod\nVERIFIED: the report, its evidence and its policy pack are as recorded, and re-evaluation reproduces it\n\x1b[8m';
    report.environment = forged;
    report.provenance.environment = forged;
    await writeFile(path, JSON.stringify(report));
    const verify = await runCli([
      'verify',
      path,
      '--evidence',
      join(REPO_ROOT, 'evidence/prod'),
      '--repo-root',
      REPO_ROOT,
    ]);
    expect(verify.exitCode).not.toBe(0);
    const lines = verify.stdout.split('\n');
    expect(lines.filter((l) => l.startsWith('VERIFIED'))).toEqual([]);
    expect(verify.stdout + verify.stderr).not.toMatch(RAW_CONTROL);
    expect(verify.stdout).toMatch(/^NOT VERIFIED/m);
  });

  it('an in-scope feature "# Approved" is text in the checklist, not a heading', async () => {
    const dir = await copyEvidence('prod');
    await editYaml(dir, 'release.yaml', (doc) => {
      doc['scope'].inScope.push('# Approved', '- [x] security sign-off', '<details open>');
    });
    const out = await makeTmp();
    await runCli([
      'evaluate',
      '--env',
      'prod',
      '--evidence',
      dir,
      '--repo-root',
      REPO_ROOT,
      '--as-of',
      AS_OF,
      '--out',
      out,
    ]);
    const checklist = await readFile(join(out, checklistName('prod')), 'utf8');
    expect(checklist).toContain('  - \\# Approved\n');
    expect(checklist).toContain('  - \\- \\[x\\] security sign-off\n');
    expect(checklist).toContain('  - \\<details open\\>\n');
    expect(checklist).not.toMatch(/^\s*-\s+(#|- \[x\]|<details)/m);
  });

  it('explain and diff escape what they show', async () => {
    const dir = await copyEvidence('prod');
    await editYaml(dir, 'security.yaml', (doc) => {
      doc['cors'].trustedOrigins = [
        'http://app.example\x1b[2J::error::x ##vso[task.complete result=Succeeded]',
      ];
    });
    const explain = await runCli([
      'explain',
      'security.cors',
      '--env',
      'prod',
      '--evidence',
      dir,
      '--repo-root',
      REPO_ROOT,
      '--as-of',
      AS_OF,
    ]);
    expect(explain.stdout).toContain(
      'http://app.example\\u001b[2J:\\:error:\\:x #\\#vso[task.complete result=Succeeded]',
    );
    expect(explain.stdout).not.toMatch(WORKFLOW_COMMAND);
    expect(explain.stdout).not.toMatch(RAW_CONTROL);
    const out = await makeTmp();
    const before = join(out, 'before.json');
    await runCli([
      'evaluate',
      '--env',
      'prod',
      '--repo-root',
      REPO_ROOT,
      '--as-of',
      AS_OF,
      '--out',
      out,
      '--no-ci-context',
    ]);
    await writeFile(before, await readFile(join(out, reportName('prod')), 'utf8'));
    await runCli([
      'evaluate',
      '--env',
      'prod',
      '--evidence',
      dir,
      '--repo-root',
      REPO_ROOT,
      '--as-of',
      AS_OF,
      '--out',
      out,
      '--no-ci-context',
    ]);
    const diff = await runCli(['diff', before, join(out, reportName('prod'))]);
    expect(diff.exitCode).toBe(1);
    expect(diff.stdout).toContain('#\\#vso[task.complete');
    expect(diff.stdout).not.toMatch(WORKFLOW_COMMAND);
    expect(diff.stdout).not.toMatch(RAW_CONTROL);
    const json = await runCli(['diff', before, join(out, reportName('prod')), '--format', 'json']);
    expect(json.stdout).not.toMatch(WORKFLOW_COMMAND);
    expect(JSON.stringify(JSON.parse(json.stdout))).toContain('##vso[task.complete');
  });
});
