// The mutation check of the policies (scripts/mutation-check.mjs), run in full: every
// single change of the GO example that survives (stays GO) must be documented in
// docs/hostile-evidence.md as harmless or as a known policy gap, and every documented
// survivor must still survive.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../support/helpers.ts';

interface Summary {
  mutations: number;
  killed: number;
  killedByPolicy: number;
  killedBySchema: number;
  killRate: number;
  byOperation: Record<string, number>;
  survivors: { id: string; verdict: string; why: string }[];
  unexplained: string[];
  stale: string[];
}

let summary: Summary;
let exitCode: number;

beforeAll(async () => {
  const run = await promisify(execFile)(
    process.execPath,
    [join(REPO_ROOT, 'scripts/mutation-check.mjs'), '--json'],
    { cwd: REPO_ROOT, maxBuffer: 16 * 1024 * 1024 },
  ).then(
    (r) => ({ ...r, code: 0 }),
    (e: { stdout: string; stderr: string; code: number }) => e,
  );
  exitCode = run.code;
  summary = JSON.parse(run.stdout) as Summary;
}, 300_000);

describe('mutation check of the policies', () => {
  it('makes every kind of change, hundreds of them, to every file', () => {
    expect(summary.mutations).toBeGreaterThan(300);
    // 9 changes of the YAML evidence, 8 of a JUnit report, 8 of a SARIF log and 8 of the
    // configuration files (docs/artifacts.md)
    expect(Object.keys(summary.byOperation)).toHaveLength(33);
    expect(Object.keys(summary.byOperation)).toEqual(
      expect.arrayContaining([
        'rule-drop',
        'receiver-no-integration',
        'route-to-nothing',
        'panel-no-query',
        'otel-exporter-none',
        'slo-drop',
        'alert-resolved',
        'alert-date-future',
      ]),
    );
    expect(
      Object.keys(summary.byOperation).filter(
        (op) => op.startsWith('junit-') || op.startsWith('sarif-'),
      ),
    ).toHaveLength(16);
    for (const [op, count] of Object.entries(summary.byOperation))
      expect(count, op).toBeGreaterThan(0);
    expect(summary.killed + summary.survivors.length).toBe(summary.mutations);
    expect(summary.killedByPolicy).toBeGreaterThan(100);
  });

  it('leaves no unexplained survivor and no stale explanation', () => {
    expect(summary.unexplained).toEqual([]);
    expect(summary.stale).toEqual([]);
    expect(exitCode).toBe(0);
    for (const s of summary.survivors) expect(['harmless', 'gap'], s.id).toContain(s.verdict);
  });
});
