// renderGithub's workflow commands, read back as the Actions runner reads them, and the job summary.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GateMeta } from '../../src/pack/catalog.ts';
import { appendStepSummary, STEP_SUMMARY_LIMIT } from '../../src/core/io/step-summary.ts';
import {
  command,
  escapeData,
  escapeProperty,
  renderGithub,
} from '../../src/render/formats/github.ts';
import type { Report } from '../../src/render/report.ts';
import { cleanupTmp, makeTmp } from '../support/helpers.ts';
import {
  brokenProdReport,
  exampleReports,
  shippedPack,
  waivedStagingReport,
} from '../support/pipeline.ts';

interface Command {
  level: string;
  properties: Record<string, string>;
  message: string;
}

/** The runner's side: `::name k=v,k=v::data`, each part unescaped (actions/runner ActionCommand). */
function parseCommand(line: string): Command {
  const m = /^::(\w+)(?: ([^:]*))?::(.*)$/.exec(line);
  if (!m) throw new Error(`not a workflow command: ${line}`);
  const unescapeProperty = (s: string): string =>
    s
      .replace(/%0D/g, '\r')
      .replace(/%0A/g, '\n')
      .replace(/%3A/g, ':')
      .replace(/%2C/g, ',')
      .replace(/%25/g, '%');
  const properties: Record<string, string> = {};
  for (const pair of (m[2] ?? '').split(',').filter(Boolean)) {
    const eq = pair.indexOf('=');
    properties[pair.slice(0, eq)] = unescapeProperty(pair.slice(eq + 1));
  }
  return { level: m[1] ?? '', properties, message: unescapeProperty(m[3] ?? '') };
}

/** The annotations (error, warning, notice) of a log: groups and the closing count lines are not annotations. */
function commands(text: string): Command[] {
  return text
    .split('\n')
    .filter((line) => /^::(error|warning|notice) /.test(line))
    .map(parseCommand);
}

let reports: Report[];
let gates: GateMeta[];
beforeAll(async () => {
  [reports, gates] = await Promise.all([exampleReports(), shippedPack().then((p) => p.gates)]);
});
afterAll(cleanupTmp);

describe('escaping', () => {
  it('escapes data and properties as GitHub documents', () => {
    expect(escapeData('100% done\r\nnext: a,b')).toBe('100%25 done%0D%0Anext: a,b');
    expect(escapeProperty('100% done\r\nnext: a,b')).toBe('100%25 done%0D%0Anext%3A a%2Cb');
    expect(escapeData('%0A')).toBe('%250A');
  });

  it('round-trips any message and property through the runner’s parsing', () => {
    const hostile = 'a%b\nc\rd:e,f::g=h %0A';
    const parsed = parseCommand(command('error', { file: hostile, title: hostile }, hostile));
    expect(parsed).toEqual({
      level: 'error',
      properties: { file: hostile, title: hostile },
      message: hostile,
    });
  });
});

