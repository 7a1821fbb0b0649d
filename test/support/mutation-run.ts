// The CLI in a mutation run (npm run mutation, docs/mutation.md): Stryker's vitest runner
// switches a mutant on in the test process only, and measures which mutants each test
// reached there. A CLI-level test runs the CLI in a child process, so this module carries
// both across: the active mutant into the child, the child's coverage back to the test.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { beforeEach } from 'vitest';

/**
 * Stryker's state in this test process (its instrumented code and its vitest setup file
 * keep it in globalThis.__stryker__, INSTRUMENTER_CONSTANTS of @stryker-mutator/api): the
 * mutant switched on, the test running, which mutants each test reached (counts by mutant
 * id), and the hit limit that stops a mutant looping forever.
 */
interface StrykerState {
  activeMutant?: string;
  currentTestId?: string;
  hitLimit?: number;
  mutantCoverage?: {
    static: Record<string, number>;
    perTest: Record<string, Record<string, number>>;
  };
}

/** Read by Stryker's instrumented code in a child process: the mutant to switch on. */
const ACTIVE_MUTANT_VARIABLE = '__STRYKER_ACTIVE_MUTANT__';
/** Read by child-mutant-coverage.mjs: where to write the child's coverage. */
const COVERAGE_VARIABLE = 'PRODGATE_CHILD_MUTANT_COVERAGE';
/** Read by child-mutant-coverage.mjs: the hit limit of the active mutant. */
const HIT_LIMIT_VARIABLE = 'PRODGATE_CHILD_MUTANT_HIT_LIMIT';

function strykerState(): StrykerState | undefined {
  return (globalThis as { __stryker__?: StrykerState }).__stryker__;
}

/**
 * Whether the CLI runs from its sources: under Stryker (its test-runner setup creates
 * globalThis.__stryker__ before any test file loads), or when PRODGATE_TEST_CLI=sources.
 * A built dist/ never holds the mutant under test.
 */
export function cliFromSources(): boolean {
  return strykerState() !== undefined || process.env['PRODGATE_TEST_CLI'] === 'sources';
}

/** node's arguments to run the CLI of the sources in `root`: tsx loads TypeScript. */
export function sourceCliArgs(root: string): string[] {
  return [
    '--import',
    pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href,
    '--import',
    pathToFileURL(join(root, 'test/support/child-mutant-coverage.mjs')).href,
    join(root, 'src/cli/main.ts'),
  ];
}

/**
 * Prepares the environment of a CLI child process of a mutation run and returns what to
 * do once it has exited. With a mutant switched on, the child gets its id and hit limit.
 * In the run that measures coverage (no mutant on), the child writes the mutants it
 * reached to a file, and they are counted as reached by the running test: with per-test
 * coverage, Stryker runs a test against a mutant only when the test reached it.
 */
export async function prepareChild(env: NodeJS.ProcessEnv): Promise<() => Promise<void>> {
  delete env[ACTIVE_MUTANT_VARIABLE];
  delete env[COVERAGE_VARIABLE];
  delete env[HIT_LIMIT_VARIABLE];
  const stryker = strykerState();
  if (!stryker) return async () => undefined;
  if (stryker.activeMutant !== undefined) {
    env[ACTIVE_MUTANT_VARIABLE] = stryker.activeMutant;
    if (stryker.hitLimit !== undefined) env[HIT_LIMIT_VARIABLE] = String(stryker.hitLimit);
    return async () => undefined;
  }
  const dir = await mkdtemp(join(tmpdir(), 'prodgate-coverage-'));
  env[COVERAGE_VARIABLE] = join(dir, 'coverage.json');
  return async () => {
    try {
      countAsReached(stryker, await readFile(join(dir, 'coverage.json'), 'utf8'));
    } catch {
      // No file: the child reached no instrumented code.
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  };
}

/**
 * Mutants reached by CLI runs outside any test (in beforeAll): counted as reached by every
 * test of the file that runs after, since those tests read what that run wrote.
 */
const reachedBeforeTests: Record<string, number> = {};

function countAsReached(stryker: StrykerState, childCoverage: string): void {
  const child = JSON.parse(childCoverage) as NonNullable<StrykerState['mutantCoverage']>;
  const testId = stryker.currentTestId;
  let target = reachedBeforeTests;
  if (testId !== undefined) {
    stryker.mutantCoverage ??= { static: {}, perTest: {} };
    target = stryker.mutantCoverage.perTest[testId] ?? {};
    stryker.mutantCoverage.perTest[testId] = target;
  }
  // In the child no test runs: its counts are all "static" (or per test, never both).
  for (const counts of [child.static, ...Object.values(child.perTest)]) add(target, counts);
}

function add(target: Record<string, number>, counts: Record<string, number>): void {
  for (const [id, count] of Object.entries(counts)) target[id] = (target[id] ?? 0) + count;
}

if (strykerState()) {
  // Runs after Stryker's own beforeEach (its setup file registers first), which names the test.
  beforeEach(() => {
    const stryker = strykerState();
    const testId = stryker?.currentTestId;
    if (!stryker || testId === undefined || Object.keys(reachedBeforeTests).length === 0) return;
    stryker.mutantCoverage ??= { static: {}, perTest: {} };
    const target = stryker.mutantCoverage.perTest[testId] ?? {};
    stryker.mutantCoverage.perTest[testId] = target;
    add(target, reachedBeforeTests);
  });
}

/**
 * How much slower code runs in a mutation run: every expression of a mutated file is
 * instrumented (a mutant switch and a coverage counter), which costs several times its
 * own time. A test's generous time bound against a quadratic blow-up is multiplied by
 * this, so that only a blow-up fails it there too (a mutant that makes a pattern
 * backtrack still runs into Stryker's own timeout).
 */
export const INSTRUMENTED_SLOWDOWN = strykerState() ? 20 : 1;
