// The HTML report of the three examples (real pipeline, as of 2026-11-25), opened in
// headless Chromium: verdict, matrix, filters, details, phone and print layouts, and
// not one network request. Screenshots go to test-output/html-report/ (git-ignored).
/// <reference lib="dom" />
import { accessSync, constants } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import yaml from 'js-yaml';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderHtml } from '../../src/render/formats/html.ts';
import {
  failsThroughItems,
  findingCounts,
  releaseFacts,
  type ReleaseFacts,
} from '../../src/render/formats/shared.ts';
import type { Report } from '../../src/render/report.ts';
import { cleanupTmp, REPO_ROOT } from '../support/helpers.ts';
import { exampleReports, shippedPack, waivedStagingReport } from '../support/pipeline.ts';

const CHROMIUM = '/usr/bin/chromium';
const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--disable-sync',
];
const OUT = join(REPO_ROOT, 'test-output/html-report');

function hasChromium(): boolean {
  try {
    accessSync(CHROMIUM, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Every test starts here: without the browser each one fails (never skips) and says what to do. */
function requireChromium(): void {
  if (!hasChromium())
    throw new Error(
      `${CHROMIUM} is missing: the browser test needs Debian's chromium; run scripts/setup-chromium.sh (as root) first`,
    );
}

let browser: Browser;
let reports: Report[];
let page: Page;
/** Every request the page made that is not the file itself or inline data. */
const external: string[] = [];
const consoleErrors: string[] = [];

/** The release facts of the shipped examples, read from their release evidence as the CLI does. */
async function releaseOf(env: string): Promise<ReleaseFacts | undefined> {
  return releaseFacts(
    yaml.load(await readFile(join(REPO_ROOT, 'evidence', env, 'release.yaml'), 'utf8')),
  );
}

async function openReport(name: string, list: Report[]): Promise<Page> {
  const gates = (await shippedPack()).gates;
  const path = join(OUT, `${name}.html`);
  const releases = new Map(
    await Promise.all(
      list.map(async (r) => [r.environment, await releaseOf(r.environment)] as const),
    ),
  );
  await writeFile(path, renderHtml(list, gates, { release: (env) => releases.get(env) }));
  const opened = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  opened.on('request', (request) => {
    if (!/^(file|data|about|blob):/.test(request.url())) external.push(request.url());
  });
  opened.on('console', (message) => {
    if (message.type() === 'error') consoleErrors.push(message.text());
  });
  opened.on('pageerror', (error) => consoleErrors.push(error.message));
  await opened.goto(pathToFileURL(path).href, { waitUntil: 'load' });
  return opened;
}

const visibleGateIds = (p: Page): Promise<string[]> =>
  p.$$eval('tr.gate', (rows) =>
    rows
      .filter((r) => (r as HTMLElement).offsetParent !== null)
      .map((r) => r.getAttribute('data-gate') ?? ''),
  );

const cellText = (p: Page, gate: string, env: string): Promise<string> =>
  p.locator(`tr[data-gate="${gate}"] td[data-env="${env}"]`).innerText();

beforeAll(async () => {
  if (!hasChromium()) return;
  await mkdir(OUT, { recursive: true });
  [browser, reports] = await Promise.all([
    chromium.launch({ executablePath: CHROMIUM, headless: true, args: ARGS }),
    exampleReports(),
  ]);
  page = await openReport('examples', reports);
});

afterAll(async () => {
  await browser?.close();
  await cleanupTmp();
});

describe('HTML report of pilot, staging and prod in Chromium', () => {
  it('shows each environment’s verdict, never one red banner over a GO prod, with its release, revision and owner', async () => {
    requireChromium();
    await expect(page.locator('header.banner h1').innerText()).resolves.toBe(
      'pilot GO · staging NO-GO · prod GO',
    );
    await expect(page.locator('header.banner').getAttribute('data-verdict')).resolves.toBe('MIXED');
    const red = await page
      .locator('header.banner')
      .evaluate((el) => getComputedStyle(el).backgroundColor);
    expect(red).not.toBe('rgb(207, 34, 46)');
    for (const r of reports) {
      const card = page.locator(`article.env[data-env="${r.environment}"]`);
      await expect(card.locator('.verdict').innerText()).resolves.toBe(r.verdict);
      // The counts of every format: a parent failing through its items is counted at them.
      await expect(card.locator('li[data-status="fail"] strong').innerText()).resolves.toBe(
        String(findingCounts(r.gates).fail),
      );
      const release = await releaseOf(r.environment);
      const facts = await card.locator('dl.release').innerText();
      for (const value of [release?.id, release?.revision, release?.owner])
        expect(facts).toContain(value);
    }
    // A page of one GO environment opens green.
    const prodOnly = await openReport('prod', [reports[2] as Report]);
    await expect(prodOnly.locator('header.banner h1').innerText()).resolves.toBe('GO');
    expect(
      await prodOnly
        .locator('header.banner')
        .evaluate((el) => getComputedStyle(el).backgroundColor),
    ).toBe('rgb(26, 127, 55)');
    await prodOnly.screenshot({ path: join(OUT, 'prod-desktop.png'), fullPage: true });
    await prodOnly.close();
  });

  it('names the table for assistive technology and keeps its header row in view while it scrolls', async () => {
    requireChromium();
    await expect(page.getByRole('table', { name: /^Gates by environment/ }).count()).resolves.toBe(
      1,
    );
    const scroller = page.locator('.scroll');
    await scroller.evaluate((el) => el.scrollTo(0, el.scrollHeight / 2));
    const [box, head] = await Promise.all([
      scroller.boundingBox(),
      page.locator('thead th[data-env="prod"]').boundingBox(),
    ]);
    expect(head && box && Math.abs(head.y - box.y)).toBeLessThanOrEqual(2);
    await page.screenshot({ path: join(OUT, 'examples-desktop-scrolled.png') });
    await scroller.evaluate((el) => el.scrollTo(0, 0));
  });

  it('lists the failing gates first, each a link that opens its row', async () => {
    requireChromium();
    const links = page.locator('section.attention a');
    const failing = reports.flatMap((r) =>
      r.gates
        .filter(
          (g) =>
            (g.status === 'fail' || g.status === 'error') &&
            g.reasons.some((x) => x.code !== 'child-status'),
        )
        .map((g) => g.id),
    );
    await expect(links.count()).resolves.toBe(failing.length);
    const attentionY = (await page.locator('section.attention').boundingBox())?.y ?? Infinity;
    const tableY = (await page.locator('table.matrix').boundingBox())?.y ?? -Infinity;
    expect(attentionY).toBeLessThan(tableY);
    await page.click('button[data-filter="na"]');
    await links.first().click();
    const row = page.locator(`tr[data-gate="${failing[0]}"]`);
    await expect(row.isVisible()).resolves.toBe(true);
    await expect(row.locator('details').getAttribute('open')).resolves.not.toBeNull();
    // Back to the page as opened: no fragment, every row closed.
    await page.goto(page.url().split('#')[0] ?? page.url());
  });

  it('has a gate × environment matrix that matches the reports', async () => {
    requireChromium();
    await expect(
      page.$$eval('thead th[data-env]', (ths) => ths.map((th) => th.textContent)),
    ).resolves.toEqual(['pilot', 'staging', 'prod']);
    expect(await cellText(page, 'security.cors', 'staging')).toBe('FAIL');
    expect(await cellText(page, 'security.cors', 'prod')).toBe('PASS');
    expect(await cellText(page, 'security.cors', 'pilot')).toBe('PASS');
    expect(await cellText(page, 'signoff.security', 'pilot')).toBe('N/A');
    expect(await cellText(page, 'signoff.security', 'prod')).toBe('PASS');
    const cells = await page.$$eval('td.cell', (tds) =>
      tds.map(
        (td) =>
          `${td.parentElement?.getAttribute('data-gate')}@${td.getAttribute('data-env')}=${td.getAttribute('data-status')}`,
      ),
    );
    const expected = reports.flatMap((r) =>
      r.gates.map((g) => `${g.id}@${r.environment}=${g.status}`),
    );
    expect(cells.sort()).toEqual(expected.sort());
  });

  it('filters by status: “fail” leaves only the gates failing somewhere, “all” brings every gate back', async () => {
    requireChromium();
    // A parent failing only through its items is counted (and filtered) at its items, as in every format.
    const failing = [
      ...new Set(
        reports.flatMap((r) =>
          r.gates.filter((g) => g.status === 'fail' && !failsThroughItems(g)).map((g) => g.id),
        ),
      ),
    ];
    // Each button's count is the number of gates it shows: one meaning.
    for (const filter of ['all', 'pass', 'fail', 'error', 'waived', 'na']) {
      await page.click(`button[data-filter="${filter}"]`);
      const label = await page.locator(`button[data-filter="${filter}"]`).innerText();
      expect(label, filter).toBe(
        `${filter === 'na' ? 'n/a' : filter} (${(await visibleGateIds(page)).length})`,
      );
    }
    await page.click('button[data-filter="fail"]');
    await expect(
      page.locator('button[data-filter="fail"]').getAttribute('aria-pressed'),
    ).resolves.toBe('true');
    expect((await visibleGateIds(page)).sort()).toEqual(failing.sort());
    expect(await page.locator('tbody.section:visible').count()).toBe(
      new Set(failing.map((id) => id.split('.')[0])).size,
    );
    await page.screenshot({ path: join(OUT, 'examples-fail-filter.png'), fullPage: true });
    await page.click('button[data-filter="na"]');
    expect((await visibleGateIds(page)).sort()).toEqual(
      [
        ...new Set(
          reports.flatMap((r) => r.gates.filter((g) => g.status === 'na').map((g) => g.id)),
        ),
      ].sort(),
    );
    await page.click('button[data-filter="all"]');
    expect(await visibleGateIds(page)).toHaveLength(reports[0]?.gates.length ?? -1);
  });

  it('expands a gate to its reasons, the evidence they rest on and the remediation', async () => {
    requireChromium();
    const row = page.locator('tr[data-gate="security.cors"]');
    await expect(row.locator('.detail').isVisible()).resolves.toBe(false);
    await row.locator('summary').click();
    const detail = await row.locator('.detail').innerText();
    expect(detail).toContain(
      'a wildcard origin together with allowCredentials: true is never allowed',
    );
    expect(detail).toMatch(/evidence\/staging\/security\.yaml:\d+:\d+ \/cors\/trustedOrigins\/1/);
    expect(detail).toContain('Remediation');
    await page.screenshot({ path: join(OUT, 'examples-desktop.png'), fullPage: true });
  });

  it('fits a phone screen: the page never scrolls sideways', async () => {
    requireChromium();
    const phone = await browser.newPage({
      viewport: { width: 390, height: 844 },
      deviceScaleFactor: 2,
      isMobile: true,
    });
    await phone.goto(page.url());
    const widths = await phone.evaluate(() => ({
      page: document.documentElement.scrollWidth,
      screen: window.innerWidth,
    }));
    expect(widths.page).toBeLessThanOrEqual(widths.screen);
    // Every environment's column is on screen, without scrolling the table either.
    for (const env of ['pilot', 'staging', 'prod']) {
      const box = await phone
        .locator(`tr[data-gate="tenancy.isolation.knowledge-queries"] td[data-env="${env}"]`)
        .boundingBox();
      expect(box && box.x + box.width, env).toBeLessThanOrEqual(widths.screen);
    }
    await phone.screenshot({ path: join(OUT, 'examples-phone.png'), fullPage: true });
    await phone.close();
  });

  it('prints without the filter buttons, with every gate expanded', async () => {
    requireChromium();
    const printing = await browser.newPage();
    await printing.goto(page.url());
    await printing.emulateMedia({ media: 'print' });
    await expect(printing.locator('nav.filters').isVisible()).resolves.toBe(false);
    await printing.evaluate(() => window.dispatchEvent(new Event('beforeprint')));
    expect(await printing.locator('details:not([open])').count()).toBe(0);
    const pdf = await printing.pdf({ format: 'A4' });
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    await writeFile(join(OUT, 'examples-print.pdf'), pdf);
    await printing.evaluate(() => window.dispatchEvent(new Event('afterprint')));
    expect(await printing.locator('details[open]').count()).toBe(0);
    await printing.close();
  });

  it('shows a waived gate with its approver and expiry', async () => {
    requireChromium();
    const waived = await openReport('examples-waived', [
      reports[0] as Report,
      await waivedStagingReport(),
      reports[2] as Report,
    ]);
    const cell = waived.locator('tr[data-gate="security.cors"] td[data-env="staging"]');
    expect(await cell.innerText()).toMatch(/^WAIVED\s+until 2026-12-31$/);
    await expect(cell.getAttribute('title')).resolves.toBe('waived by Sam Okafor until 2026-12-31');
    await waived.locator('tr[data-gate="security.cors"] summary').click();
    expect(await waived.locator('tr[data-gate="security.cors"] .waiver').innerText()).toMatch(
      /^Waived by Sam Okafor until 2026-12-31: Preview origins/,
    );
    await waived.click('button[data-filter="waived"]');
    expect((await visibleGateIds(waived)).sort()).toEqual([
      'runbook.known-issues',
      'security.cors',
    ]);
    await waived.screenshot({ path: join(OUT, 'examples-waived.png'), fullPage: true });
  });

  it('made no network request and logged no error (the CSP admitted its own style and script)', () => {
    requireChromium();
    expect(external).toEqual([]);
    expect(consoleErrors).toEqual([]);
  });
});
