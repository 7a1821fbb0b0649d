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
  'test/core/**/*.test.ts',
  'test/load/**/*.test.ts',
  'test/validate/**/*.test.ts',
  'test/evaluate/evaluate.test.ts',
  'test/evaluate/wasm-policy.test.ts',
  'test/evaluate/wording.test.ts',
  'test/render/render.test.ts',
  'test/decide/**/*.test.ts',
  'test/collect/fail-closed.test.ts',
  'test/collect/importers.test.ts',
  'test/provenance/provenance.test.ts',
  'test/attest/dsse.test.ts',
  'test/pipeline/prototype.test.ts',
];

const CLI = [
  'test/cli/broken-evidence.test.ts',
  'test/cli/forged-go.test.ts',
  'test/cli/cli.test.ts',
  'test/cli/what-decides.test.ts',
  'test/cli/secrets.test.ts',
  'test/cli/sinks.test.ts',
  'test/cli/collect-cli.test.ts',
];

// Not mergeConfig: it would concatenate the include lists, and so run every test.
export default defineConfig({
  ...base,
  test: {
    ...base.test,
    include: process.env['PRODGATE_MUTATION_TESTS'] === 'cli' ? [...UNIT, ...CLI] : UNIT,
  },
});
