// Preloaded (node --import) into a CLI child process of a mutation run (see
// test/support/mutation-run.ts). With PRODGATE_CHILD_MUTANT_HIT_LIMIT, a mutant that
// loops stops after that many hits, as in the test process (Stryker's instrumented code
// throws past ns.hitLimit). With PRODGATE_CHILD_MUTANT_COVERAGE, on exit it writes which
// mutants the child's code reached (Stryker's counters) to that file.
import { writeFileSync } from 'node:fs';

const stryker = globalThis.__stryker__ ?? {};
globalThis.__stryker__ = stryker;
const hitLimit = Number(process.env.PRODGATE_CHILD_MUTANT_HIT_LIMIT);
if (Number.isInteger(hitLimit) && hitLimit > 0) {
  stryker.hitCount = 0;
  stryker.hitLimit = hitLimit;
}
const file = process.env.PRODGATE_CHILD_MUTANT_COVERAGE;
if (file) {
  process.on('exit', () => {
    if (stryker.mutantCoverage) writeFileSync(file, JSON.stringify(stryker.mutantCoverage));
  });
}
