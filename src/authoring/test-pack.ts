import { relative } from 'node:path';
import { type Finding, finding } from '../core/finding.js';
import type { Result } from '../core/result.js';
import { WasmPolicy } from '../evaluate/wasm-policy.js';
import { childrenOf, type GateMeta } from '../pack/catalog.js';
import { inspectGates } from '../pack/gate-metadata.js';
import { checkOpaVersion, runOpaRaw } from '../pack/opa-cli.js';
import { readPackConfig, type PackConfig } from '../pack/pack-config.js';
import { packPaths, type PackPaths } from '../pack/pack.js';
import { checkPackFileNames } from '../pack/pack-file-names.js';
import { withRegoSources } from '../pack/rego-library.js';
import { policyCoverage, type OpaCoverageReport, type PolicyCoverage } from './coverage.js';
import { builtinHint } from './findings.js';
import {
  buildTestWasm,
  runWasmTests,
  testEntrypoint,
  type TestCase,
  type TestOutcome,
} from './wasm-tests.js';

export const DEFAULT_COVERAGE_MIN = 90;

/** `ok`: no finding, every test passes under OPA and opa-wasm, coverage at the minimum. */
export interface PackTestResult extends Result<PackTestCode> {
  opaVersion: string;
  /** `opa test` (the Go evaluator), per test. */
  opa: TestOutcome[];
  skipped: number;
  coverage?: PolicyCoverage;
  coverageMin: number;
  /** The same tests compiled to wasm and run through opa-wasm, per test. */
  wasm: TestOutcome[];
}

/**
 * `cannot-run`: why a stage could not run at all (the policies or tests do not compile);
 * `fail-closed`: a gate that does not fail closed on empty evidence, or that the
 * entrypoint does not decide (file: the pack's policies folder).
 */
export type PackTestCode = 'cannot-run' | 'fail-closed';

/** The messages of a test result's findings with one code, in order. */
export function messagesOf(result: PackTestResult, code: PackTestCode): string[] {
  return result.findings.filter((f) => f.code === code).map((f) => f.message);
}

const testFinding = (code: PackTestCode, message: string): Finding<PackTestCode> =>
  finding({ severity: 'error', code, message, file: 'policies' });

interface OpaTestJson {
  package?: string;
  name?: string;
  location?: { file?: string; row?: number };
  fail?: boolean;
  skip?: boolean;
  error?: { message?: string; code?: string } | string;
}

/**
 * Tests a pack: `opa test` with coverage (against the wasm capabilities), then the same
 * test rules compiled to wasm and run through opa-wasm, then a fail-closed check of the
 * compiled entrypoint: with no evidence at all, no gate may pass.
 */
