// Hostile evidence through the built CLI, one subprocess per case: each must end with
// its exit code (never GO for anything invalid), a one-line diagnostic naming the file,
// no stack trace, and within a generous time bound. The outcomes are also written to
// test-output/hostile-cases.json, the record docs/hostile-evidence.md is built from.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { basename, extname, join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AS_OF,
  checklistName,
  cleanupTmp,
  copyEvidence,
  inBatches,
  makeTmp,
  manifestGates,
  readReport,
  REPO_ROOT,
  runCli,
  STACK_TRACE,
  type CliResult,
  type Report,
} from '../support/helpers.ts';
import { approveSignoffs } from '../support/approve.ts';
import { CASES, type Expected, type HostileCase } from '../support/hostile-cases.ts';

const addFormats = (addFormatsModule as unknown as { default: (ajv: Ajv2020) => Ajv2020 }).default;

/** Generous: a case takes about half a second; this only catches hangs and blow-ups. */
const TIME_BOUND_MS = 20_000;

interface Outcome extends CliResult {
  dir: string;
  elapsedMs: number;
  report?: Report;
  checklist?: string;
}

const outcomes = new Map<string, Outcome>();
let validateReport: ReturnType<Ajv2020['compile']>;
let catalog: { id: string; evidence: string[] }[];

beforeAll(async () => {
  const ajv = new Ajv2020({ strict: true, allErrors: true });
  addFormats(ajv);
  validateReport = ajv.compile(
    JSON.parse(await readFile(join(REPO_ROOT, 'schemas/report.v1.schema.json'), 'utf8')),
  );
  catalog = await manifestGates();
  await inBatches(CASES, 2, async (c) => outcomes.set(c.name, await run(c)));
}, 240_000);

afterAll(async () => {
  const record = CASES.map((c) => {
    const o = outcomes.get(c.name);
    const lines = o
      ? [
          ...(c.diagnostics ?? []).map((d) => diagnosticLine(d, o)),
          ...(c.gates ?? []).map((g) => o.stdout.split('\n').find((l) => g.line.test(l))),
        ]
      : [];
    const shown = lines.length ? lines : [o?.stderr.split('\n')[0] ?? ''];
    return {
      case: c.name,
      exit: o?.exitCode,
      ms: o?.elapsedMs,
      output: shown.map((l) =>
        (l ?? '')
          .split(o?.dir ?? '\0')
          .join('<bundle>')
          .trim()
          .slice(0, 240),
      ),
    };
  });
  await mkdir(join(REPO_ROOT, 'test-output'), { recursive: true });
  await writeFile(
    join(REPO_ROOT, 'test-output/hostile-cases.json'),
    `${JSON.stringify(record, null, 2)}\n`,
  );
  await cleanupTmp();
});

async function run(c: HostileCase): Promise<Outcome> {
  const dir = await copyEvidence('prod');
  await c.prepare(dir);
  // A case that must stay GO changed accepted evidence: the sign-offs approve the change.
  if (c.exit === 0) await approveSignoffs(dir);
  const outDir = await makeTmp('prodgate-hostile-out-');
  const command = c.command ?? 'evaluate';
  const args =
    command === 'evaluate' ? ['--repo-root', REPO_ROOT, '--as-of', AS_OF, '--out', outDir] : [];
  const started = performance.now();
  const result = await runCli([
    command,
    '--env',
    'prod',
    '--evidence',
    dir,
    ...args,
    ...(c.args ?? []),
  ]);
  const elapsedMs = Math.round(performance.now() - started);
  const outcome: Outcome = { ...result, dir, elapsedMs };
  if (command === 'evaluate' && c.exit !== 2) {
    outcome.report = await readReport(outDir, 'prod');
    outcome.checklist = await readFile(join(outDir, checklistName('prod')), 'utf8');
  }
  return outcome;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The stdout line of an expected diagnostic: `<dir>/<file>:line:col: error: message [code]`. */
function diagnosticLine(d: Expected, o: Outcome): string | undefined {
  const where = escapeRegExp(d.file ? `${o.dir}/${d.file}` : o.dir);
  const pattern = new RegExp(`^\\s*${where}:\\d+:\\d+: error: (.*) \\[${escapeRegExp(d.code)}\\]$`);
  return o.stdout.split('\n').find((line) => pattern.exec(line) && d.message.test(line));
}

/** The evidence kind a file is charged to: its declared kind is unknown here, so its name. */
function kindOf(file: string): string {
  return basename(file, extname(file));
}

describe.each(CASES.map((c) => [c.name, c] as const))('hostile evidence: %s', (_name, c) => {
  const outcome = (): Outcome => {
    const o = outcomes.get(c.name);
    if (!o) throw new Error(`case ${c.name} did not run`);
    return o;
  };

  it(`exits ${c.exit}, without a stack trace, within ${TIME_BOUND_MS / 1000} s`, () => {
    const o = outcome();
    expect(o.exitCode, `${o.stderr}\n${o.stdout.slice(0, 2000)}`).toBe(c.exit);
    expect(o.stderr).not.toMatch(STACK_TRACE);
    expect(o.stdout).not.toMatch(STACK_TRACE);
    if (c.exit === 2) expect(o.stderr.split('\n')[0]).toMatch(/^(error|prodgate): /);
    else expect(o.stderr).toBe('');
    expect(o.elapsedMs).toBeLessThan(TIME_BOUND_MS);
    // Everything printed is printable: control characters from evidence are escaped.
    expect(o.stdout).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f]/);
  });

  for (const d of c.diagnostics ?? []) {
    it(`prints one line naming ${d.file || 'the folder'}: ${d.code}`, () => {
      const o = outcome();
      expect(diagnosticLine(d, o), o.stdout.slice(0, 3000)).toBeDefined();
    });
  }

  for (const g of c.gates ?? []) {
    it(`${g.id} fails, and the summary says why on one line`, () => {
      const o = outcome();
      expect(o.report?.gates.find((gate) => gate.id === g.id)?.status).toBe('fail');
      expect(
        o.stdout.split('\n').some((l) => g.line.test(l)),
        o.stdout,
      ).toBe(true);
    });
  }

  if (c.exit !== 2 && (c.command ?? 'evaluate') === 'evaluate') {
    it(`writes a valid report with verdict ${c.exit === 0 ? 'GO' : 'NO-GO'}, and the checklist agrees`, () => {
      const o = outcome();
      const report = o.report as Report;
      expect(validateReport(report), JSON.stringify(validateReport.errors?.slice(0, 3))).toBe(true);
      expect(report.verdict).toBe(c.exit === 0 ? 'GO' : 'NO-GO');
      expect(o.checklist).toContain(`**Verdict: ${report.verdict}**`);
      if (c.exit === 0) {
        expect(report.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
        expect(c.accepted).toBeTruthy();
      }
    });
  }

  const kinds = [...new Set((c.diagnostics ?? []).map((d) => kindOf(d.file)))];
  if (c.exit === 1 && kinds.length) {
    it(`no gate that reads ${kinds.join(', ')} evidence passes`, () => {
      const report = outcome().report as Report;
      const readers = catalog
        .filter((g) => g.evidence.some((k) => kinds.includes(k)))
        .map((g) => g.id);
      for (const id of readers)
        expect(['fail', 'error'], id).toContain(report.gates.find((g) => g.id === id)?.status);
    });
  }
});
