import { InvalidArgumentError, Option, type Command } from 'commander';
import { formatPercent } from '../../authoring/coverage.js';
import {
  DEFAULT_COVERAGE_MIN,
  messagesOf,
  testPack,
  type PackTestResult,
} from '../../authoring/test-pack.js';
import type { TestOutcome } from '../../authoring/wasm-tests.js';
import { escapeCiLog } from '../../core/text/escape.js';
import { EXIT } from '../exit-codes.js';
import { helpText, packOption } from '../shared-options.js';

function percentArg(value: string): number {
  const n = Number(value);
  if (!/^\d+(\.\d+)?$/.test(value) || n > 100)
    throw new InvalidArgumentError('must be a percentage from 0 to 100');
  return n;
}

export function registerTest(program: Command): void {
  program
    .command('test')
    .description(
      "run the pack's Rego tests with opa test and coverage, then the same tests compiled to wasm under opa-wasm, then a fail-closed check",
    )
    .addOption(packOption())
    .addOption(
      new Option(
        '--coverage-min <percent>',
        'fail when the policies (not their tests) are covered less than this',
      )
        .argParser(percentArg)
        .default(DEFAULT_COVERAGE_MIN),
    )
    .addHelpText(
      'after',
      helpText({
        ok: 'every check passed',
        failed: 'a test failed, coverage is under the minimum or a gate does not fail closed',
        cannot: 'could not test (OPA missing, pack.json invalid)',
      }),
    )
    .action(async (flags: { pack?: string; coverageMin: number }) => {
      const result = await testPack(flags.pack, flags.coverageMin);
      process.stdout.write(render(result));
      process.exitCode = result.ok ? EXIT.GO : EXIT.NO_GO;
    });
}

function render(r: PackTestResult): string {
  const lines: string[] = [];
  const failClosed = messagesOf(r, 'fail-closed');
  const failures = (stage: string, outcomes: TestOutcome[]): void => {
    for (const t of outcomes.filter((o) => !o.passed)) {
      lines.push(
        `FAIL ${stage} ${t.package.replace(/^data\./, '')}.${t.name}${t.file ? ` (${t.file}:${t.line ?? 1})` : ''}: ${t.error ?? 'failed'}`,
      );
    }
  };
  for (const error of messagesOf(r, 'cannot-run')) lines.push(`ERROR ${error}`);
  if (r.opa.length) {
    failures('opa', r.opa);
    lines.push(
      `opa test: ${count(r.opa)}${r.skipped ? `, ${r.skipped} skipped (todo_)` : ''} (OPA ${r.opaVersion}, Go evaluator)`,
    );
  }
  if (r.coverage) {
    const c = r.coverage;
    const under = c.percent < r.coverageMin;
    const worst = c.files.filter((f) => f.notCovered > 0).slice(0, 3);
    lines.push(
      `coverage: ${formatPercent(c.percent)} of ${c.total} policy lines (minimum ${r.coverageMin}%)${under ? ' UNDER THE MINIMUM' : ''}` +
        (worst.length
          ? `; least covered: ${worst.map((f) => `${f.file} ${formatPercent(f.percent)} (lines ${f.uncovered.slice(0, 6).join(', ')}${f.uncovered.length > 6 ? ', ...' : ''})`).join('; ')}`
          : ''),
    );
  } else if (r.opa.some((t) => !t.passed))
    lines.push('coverage: not measured (opa test prints no coverage while a test fails)');
  if (r.wasm.length) {
    failures('wasm', r.wasm);
    lines.push(
      `wasm: ${count(r.wasm)} (the same tests compiled to wasm, run by opa-wasm as evaluate does)`,
    );
  }
  for (const problem of failClosed) lines.push(`FAIL fail-closed ${problem}`);
  if (r.wasm.length && failClosed.length === 0)
    lines.push('fail-closed: with no evidence, no gate passes in any environment');
  lines.push(r.ok ? 'prodgate test: ok' : `prodgate test: FAILED (${summary(r)})`);
  // Test names, packages, files and errors come from the pack: each line escaped for a
  // terminal or CI log, so a line break in them cannot start a line of its own.
  return `${lines.map(escapeCiLog).join('\n')}\n`;
}

function count(outcomes: TestOutcome[]): string {
  const passed = outcomes.filter((o) => o.passed).length;
  return `${passed} passed, ${outcomes.length - passed} failed`;
}

function summary(r: PackTestResult): string {
  const parts: string[] = [];
  const errors = messagesOf(r, 'cannot-run');
  const failClosed = messagesOf(r, 'fail-closed');
  if (errors.length)
    parts.push(errors.length === 1 ? 'the tests could not run' : `${errors.length} errors`);
  const opaFailed = r.opa.filter((t) => !t.passed).length;
  const wasmFailed = r.wasm.filter((t) => !t.passed).length;
  if (opaFailed) parts.push(`${opaFailed} opa test(s) failed`);
  if (wasmFailed) parts.push(`${wasmFailed} test(s) failed under opa-wasm`);
  if (r.coverage && r.coverage.percent < r.coverageMin)
    parts.push(
      `coverage ${formatPercent(r.coverage.percent)} is under the minimum ${r.coverageMin}%`,
    );
  if (failClosed.length) parts.push(`${failClosed.length} fail-closed problem(s)`);
  return parts.join('; ');
}