export async function testPack(
  root: string | undefined,
  coverageMin = DEFAULT_COVERAGE_MIN,
): Promise<PackTestResult> {
  const paths = packPaths(root);
  checkPackFileNames(paths);
  const config = await readPackConfig(paths.root);
  const opaVersion = await checkOpaVersion();
  const result: PackTestResult = {
    opaVersion,
    opa: [],
    skipped: 0,
    coverageMin,
    wasm: [],
    findings: [],
    ok: false,
  };
  const caps = relative(paths.root, paths.capabilities);

  // The pack's tests run with its library, the shared one included (rego-library.ts).
  const run = await withRegoSources(paths, (sources) =>
    runOpaRaw(['test', '--format', 'json', '--capabilities', caps, 'policies'], sources),
  );
  let raw: OpaTestJson[];
  try {
    raw = JSON.parse(run.stdout) as OpaTestJson[];
  } catch {
    const message = (run.stderr || run.stdout).trim();
    result.findings.push(
      testFinding(
        'cannot-run',
        `the policies and tests do not compile: ${message}${builtinHint(message, caps)}`,
      ),
    );
    return result;
  }
  const tests: TestCase[] = [];
  for (const t of raw) {
    const test: TestCase = {
      package: t.package ?? '?',
      name: t.name ?? '?',
      ...(t.location?.file ? { file: t.location.file, line: t.location.row ?? 1 } : {}),
    };
    if (t.skip) {
      result.skipped++;
      continue;
    }
    tests.push(test);
    const error = typeof t.error === 'string' ? t.error : t.error?.message;
    result.opa.push({
      ...test,
      passed: !t.fail && !error,
      ...(error ? { error } : t.fail ? { error: 'not true' } : {}),
    });
  }
  if (tests.length === 0)
    result.findings.push(
      testFinding(
        'cannot-run',
        'no tests: every gate needs test rules (test_*) in a _test.rego file',
      ),
    );

  // opa test --coverage prints no report when a test fails: coverage is measured on a green run.
  if (result.opa.every((t) => t.passed)) {
    const cov = await withRegoSources(paths, (sources) =>
      runOpaRaw(
        ['test', '--coverage', '--format', 'json', '--capabilities', caps, 'policies'],
        sources,
      ),
    );
    try {
      result.coverage = policyCoverage(JSON.parse(cov.stdout) as OpaCoverageReport);
    } catch {
      result.findings.push(
        testFinding(
          'cannot-run',
          `opa test --coverage gave no report: ${(cov.stderr || cov.stdout).trim()}`,
        ),
      );
    }
  }

  const built = await buildTestWasm(paths, [config.entrypoint, ...tests.map(testEntrypoint)]);
  if ('error' in built) {
    result.findings.push(
      testFinding(
        'cannot-run',
        `the policies and tests do not compile to wasm: ${built.error}${builtinHint(built.error, caps)}`,
      ),
    );
  } else {
    result.wasm = runWasmTests(built.wasm, tests);
    result.findings.push(
      ...(await failClosedProblems(paths, config, built.wasm)).map((p) =>
        testFinding('fail-closed', p),
      ),
    );
  }

  result.ok =
    result.findings.length === 0 &&
    result.opa.every((t) => t.passed) &&
    result.wasm.every((t) => t.passed) &&
    result.coverage !== undefined &&
    result.coverage.percent >= coverageMin;
  return result;
}

/**
 * Evaluates the compiled entrypoint, in every environment, on an input with no
 * evidence: every gate of the catalog must be decided, and none may pass (a parent's
 * own decision is `applicable`; its status comes from its children). A gate that
 * passes here passes on absent data, the opposite of fail-closed.
 */
async function failClosedProblems(
  paths: PackPaths,
  config: PackConfig,
  wasm: Buffer,
): Promise<string[]> {
  let catalog: GateMeta[];
  try {
    catalog = (await inspectGates(paths.root, config.environments)).gates;
  } catch {
    return []; // opa inspect fails only on what the compile above already reported
  }
  const parents = childrenOf(catalog);
  const problems: string[] = [];
  for (const env of config.environments) {
    const outcome = WasmPolicy.load(wasm, config.entrypoint).evaluate({
      env,
      as_of: '2000-01-01',
      evidence: {},
      links: {},
    });
    if (!outcome.ok || outcome.result === undefined) {
      problems.push(
        `${env}: ${config.entrypoint} ${outcome.ok ? 'is undefined' : `throws: ${outcome.error}`} on empty evidence`,
      );
      continue;
    }
    const decided = ((outcome.result as { gates?: unknown }).gates ?? {}) as Record<
      string,
      { status?: unknown }
    >;
    for (const gate of catalog) {
      const status = decided[gate.id]?.status;
      if (status === undefined)
        problems.push(
          `${env}: gate ${gate.id} is not decided by ${config.entrypoint} (is its package listed in the entrypoint's rule?)`,
        );
      else if (status === 'pass' && !parents.has(gate.id))
        problems.push(
          `${env}: gate ${gate.id} passes with no evidence at all: it must fail closed (derive its reasons from not ok_x)`,
        );
    }
    const known = new Set(catalog.map((g) => g.id));
    for (const id of Object.keys(decided))
      if (!known.has(id))
        problems.push(`${env}: ${config.entrypoint} decides gate ${id}, which has no METADATA`);
  }
  return problems;
}
