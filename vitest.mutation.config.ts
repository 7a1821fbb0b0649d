import { defineConfig } from 'vitest/config';
import base from './vitest.config.ts';

/**
 * The tests `npm run mutation` (stryker.config.mjs) runs against each mutant: the tests of
 * the fail-closed core, in process. `npm run mutation:cli` adds the CLI-level tests, which
 * run the CLI from the mutated sources (test/support/mutation-run.ts): each of them starts
 * node several times, so a mutant they reach costs seconds, not milliseconds.
 * Tests of other stages (pack authoring, output formats, the browser) are left out.
 */
const UNIT = [
  'test/unit/**/*.test.ts',
  'test/decide/**/*.test.ts',
  'test/waivers/**/*.test.ts',
  'test/text/**/*.test.ts',
  'test/collect/fail-closed.test.ts',
  'test/collect/importers.test.ts',
  'test/faults/replayed.test.ts',
  'test/provenance/digest.test.ts',
  'test/provenance/provenance.test.ts',
  'test/provenance/dsse.test.ts',
  'test/hostile/prototype.test.ts',
];

const CLI = [
  'test/e2e/broken-evidence.test.ts',
  'test/e2e/forged-go.test.ts',
  'test/e2e/cli.test.ts',
  'test/hostile/what-decides.test.ts',
  'test/hostile/secrets.test.ts',
  'test/hostile/sinks.test.ts',
  'test/collect/collect-cli.test.ts',
];

// Not mergeConfig: it would concatenate the include lists, and so run every test.
export default defineConfig({
  ...base,
  test: {
    ...base.test,
    include: process.env['PRODGATE_MUTATION_TESTS'] === 'cli' ? [...UNIT, ...CLI] : UNIT,
  },
});
