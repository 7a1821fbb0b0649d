// Evidence that is missing, schema-invalid or unparseable: the gates that read it become
// fail or error, the rest is still evaluated, the verdict is NO-GO (exit 1), and every
// problem is printed as file:line:col.
import { cp, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  cleanupTmp,
  copyEvidence,
  editYaml,
  evaluateDir,
  gateOf,
  manifestGates,
  STACK_TRACE,
  type Report,
} from '../support/helpers.ts';
import { failsOnlyForChangedEvidence } from '../support/approve.ts';

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

type Run = Awaited<ReturnType<typeof evaluateDir>> & { dir: string };

let catalog: { id: string; parent?: string; evidence: string[] }[];

/** Gates that read a kind, and those that do not. */
function gatesReading(kind: string): { readers: string[]; others: string[] } {
  const readers = catalog.filter((g) => g.evidence.includes(kind)).map((g) => g.id);
  return { readers, others: catalog.map((g) => g.id).filter((id) => !readers.includes(id)) };
}

function isParent(id: string): boolean {
  return catalog.some((g) => g.parent === id);
}

async function scenario(prepare: (dir: string) => Promise<void>): Promise<Run> {
  const dir = await copyEvidence('prod');
  await prepare(dir);
  return { ...(await evaluateDir(dir, 'prod')), dir };
}

function expectNoGo(run: Run): void {
  expect(run.exitCode, run.stderr).toBe(1);
  expect(run.stderr).toBe('');
  expect(run.stderr).not.toMatch(STACK_TRACE);
  expect(run.report.verdict).toBe('NO-GO');
}

/** The gates not reading the broken kind pass; a sign-off may fail, only because the evidence it approved changed. */
function expectOthersPass(report: Report, others: string[]): void {
  for (const id of others) {
    const gate = gateOf(report, id);
    if (failsOnlyForChangedEvidence(gate)) continue;
    expect(['pass', 'na'], `${id}: ${JSON.stringify(gate.reasons)}`).toContain(gate.status);
  }
}

const runs: Record<string, Run> = {};

beforeAll(async () => {
  catalog = await manifestGates();
  const scenarios: Record<string, (dir: string) => Promise<void>> = {
    deleted: (dir) => rm(join(dir, 'ops.yaml')),
    unknownField: (dir) => editYaml(dir, 'ops.yaml', (d) => (d['migrations'].parallel = true)),
    schemaVersion: (dir) => editYaml(dir, 'signoff.yaml', (d) => (d['schemaVersion'] = 2)),
    syntax: async (dir) => {
      const path = join(dir, 'security.yaml');
      const text = await readFile(path, 'utf8');
      await writeFile(
        path,
        text.replace('  allowCredentials: true\n', '  allowCredentials: [true\n'),
      );
    },
    duplicateKey: async (dir) => {
      const path = join(dir, 'runbook.yaml');
      await writeFile(
        path,
        `${await readFile(path, 'utf8')}rollback: evidence/docs/runbooks/release.md\n`,
      );
    },
    duplicateKind: (dir) => cp(join(dir, 'release.yaml'), join(dir, 'release-copy.yaml')),
    ignoredFile: (dir) => writeFile(join(dir, 'NOTES.txt'), 'not evidence\n'),
    invalidUtf8: (dir) =>
      writeFile(
        join(dir, 'topology.yaml'),
        Buffer.from([0x6b, 0x69, 0x6e, 0x64, 0x3a, 0x20, 0xc3, 0x28, 0x0a]),
      ),
  };
  await Promise.all(
    Object.entries(scenarios).map(
      async ([name, prepare]) => (runs[name] = await scenario(prepare)),
    ),
  );
}, 120_000);
afterAll(cleanupTmp);

