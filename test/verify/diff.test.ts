// diff: what changed between two reports, gate by gate and file by file.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GateStatus } from '../../src/decide/verdict.ts';
import { evaluateEnvironment } from '../../src/engine.ts';
import { loadPack, type LoadedPack } from '../../src/pack/pack.ts';
import {
  classify,
  diffReports,
  renderDiffJson,
  renderDiffText,
  type ReportDiff,
} from '../../src/verify/diff.ts';
import {
  buildVerifiableReport,
  parseDiffableReport,
  renderReportFile,
  type DiffableReport,
} from '../../src/verify/report-file.ts';
import { AS_OF, cleanupTmp, copyEvidence, editYaml, REPO_ROOT } from '../support/helpers.ts';

afterAll(cleanupTmp);

let pack: LoadedPack;
let before: DiffableReport;
let after: DiffableReport;

async function report(evidenceDir: string, env = 'prod'): Promise<DiffableReport> {
  const evaluation = await evaluateEnvironment({
    env,
    evidenceDir,
    asOf: AS_OF,
    pack,
    repoRoot: REPO_ROOT,
  });
  const parsed = parseDiffableReport(renderReportFile(buildVerifiableReport(evaluation, {})));
  if (!parsed.ok) throw new Error(parsed.problem);
  return parsed.value;
}

beforeAll(async () => {
  pack = await loadPack();
  before = await report(join(REPO_ROOT, 'evidence/prod'));
  // Only signoff.yaml changes: sign-offs approve every other file, so an edit there would fail them too.
  const dir = await copyEvidence('prod');
  await editYaml(dir, 'signoff.yaml', (d) => {
    delete d['engineering'];
    d['product'].date = '2026-12-01';
  });
  after = await report(dir);
});

describe('classify', () => {
  it.each([
    ['pass', 'fail', 'failing'],
    ['pass', 'error', 'failing'],
    ['na', 'fail', 'failing'],
    ['waived', 'fail', 'failing'],
    ['fail', 'pass', 'fixed'],
    ['error', 'pass', 'fixed'],
    ['waived', 'pass', 'fixed'],
    ['fail', 'waived', 'waived'],
    ['pass', 'waived', 'waived'],
    ['pass', 'na', 'na'],
    ['fail', 'na', 'na'],
    ['error', 'fail', 'changed'],
    ['fail', 'error', 'changed'],
    ['na', 'pass', 'changed'],
    ['pass', 'pass', undefined],
  ] as [GateStatus, GateStatus, string | undefined][])('%s -> %s is %s', (from, to, kind) => {
    expect(classify(from, to)).toBe(kind);
  });
});

