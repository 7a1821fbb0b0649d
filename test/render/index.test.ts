// The one format registry the CLI's --format and --stdout resolve against.
import { describe, expect, it } from 'vitest';
import { CannotEvaluateError } from '../../src/core/errors.ts';
import {
  FORMAT_NAMES,
  FORMATS,
  formatNamed,
  forStdout,
  isReportsFormat,
  REPORTS_FORMATS,
  WRITTEN_FORMATS,
} from '../../src/render/formats/index.ts';

describe('REPORTS_FORMATS', () => {
  it('names each CI format with its own file, all of one pattern', () => {
    expect(Object.keys(REPORTS_FORMATS)).toEqual([
      'junit',
      'sarif',
      'github',
      'azuredevops',
      'codequality',
      'tap',
      'table',
      'html',
    ]);
    const files = Object.values(REPORTS_FORMATS).map((f) => f.fileName('all'));
    expect(files).toEqual([
      'P4_PROD_READINESS_JUNIT_all.xml',
      'P4_PROD_READINESS_SARIF_all.sarif',
      'P4_PROD_READINESS_GITHUB_all.txt',
      'P4_PROD_READINESS_AZUREDEVOPS_all.txt',
      'P4_PROD_READINESS_CODEQUALITY_all.json',
      'P4_PROD_READINESS_TAP_all.tap',
      'P4_PROD_READINESS_TABLE_all.txt',
      'P4_PROD_READINESS_HTML_all.html',
    ]);
    expect(
      Object.values(REPORTS_FORMATS)
        .filter((f) => f.logCommands)
        .map((f) => f.name),
    ).toEqual(['github', 'azuredevops']);
  });

  it('knows its own names only', () => {
    expect(
      ['junit', 'sarif', 'github', 'html', 'tap', 'table', 'azuredevops', 'codequality'].every(
        isReportsFormat,
      ),
    ).toBe(true);
    expect(['text', 'json', 'markdown', 'toString', '__proto__'].some(isReportsFormat)).toBe(false);
  });
});

describe('FORMATS: the one format registry', () => {
  it('holds every format once, each saying what it renders and how it goes to stdout', () => {
    expect(FORMAT_NAMES).toEqual(['text', 'json', 'markdown', ...Object.keys(REPORTS_FORMATS)]);
    expect(
      Object.values(FORMATS).map((f) => [f.name, f.renders, f.stdout, f.fileName('prod')]),
    ).toEqual([
      ['text', 'evaluation', 'as-rendered', 'P4_PROD_READINESS_SUMMARY_prod.txt'],
      ['json', 'evaluation', 'json', 'P4_PROD_READINESS_REPORT_prod.json'],
      ['markdown', 'evaluation', 'lines', 'P4_PROD_READINESS_CHECKLIST_prod.md'],
      ['junit', 'reports', 'as-rendered', 'P4_PROD_READINESS_JUNIT_prod.xml'],
      ['sarif', 'reports', 'json', 'P4_PROD_READINESS_SARIF_prod.sarif'],
      ['github', 'reports', 'as-rendered', 'P4_PROD_READINESS_GITHUB_prod.txt'],
      ['azuredevops', 'reports', 'as-rendered', 'P4_PROD_READINESS_AZUREDEVOPS_prod.txt'],
      ['codequality', 'reports', 'json', 'P4_PROD_READINESS_CODEQUALITY_prod.json'],
      ['tap', 'reports', 'as-rendered', 'P4_PROD_READINESS_TAP_prod.tap'],
      ['table', 'reports', 'as-rendered', 'P4_PROD_READINESS_TABLE_prod.txt'],
      ['html', 'reports', 'as-rendered', 'P4_PROD_READINESS_HTML_prod.html'],
    ]);
    expect(WRITTEN_FORMATS.map((f) => f.name)).toEqual(['markdown', 'json']);
    for (const name of FORMAT_NAMES) expect(formatNamed(name)).toBe(FORMATS[name]);
  });

  it('refuses a name it does not hold with one line naming the known formats', () => {
    for (const name of ['nope', 'toString', '__proto__', 'JSON', 'sarif\n::error::x']) {
      let thrown: unknown;
      try {
        formatNamed(name);
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(CannotEvaluateError);
      const message = (thrown as Error).message;
      expect(message).not.toContain('\n');
      expect(message).toMatch(
        /^unknown format ".*"; the formats are: text, json, markdown, junit,/,
      );
    }
  });

  it('escapes a copy for stdout as the entry says: JSON kept as JSON, Markdown line by line', () => {
    const json = '{"a":"::error::x"}\n';
    expect(JSON.parse(forStdout(FORMATS.json, json))).toEqual(JSON.parse(json));
    expect(forStdout(FORMATS.json, json)).not.toContain('::error::');
    expect(forStdout(FORMATS.markdown, '::error::x\n')).not.toMatch(/^::error::/);
    expect(forStdout(FORMATS.github, '::error::x\n')).toBe('::error::x\n');
  });
});
