// The formats registry the CLI's --format resolves against.
import { describe, expect, it } from 'vitest';
import { isReportsFormat, REPORTS_FORMATS } from '../../src/render/formats/index.ts';

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