describe('broken evidence', () => {
  it('a deleted file fails the gates that read it with missing-evidence', () => {
    const run = runs['deleted'] as Run;
    expectNoGo(run);
    const { readers, others } = gatesReading('ops');
    expect(readers.length).toBeGreaterThan(5);
    for (const id of readers) {
      const gate = gateOf(run.report, id);
      expect(gate.status, id).toBe('fail');
      if (!isParent(id)) {
        expect(gate.reasons[0]?.code, id).toBe('missing-evidence');
        expect(gate.reasons[0]?.message, id).toMatch(/no ops evidence/);
      }
    }
    expectOthersPass(run.report, others);
    expect(run.report.evidence.files.map((f) => f.path)).not.toContain('ops.yaml');
  });

  it('a schema-invalid file (unknown field) makes its gates error, prints file:line:col, and the rest is evaluated', async () => {
    const run = runs['unknownField'] as Run;
    expectNoGo(run);
    const { readers, others } = gatesReading('ops');
    for (const id of readers) expect(gateOf(run.report, id).status, id).toBe('error');
    const migrations = gateOf(run.report, 'ops.migrations');
    expect(migrations.reasons[0]).toMatchObject({
      code: 'invalid-evidence',
      evidence: [expect.objectContaining({ file: 'ops.yaml', pointer: '/migrations/parallel' })],
    });
    expectOthersPass(run.report, others);
    expect(gateOf(run.report, 'release.metadata').status).toBe('pass');

    const text = await readFile(join(run.dir, 'ops.yaml'), 'utf8');
    const line = text.split('\n').findIndex((l) => l.startsWith('  parallel:')) + 1;
    expect(line).toBeGreaterThan(0);
    expect(run.stdout).toContain(
      `  ${run.dir}/ops.yaml:${line}:3: error: unknown field "parallel" (at /migrations/parallel) [schema-violation]\n`,
    );
    expect(run.report.diagnostics).toEqual([
      expect.objectContaining({ file: 'ops.yaml', line, column: 3, code: 'schema-violation' }),
    ]);
    expect(run.report.evidence.files.find((f) => f.path === 'ops.yaml')?.valid).toBe(false);
  });

  it('an unsupported schemaVersion is NO-GO: its gates do not pass and the diagnostic is located', async () => {
    const run = runs['schemaVersion'] as Run;
    const text = await readFile(join(run.dir, 'signoff.yaml'), 'utf8');
    const line = text.split('\n').indexOf('schemaVersion: 2') + 1;
    expect(line).toBeGreaterThan(0);
    expectNoGo(run);
    const { readers, others } = gatesReading('signoff');
    // The file is there and names its kind: its gates are `error` (invalid), not "missing".
    for (const id of readers) expect(gateOf(run.report, id).status, id).toBe('error');
    expectOthersPass(run.report, others);
    expect(run.stdout).toContain(
      `\n  ${run.dir}/signoff.yaml:${line}:1: error: kind "signoff" has no schemaVersion 2; supported: 1 (at /schemaVersion) [unknown-schema-version]\n`,
    );
    expect(run.report.problems).toEqual(['the evidence has 1 error(s); see the diagnostics']);
  });

  it('a YAML syntax error makes the gates of the kind its name says error, at file:line:col', () => {
    const run = runs['syntax'] as Run;
    expectNoGo(run);
    const { readers, others } = gatesReading('security');
    for (const id of readers) expect(gateOf(run.report, id).status, id).toBe('error');
    expectOthersPass(run.report, others);
    const [diagnostic] = run.report.diagnostics;
    expect(run.report.diagnostics).toHaveLength(1);
    expect(diagnostic).toMatchObject({
      severity: 'error',
      code: 'parse-error',
      file: 'security.yaml',
    });
    expect(diagnostic?.line).toBeGreaterThanOrEqual(18);
    expect(run.stdout).toContain(
      `  ${run.dir}/security.yaml:${diagnostic?.line}:${diagnostic?.column}: error: `,
    );
    expect(gateOf(run.report, 'security.cors').reasons[0]).toMatchObject({
      code: 'invalid-evidence',
      evidence: [expect.objectContaining({ file: 'security.yaml' })],
    });
    expect(run.report.evidence.files.find((f) => f.path === 'security.yaml')).toMatchObject({
      kind: null,
      valid: false,
    });
  });

  it('a duplicate YAML key is an error with its line', () => {
    const run = runs['duplicateKey'] as Run;
    expectNoGo(run);
    const { readers, others } = gatesReading('runbook');
    for (const id of readers) expect(gateOf(run.report, id).status, id).toBe('error');
    expectOthersPass(run.report, others);
    expect(run.report.diagnostics).toEqual([
      expect.objectContaining({ code: 'duplicate-key', file: 'runbook.yaml', line: 8 }),
    ]);
    expect(run.stdout).toMatch(
      new RegExp(
        `  ${escapeRegExp(run.dir)}/runbook\\.yaml:8:\\d+: error: duplicate key .*\\[duplicate-key\\]\\n`,
      ),
    );
  });

  it('two files of the same kind make that kind error', () => {
    const run = runs['duplicateKind'] as Run;
    expectNoGo(run);
    for (const id of gatesReading('release').readers)
      expect(gateOf(run.report, id).status, id).toBe('error');
    expect(run.report.diagnostics.map((d) => [d.file, d.code]).sort()).toEqual([
      ['release-copy.yaml', 'duplicate-kind'],
      ['release.yaml', 'duplicate-kind'],
    ]);
  });

  it('invalid UTF-8 makes the gates of the file error', () => {
    const run = runs['invalidUtf8'] as Run;
    expectNoGo(run);
    for (const id of gatesReading('topology').readers)
      expect(gateOf(run.report, id).status, id).toBe('error');
    expect(run.report.diagnostics).toEqual([
      expect.objectContaining({
        code: 'parse-error',
        file: 'topology.yaml',
        message: expect.stringMatching(/UTF-8/),
      }),
    ]);
  });

  it('a file that is not evidence is only a warning: still GO', () => {
    const run = runs['ignoredFile'] as Run;
    expect(run.exitCode, run.stderr).toBe(0);
    expect(run.report.verdict).toBe('GO');
    expect(run.report.diagnostics).toEqual([
      expect.objectContaining({ severity: 'warning', code: 'ignored-file', file: 'NOTES.txt' }),
    ]);
    expect(run.stdout).toContain(`${run.dir}/NOTES.txt:1:1: warning: `);
  });
});
