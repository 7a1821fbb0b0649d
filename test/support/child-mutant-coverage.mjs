// Preloaded (node --import) into a CLI child process of a mutation run, when the test
// that started it names a file in PRODGATE_CHILD_MUTANT_COVERAGE: on exit, writes which
// mutants the child's code reached (Stryker's counters in globalThis.__stryker__) to it,
// so that the test counts them as its own (see runCli in test/helpers.ts).
import { writeFileSync } from 'node:fs';

const file = process.env.PRODGATE_CHILD_MUTANT_COVERAGE;
if (file) {
  process.on('exit', () => {
    const coverage = globalThis.__stryker__?.mutantCoverage;
    if (coverage) writeFileSync(file, JSON.stringify(coverage));
  });
}
