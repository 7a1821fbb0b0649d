// renderHtml as text: self-contained, escaped, reproducible. (The page's behaviour is
// checked in Chromium by test/render/html-report.test.ts.)
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GateMeta } from '../../src/pack/catalog.ts';
import { CONTENT_SECURITY_POLICY } from '../../src/render/formats/html-assets.ts';
import { renderHtml } from '../../src/render/formats/html.ts';
import type { Report } from '../../src/render/report.ts';
import { cleanupTmp } from '../support/helpers.ts';
import { exampleReports, shippedPack, waivedStagingReport } from '../support/pipeline.ts';

let reports: Report[];
let gates: GateMeta[];
beforeAll(async () => {
  [reports, gates] = await Promise.all([exampleReports(), shippedPack().then((p) => p.gates)]);
});
afterAll(cleanupTmp);

const sha = (text: string): string =>
  `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;

describe('renderHtml', () => {
  it('loads nothing: no src, no stylesheet or preload link; links are in-page or the https waiver tickets', async () => {
    const html = renderHtml(
      [reports[0] as Report, await waivedStagingReport(), reports[2] as Report],
      gates,
    );
    expect(html).not.toMatch(/\ssrc=|<link\b|@import|url\(|<iframe|<object|<embed|<img/i);
    const hrefs = [...html.matchAll(/\shref="([^"]*)"/g)].map((m) => m[1] ?? '');
    expect(hrefs.filter((h) => !h.startsWith('#'))).toEqual(['https://tracker.example/SEC-1432']);
    // Every in-page link ("Needs attention") leads to a gate's row.
    const ids = new Set([...html.matchAll(/<tr class="gate[^"]*" id="([^"]+)"/g)].map((m) => m[1]));
    expect(hrefs.filter((h) => h.startsWith('#')).map((h) => h.slice(1))).toEqual([
      'gate-tenancy.isolation.embeddings',
      'gate-ops.migrations',
      'gate-observability.alert-routing',
    ]);
    for (const h of hrefs.filter((x) => x.startsWith('#')))
      expect(ids.has(h.slice(1)), h).toBe(true);
  });

  it('admits by hash exactly its own inline style and script, and nothing from elsewhere', () => {
    const html = renderHtml(reports, gates);
    const styles = [...html.matchAll(/<style>([\s\S]*?)<\/style>/g)].map((m) => m[1] ?? '');
    const scripts = [...html.matchAll(/<script>([\s\S]*?)<\/script>/g)].map((m) => m[1] ?? '');
    expect(styles).toHaveLength(1);
    expect(scripts).toHaveLength(1);
    expect(CONTENT_SECURITY_POLICY).toContain(`style-src ${sha(styles[0] as string)};`);
    expect(CONTENT_SECURITY_POLICY).toContain(`script-src ${sha(scripts[0] as string)};`);
    expect(CONTENT_SECURITY_POLICY).toMatch(/^default-src 'none';/);
    expect(html).toContain(
      `<meta http-equiv="Content-Security-Policy" content="${CONTENT_SECURITY_POLICY.replace(/'/g, '&#39;')}">`,
    );
    expect(html).not.toMatch(/\son[a-z]+=/i); // no inline handlers: the CSP would block them
  });

  it('escapes every text from evidence and policies', () => {
    const report = structuredClone(reports[1] as Report);
    const evil = `<script>alert("x")</script> & <img src=x onerror=alert(1)> 'q'`;
    const gate = report.gates.find((g) => g.id === 'security.cors');
    if (!gate) throw new Error('no security.cors');
    gate.title = evil;
    gate.rule = evil;
    gate.reasons = [
      {
        code: 'violation',
        message: evil,
        evidence: [{ file: `${evil}.yaml`, pointer: '/a', line: 1, column: 1 }],
      },
    ];
    gate.status = 'waived';
    gate.waiver = {
      gate: 'security.cors',
      justification: evil,
      approver: evil,
      expires: '2026-12-31',
      ticket: `javascript:alert(1)`,
    };
    report.problems = [evil];
    report.environment = `st"aging<`;
    const html = renderHtml(
      [report],
      gates.map((g) =>
        g.id === 'security.cors' ? { ...g, description: evil, remediation: evil } : g,
      ),
    );
    expect(html.match(/<script>/g)).toHaveLength(1);
    expect(html).not.toContain('<img');
    expect(html).not.toContain('javascript:');
    expect(html).toContain(
      '&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &lt;img src=x onerror=alert(1)&gt; &#39;q&#39;',
    );
    expect(html).toContain('data-env="st&quot;aging&lt;"');
  });

  it('shows a waived gate with approver and expiry in the cell and the details', async () => {
    const html = renderHtml([await waivedStagingReport()], gates);
    expect(html).toContain(
      '<td class="cell" data-env="staging" data-status="waived" title="waived by Sam Okafor until 2026-12-31"><span class="badge st-waived">WAIVED</span><small>until 2026-12-31</small></td>',
    );
    expect(html).toContain(
      'Waived by <strong>Sam Okafor</strong> until <strong>2026-12-31</strong>',
    );
  });

  it('is byte-identical for the same reports, and renders a single environment as one column', () => {
    expect(renderHtml(reports, gates)).toBe(
      renderHtml(structuredClone(reports), structuredClone(gates)),
    );
    const one = renderHtml([reports[2] as Report], gates);
    expect(one.match(/<th scope="col" data-env=/g)).toHaveLength(1);
    expect(one).toContain('<header class="banner go" data-verdict="GO">');
  });

  it('is NO-GO with no environment at all', () => {
    expect(renderHtml([], gates)).toContain('data-verdict="NO-GO"');
  });
});
