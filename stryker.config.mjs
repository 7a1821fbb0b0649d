// Mutation testing of the fail-closed core (docs/mutation.md): the files that decide
// whether a GO can happen, whether evidence text is read and shown as a reader sees it,
// and whether secrets stay out of outputs. `npm run mutation`; one file while working:
// `npm run mutation -- --mutate src/decide/waivers.ts`.
import { resolve } from 'node:path';

// .tools (the built OPA and Regal) is not copied into the sandbox: tests that need them
// find them here (src/pack/opa-cli.ts, regal-cli.ts read these variables).
process.env.OPA_BIN ||= resolve('.tools/bin/opa');
process.env.REGAL_BIN ||= resolve('.tools/bin/regal');

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  packageManager: 'npm',
  testRunner: 'vitest',
  // The tests of these files, and the CLI-level tests that run the CLI from the mutated
  // sources (test/support/helpers.ts runCli): vitest.mutation.config.ts.
  vitest: { configFile: 'vitest.mutation.config.ts', related: false },
  checkers: ['typescript'],
  tsconfigFile: 'tsconfig.json',
  typescriptChecker: { prioritizePerformanceOverAccuracy: true },
  coverageAnalysis: 'perTest',
  // Only the instrumented sources need `// @ts-nocheck`: the default pattern would add it to
  // bundle/validators.js too, whose digest the manifest records.
  disableTypeChecks: 'src/**/*.ts',
  mutate: [
    'src/decide/decide.ts',
    'src/decide/waivers.ts',
    'src/decide/verdict.ts',
    'src/decide/recorded-facts.ts',
    'src/load/json-source.ts',
    'src/evaluate/wasm-policy.ts',
    'src/evaluate/links.ts',
    'src/core/text/redact.ts',
    'src/core/text/secret-rules.ts',
    'src/core/text/normalise.ts',
    'src/core/text/escape.ts',
    'src/core/digest.ts',
    'src/collect/**/*.ts',
  ],
  // The machine is shared: two test runners at most.
  concurrency: 2,
  // A CLI-level test spawns node with a TypeScript loader; give it room.
  timeoutMS: 30_000,
  dryRunTimeoutMinutes: 30,
  reporters: ['clear-text', 'progress', 'json', 'html'],
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  htmlReporter: { fileName: 'reports/mutation/mutation.html' },
  thresholds: { high: 95, low: 90, break: 90 },
  tempDirName: '.stryker-tmp',
  // dist/ and outputs of earlier runs are not needed in the sandbox: tests run the sources.
  ignorePatterns: ['.tools', '.stryker-tmp*', 'dist', 'reports', 'prodgate-out', 'test-output', '.vitest-output'],
};