describe('renderGithub', () => {
  it('annotates each failing item of staging at its file, line and column, and nothing for GO environments', () => {
    const list = commands(renderGithub(reports, gates));
    expect(list.map((c) => `${c.level} ${c.properties['title']}`)).toEqual([
      'error prodgate staging: FAIL security.cors',
      'error prodgate staging: FAIL tenancy.isolation.embeddings',
      'error prodgate staging: FAIL ops.migrations',
      'error prodgate staging: FAIL observability.alert-routing',
      'warning prodgate staging: evidence waiver-expired',
      'notice prodgate staging: WAIVED runbook.known-issues',
    ]);
    const cors = list[0] as Command;
    expect(cors.properties['file']).toBe('evidence/staging/security.yaml');
    expect(Number(cors.properties['line'])).toBeGreaterThan(1);
    expect(Number(cors.properties['col'])).toBeGreaterThan(0);
    expect(cors.message).toMatch(
      /^Trusted origins and CORS are locked down \(no wildcard in prod\): origin "https:\/\/\*\.preview\.todox\.example": a wildcard origin/,
    );
    expect(cors.message).toContain('Remediation: ');
    expect(
      commands(
        renderGithub(
          reports.filter((r) => r.verdict === 'GO'),
          gates,
        ),
      ),
    ).toEqual([]);
  });

  it('groups each environment and closes with the same counts as every other format', () => {
    const text = renderGithub(reports, gates);
    const lines = text.trimEnd().split('\n');
    expect(lines.filter((l) => l.startsWith('::group::'))).toEqual([
      '::group::prodgate pilot: GO',
      '::group::prodgate staging: NO-GO',
      '::group::prodgate prod: GO',
    ]);
    expect(lines.filter((l) => l === '::endgroup::')).toHaveLength(3);
    expect(lines.slice(-3)).toEqual([
      'prodgate pilot: GO — 0 fail, 0 error, 0 waived, 48 pass, 6 n/a',
      'prodgate staging: NO-GO — 4 fail, 0 error, 1 waived, 46 pass, 2 n/a (and 1 parent gate failing through these)',
      'prodgate prod: GO — 0 fail, 0 error, 0 waived, 50 pass, 4 n/a',
    ]);
    // The closing count equals the annotations: one ::error per counted failure.
    expect(commands(text).filter((c) => c.level === 'error')).toHaveLength(4);
  });

  it('notes each waived gate with its approver and expiry, located at the waiver', async () => {
    const list = commands(renderGithub([await waivedStagingReport()], gates));
    const notices = list.filter((c) => c.level === 'notice');
    expect(notices.map((c) => [c.properties['title'], c.properties['file'], c.message])).toEqual([
      [
        'prodgate staging: WAIVED security.cors',
        'evidence/staging/waivers.yaml',
        expect.stringMatching(/^waived by Sam Okafor until 2026-12-31: Preview origins/),
      ],
      [
        'prodgate staging: WAIVED runbook.known-issues',
        'evidence/staging/waivers.yaml',
        'waived by Priya Raman until 2026-12-15: The known-issues page moves to the wiki this sprint.',
      ],
    ]);
    expect(notices[0]?.properties['line']).toBe('7');
    expect(list.filter((c) => c.level === 'error')).toHaveLength(3);
  });

  it('annotates evidence errors and the problem, and the gates they break', async () => {
    const list = commands(renderGithub([await brokenProdReport()], gates));
    expect(list[0]).toMatchObject({
      level: 'error',
      properties: { title: 'prodgate prod: evaluation problem' },
    });
    const schema = list.find(
      (c) => c.properties['title'] === 'prodgate prod: evidence schema-violation',
    );
    expect(schema).toMatchObject({
      level: 'error',
      properties: { file: 'evidence/prod/security.yaml' },
      message: 'unknown field "allowCredentialz" (at /cors/allowCredentialz)',
    });
    expect(list.filter((c) => /: ERROR /.test(c.properties['title'] ?? '')).length).toBeGreaterThan(
      0,
    );
  });
});

describe('appendStepSummary', () => {
  it('does nothing when there is no summary file', async () => {
    expect(await appendStepSummary(undefined, '# x')).toEqual({ written: false, truncated: false });
    expect(await appendStepSummary('', '# x')).toEqual({ written: false, truncated: false });
  });

  it('appends after what other steps wrote, a blank line after each block', async () => {
    const path = join(await makeTmp(), 'summary.md');
    await writeFile(path, '## earlier step\n');
    expect(await appendStepSummary(path, '# staging: NO-GO\n\n- [ ] item\n\n\n')).toEqual({
      written: true,
      truncated: false,
    });
    expect(await appendStepSummary(path, '# prod: GO')).toEqual({
      written: true,
      truncated: false,
    });
    expect(await readFile(path, 'utf8')).toBe(
      '## earlier step\n# staging: NO-GO\n\n- [ ] item\n\n# prod: GO\n\n',
    );
  });

  it('keeps concurrent appends whole', async () => {
    const path = join(await makeTmp(), 'summary.md');
    const blocks = Array.from(
      { length: 20 },
      (_, i) => `## block ${i}\n${`line of block ${i}\n`.repeat(200)}`,
    );
    await Promise.all(blocks.map((b) => appendStepSummary(path, b)));
    const text = await readFile(path, 'utf8');
    const found = text.split('\n\n').filter(Boolean);
    expect(found.sort()).toEqual(blocks.map((b) => b.replace(/\n$/, '')).sort());
  });

  it('cuts at a line to stay under GitHub’s 1 MiB, with a note, and writes nothing when no room is left', async () => {
    const path = join(await makeTmp(), 'summary.md');
    await writeFile(path, 'x'.repeat(STEP_SUMMARY_LIMIT - 5000));
    const big = Array.from({ length: 400 }, (_, i) => `| row ${i} | ✓ ünïcödé |`).join('\n');
    expect(await appendStepSummary(path, big)).toEqual({ written: true, truncated: true });
    const bytes = await readFile(path);
    expect(bytes.length).toBeLessThanOrEqual(STEP_SUMMARY_LIMIT);
    const added = bytes.subarray(STEP_SUMMARY_LIMIT - 5000).toString('utf8');
    expect(added).not.toContain('\uFFFD');
    expect(added).toMatch(
      /\| row \d+ \| ✓ ünïcödé \|\n\n> The rest of this report is cut here: GitHub limits a step summary to 1 MiB\./,
    );
    expect(await appendStepSummary(path, big)).toEqual({ written: false, truncated: true });
    expect((await readFile(path)).length).toBe(bytes.length);
  });
});
