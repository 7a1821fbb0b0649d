import { defineConfig, mergeConfig } from 'vitest/config';
import base from './vitest.config.ts';

/**
 * The tests `npm run mutation` (stryker.config.mjs) runs against each mutant: the tests of
 * the fail-closed core, and CLI-level tests, which run the CLI from the mutated sources
 * (test/helpers.ts runCli). Tests of other stages (pack authoring, output formats, the
 * browser) reach these files only through them and would only slow each mutant down.
 */
export default mergeConfig(base, {
  test: {
    include: [
      'test/unit/**/*.test.ts',
      'test/decide/**/*.test.ts',
      'test/waivers/**/*.test.ts',
      'test/text/**/*.test.ts',
      'test/collect/**/*.test.ts',
      'test/faults/replayed.test.ts',
      'test/provenance/provenance.test.ts',
      'test/provenance/dsse.test.ts',
      'test/hostile/**/*.test.ts',
      'test/e2e/cli.test.ts',
      'test/e2e/broken-evidence.test.ts',
      'test/e2e/forged-go.test.ts',
    ],
    exclude: ['test/hostile/mutation-check.test.ts'],
  },
});
