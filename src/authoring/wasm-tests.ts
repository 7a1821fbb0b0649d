import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { messageOf } from '../core/errors.js';
import { WasmPolicy } from '../evaluate/wasm-policy.js';
import { runOpaRaw } from '../pack/opa-cli.js';
import type { PackPaths } from '../pack/pack.js';
import { withRegoSources } from '../pack/rego-library.js';

/** One Rego test, as `opa test` named it. */
export interface TestCase {
  /** `data.checklist.runbook_test` */
  package: string;
  name: string;
  file?: string;
  line?: number;
}

export interface TestOutcome extends TestCase {
  passed: boolean;
  /** Why it failed: the thrown error, an undefined result, or a result that is not true. */
  error?: string;
}

/** The wasm entrypoint of a test rule: `data.checklist.runbook_test` + `test_x` -> `checklist/runbook_test/test_x`. */
export function testEntrypoint(test: TestCase): string {
  return `${test.package
    .replace(/^data\./, '')
    .split('.')
    .join('/')}/${test.name}`;
}

/**
 * Compiles the policies and their tests to one policy.wasm, with every test rule (and
 * the pack's entrypoint) as a wasm entrypoint, against the wasm capabilities: what
 * `prodgate build` does, plus the tests. Returns the wasm, or OPA's message.
 */
export async function buildTestWasm(
  paths: PackPaths,
  entrypoints: string[],
): Promise<{ wasm: Buffer } | { error: string }> {
  const work = await mkdtemp(join(tmpdir(), 'prodgate-test-wasm-'));
  try {
    const tarball = join(work, 'bundle.tar.gz');
    const args = [
      'build',
      '--target',
      'wasm',
      '--capabilities',
      relative(paths.root, paths.capabilities),
      '--ignore',
      '*.json',
      '--output',
      tarball,
    ];
    for (const entrypoint of entrypoints) args.push('--entrypoint', entrypoint);
    const run = await withRegoSources(paths, (sources) =>
      runOpaRaw([...args, relative(paths.root, paths.policies)], sources),
    );
    if (run.exitCode !== 0) return { error: (run.stderr || run.stdout).trim() };
    const { execa } = await import('execa');
    await execa('tar', ['-xzf', tarball, '-C', work, '/policy.wasm']);
    return { wasm: await readFile(join(work, 'policy.wasm')) };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

/**
 * Runs each test rule under opa-wasm through the engine's own loader (WasmPolicy):
 * a test passes only when its rule evaluates to true. A thrown error (a builtin the
 * SDK lacks, sprintf-js refusing a verb) or an undefined result is a failure, exactly
 * as it would make a gate `error` at release time. Tests run with an empty input
 * object, since opa-wasm always passes one; they set their input with `with input as`.
 */
export function runWasmTests(wasm: Buffer, tests: TestCase[]): TestOutcome[] {
  return tests.map((test) => {
    const entrypoint = testEntrypoint(test);
    let outcome: ReturnType<WasmPolicy['evaluate']>;
    try {
      outcome = WasmPolicy.load(wasm, entrypoint).evaluate({});
    } catch (thrown) {
      return { ...test, passed: false, error: messageOf(thrown) };
    }
    if (!outcome.ok)
      return { ...test, passed: false, error: `error under opa-wasm: ${outcome.error}` };
    if (outcome.result === undefined)
      return {
        ...test,
        passed: false,
        error: 'undefined under opa-wasm (some expression of the test is not true there)',
      };
    if (outcome.result !== true)
      return {
        ...test,
        passed: false,
        error: `evaluates to ${JSON.stringify(outcome.result)} under opa-wasm, not true`,
      };
    return { ...test, passed: true };
  });
}
