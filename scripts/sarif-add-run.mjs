#!/usr/bin/env node
// Records in a SARIF log what some scanners leave out (gitleaks writes no invocation and
// no version control provenance): that the scan ran, how it ended, and which commit it
// scanned. A CI step runs it right after the scanner, with the scanner's exit code:
//
//   gitleaks detect --report-format sarif --report-path gitleaks.sarif; code=$?
//   node scripts/sarif-add-run.mjs gitleaks.sarif --exit-code "$code" --success-codes 0 \
//     --revision "$GITHUB_SHA" --repository "$GITHUB_SERVER_URL/$GITHUB_REPOSITORY" \
//     --end-time "$(date -u +%Y-%m-%dT%H:%M:%SZ)" --tool-version 8.30.1
//
// prodgate counts an empty scan as clean only when the log shows a successful
// invocation (docs/artifacts.md). The log is rewritten in place.
import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    'exit-code': { type: 'string' },
    'success-codes': { type: 'string', default: '0' },
    revision: { type: 'string' },
    repository: { type: 'string' },
    'end-time': { type: 'string' },
    'tool-version': { type: 'string' },
  },
});
const [file] = positionals;
if (!file || values['exit-code'] === undefined || !values.revision || !values.repository) {
  process.stderr.write(
    'usage: sarif-add-run.mjs LOG --exit-code N --revision SHA --repository URI [--end-time ISO] [--tool-version V] [--success-codes 0,1]\n',
  );
  process.exit(2);
}
const log = JSON.parse(readFileSync(file, 'utf8'));
const exitCode = Number(values['exit-code']);
const success = values['success-codes'].split(',').map(Number).includes(exitCode);
for (const run of log.runs) {
  run.invocations = [
    {
      executionSuccessful: success,
      exitCode,
      ...(values['end-time'] ? { endTimeUtc: values['end-time'] } : {}),
    },
  ];
  run.versionControlProvenance = [
    { repositoryUri: values.repository, revisionId: values.revision },
  ];
  if (values['tool-version']) run.tool.driver.semanticVersion = values['tool-version'];
}
writeFileSync(file, `${JSON.stringify(log, null, 1)}\n`);