describe('diffReports', () => {
  let diff: ReportDiff;
  beforeAll(() => {
    diff = diffReports(before, after);
  });

  it('names the gates that became failing, with their new reasons', () => {
    expect(diff.differs).toBe(true);
    expect(diff.gates.map((g) => [g.id, g.change])).toEqual([
      ['signoff.product', 'failing'],
      ['signoff.engineering', 'failing'],
    ]);
    const product = diff.gates.find((g) => g.id === 'signoff.product');
    expect(product).toMatchObject({ from: 'pass', to: 'fail', reasonsRemoved: [] });
    expect(product?.reasonsAdded.join('\n')).toMatch(
      /dated 2026-12-01, after the as-of date .*signoff\.yaml \/product\/date/,
    );
  });

  it('the reverse diff calls them fixed', () => {
    const reverse = diffReports(after, before);
    expect(reverse.gates.map((g) => [g.id, g.change])).toEqual([
      ['signoff.product', 'fixed'],
      ['signoff.engineering', 'fixed'],
    ]);
    expect(reverse.gates[0]?.reasonsRemoved.length).toBeGreaterThan(0);
  });

  it('names the evidence files that changed, and nothing in the pack', () => {
    expect(diff.evidence).toEqual([
      {
        path: 'signoff.yaml',
        change: 'changed',
        from: expect.stringMatching(/^[0-9a-f]{64}$/),
        to: expect.stringMatching(/^[0-9a-f]{64}$/),
      },
    ]);
    expect(diff.pack).toEqual([]);
    expect([diff.old.verdict, diff.new.verdict]).toEqual(['GO', 'NO-GO']);
  });

  it('names an edited evidence file and the gate it broke', async () => {
    const dir = await copyEvidence('prod');
    await editYaml(dir, 'security.yaml', (d) => d['cors'].trustedOrigins.push('*'));
    const cors = diffReports(before, await report(dir));
    expect(cors.evidence.map((f) => [f.path, f.change])).toEqual([['security.yaml', 'changed']]);
    expect(cors.gates.find((g) => g.id === 'security.cors')).toMatchObject({
      change: 'failing',
      from: 'pass',
      to: 'fail',
    });
    // Any other gate that moved is a sign-off that approved the evidence before the edit.
    for (const g of cors.gates.filter((x) => x.id !== 'security.cors'))
      expect(g.id).toMatch(/^signoff\./);
  });

  it('finds nothing between a report and itself', () => {
    const same = diffReports(before, before);
    expect(same).toMatchObject({ differs: false, gates: [], evidence: [], pack: [] });
    expect(renderDiffText(same)).toMatch(/no differences/);
  });

  it('sorts gates into waived, n/a, added and removed', () => {
    const gate = (id: string, status: GateStatus) => ({
      id,
      title: id,
      status,
      reasons: status === 'pass' ? [] : [{ code: 'x', message: `${id} ${status}`, evidence: [] }],
    });
    const base = { ...before, provenance: undefined };
    const old: DiffableReport = {
      ...base,
      gates: [
        gate('a.one', 'fail'),
        gate('a.two', 'pass'),
        gate('a.gone', 'pass'),
        gate('a.same', 'fail'),
      ],
    };
    const now: DiffableReport = {
      ...base,
      gates: [
        gate('a.one', 'waived'),
        gate('a.two', 'na'),
        gate('a.new', 'pass'),
        {
          ...gate('a.same', 'fail'),
          reasons: [{ code: 'x', message: 'another reason', evidence: [] }],
        },
      ],
    };
    const changes = Object.fromEntries(diffReports(old, now).gates.map((g) => [g.id, g.change]));
    expect(changes).toEqual({
      'a.one': 'waived',
      'a.two': 'na',
      'a.new': 'added',
      'a.gone': 'removed',
      'a.same': 'changed',
    });
  });

  it('ignores line numbers that moved with an unrelated edit', () => {
    const shifted: DiffableReport = {
      ...after,
      gates: after.gates.map((g) => ({
        ...g,
        reasons: g.reasons.map((r) => ({
          ...r,
          evidence: r.evidence.map((e) => ({ ...e, line: (e.line ?? 0) + 3 })),
        })),
      })),
    };
    expect(diffReports(after, shifted).gates).toEqual([]);
  });

  it('diffs the committed reports, written before provenance, by their policy digests', async () => {
    const read = async (env: string): Promise<DiffableReport> => {
      const parsed = parseDiffableReport(
        await readFile(join(REPO_ROOT, `outputs/P4_PROD_READINESS_REPORT_${env}.json`), 'utf8'),
      );
      if (!parsed.ok) throw new Error(parsed.problem);
      return parsed.value;
    };
    const [prod, staging] = [await read('prod'), await read('staging')];
    const diff = diffReports(prod, staging);
    expect(diff.differs).toBe(true);
    expect(diff.gates.some((g) => g.id === 'security.cors' && g.change === 'failing')).toBe(true);
    expect(diff.pack).toEqual([]);
    expect(renderDiffText(diff)).toMatch(
      /note: the reports are for different environments \(prod, staging\)/,
    );
  });
});

describe('rendering', () => {
  it('text: the sides, the verdict, one section per change, the files', () => {
    const text = renderDiffText(diffReports(before, after));
    expect(text).toMatch(
      /^prodgate diff: prod as of 2026-11-25: GO -> prod as of 2026-11-25: NO-GO\n/,
    );
    expect(text).toContain('\nverdict: GO -> NO-GO\n');
    expect(text).toMatch(
      /\nnow failing \(2\):\n {2}signoff\.product: pass -> fail\n {6}\+ .*\n {2}signoff\.engineering: pass -> fail\n {6}\+ /,
    );
    expect(text).toMatch(
      /\nevidence files changed \(1\):\n {2}changed signoff\.yaml \(sha256 [0-9a-f]{64} -> [0-9a-f]{64}\)\n/,
    );
    expect(text).not.toMatch(/fixed|pack files/);
  });

  it('json: the diff itself, canonical', () => {
    const diff = diffReports(before, after);
    const json = renderDiffJson(diff);
    expect(JSON.parse(json)).toEqual(JSON.parse(JSON.stringify(diff)));
    expect(json.endsWith('}\n')).toBe(true);
    expect(json).not.toMatch(/\n./);
  });
});
