// The formats registry the CLI's --format resolves against.
import { describe, expect, it } from 'vitest';
import { isReportsFormat, REPORTS_FORMATS } from '../../src/render/formats/index.ts';
import { renderHtml } from '../../src/render/formats/html.ts';

describe('REPORTS_FORMATS', () => {
  it('names junit, sarif, github and html, each with its own file', () => {
    expect(Object.keys(REPORTS_FORMATS)).toEqual(['junit', 'sarif', 'github', 'html']);
    const files = Object.values(REPORTS_FORMATS).map((f) => f.fileName('all'));
    expect(files).toEqual(['P4_PROD_READINESS_JUNIT_all.xml', 'P4_PROD_READINESS_all.sarif', 'P4_PROD_READINESS_GITHUB_all.txt', 'P4_PROD_READINESS_REPORT_all.html']);
    expect(REPORTS_FORMATS.html.render).toBe(renderHtml);
  });

  it('knows its own names only', () => {
    expect(['junit', 'sarif', 'github', 'html'].every(isReportsFormat)).toBe(true);
    expect(['text', 'json', 'markdown', 'toString', '__proto__'].some(isReportsFormat)).toBe(false);
  });
});
