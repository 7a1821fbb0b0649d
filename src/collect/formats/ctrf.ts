import { ArtifactError, problemOf, type ArtifactProblem } from '../artifact-error.js';
import { laterDay, utcDay } from '../../core/dates.js';
import { revisionOf } from '../revision.js';
import { worseStatus, type TestCaseFact, type TestStatus } from '../facts.js';
import type { ArtifactImporter, ImportResult } from '../importer.js';
import { jsonMentions, readJsonArtifact } from '../json-artifact.js';
import type { ArtifactLimits } from '../limits.js';
import { tagsIn, tagsOfProperty } from '../tags.js';

export const meta = {
  format: 'ctrf',
  title: 'CTRF JSON test report',
  spec: 'https://ctrf.io/docs/specification/overview',
  recognisedBy:
    'a JSON object with "reportFormat": "CTRF", or a "results" object with "tool", "summary" and "tests"',
  yields: [
    'every test: name (suite first), file, status (passed; failed; skipped, pending and other as skipped; flaky: true as flaky), tags (the tags list and [ns:value] in names), JSON pointer, line and column',
    "the run's revision (environment.commit), date (summary.stop, else the report timestamp) and tool (name, version)",
  ],
  dialects: [
    '@d2t/vitest-ctrf-json-reporter',
    'mocha-ctrf-json-reporter',
    'jest-ctrf-json-reporter',
    'playwright-ctrf-json-reporter',
    'any CTRF writer',
  ],
};

interface CtrfTest {
  name: string;
  status: 'passed' | 'failed' | 'skipped' | 'pending' | 'other';
  suite?: string | string[];
  filePath?: string;
  flaky?: boolean;
  tags?: string[];
}

interface CtrfReport {
  timestamp?: string;
  results: {
    tool: { name: string; version?: string };
    summary: Record<'tests' | 'passed' | 'failed' | 'skipped' | 'pending' | 'other', number> & {
      stop?: number;
    };
    tests: CtrfTest[];
    environment?: { commit?: string };
  };
}

/** CTRF statuses as prodgate counts them: pending and other are not passes. */
const STATUS: Record<CtrfTest['status'], TestStatus> = {
  passed: 'passed',
  failed: 'failed',
  skipped: 'skipped',
  pending: 'skipped',
  other: 'skipped',
};

function recognise(text: string): boolean {
  return (
    jsonMentions(text, [/"reportFormat"\s*:\s*"CTRF"/]) ||
    jsonMentions(text, [/"results"\s*:/, /"summary"\s*:/, /"tests"\s*:/, /"tool"\s*:/])
  );
}

function read(text: string, limits: ArtifactLimits): ImportResult {
  const problems: ArtifactProblem[] = [];
  try {
    const doc = readJsonArtifact(text, 'ctrf', limits);
    const report = doc.data as CtrfReport;
    const { tests, summary } = report.results;
    if (tests.length > limits.maxTestCases)
      throw new ArtifactError(
        'limit-exceeded',
        `more than ${limits.maxTestCases} tests (max-test-cases)`,
        doc.at('/results/tests'),
        '/results/tests',
      );
    const byKey = new Map<string, TestCaseFact>();
    tests.forEach((t, i) => {
      const pointer = `/results/tests/${i}`;
      const status: TestStatus =
        t.status === 'passed' && t.flaky === true ? 'flaky' : STATUS[t.status];
      const suite = Array.isArray(t.suite) ? t.suite.join(' > ') : t.suite;
      const tags = new Set<string>();
      tagsIn(t.name, tags);
      tagsIn(suite, tags);
      for (const tag of t.tags ?? []) tagsOfProperty(tag, tags);
      const key = JSON.stringify([t.filePath ?? '', suite ?? '', t.name]);
      const earlier = byKey.get(key);
      const { line, column } = doc.at(pointer);
      if (earlier) {
        earlier.reported++;
        const worse = worseStatus(earlier.status, status);
        if (worse !== earlier.status) Object.assign(earlier, { status: worse, line, column });
        return;
      }
      byKey.set(key, {
        name: t.name,
        ...(t.filePath ? { file: t.filePath } : {}),
        status,
        tags: [...tags].sort(),
        properties: {},
        reported: 1,
        line,
        column,
      });
    });
    checkSummary(summary, tests, doc.at('/results/summary'), problems);
    const revision = revisionOf(report.results.environment?.commit);
    if (report.results.environment?.commit !== undefined && !revision) {
      const at = doc.at('/results/environment/commit');
      problems.push({
        severity: 'error',
        code: 'revision-conflict',
        message: `environment.commit ${JSON.stringify(report.results.environment.commit)} is not a git commit id`,
        ...at,
        pointer: '/results/environment/commit',
      });
    }
    const date = laterDay(
      utcDay(summary.stop),
      summary.stop === undefined ? utcDay(report.timestamp) : undefined,
    );
    return {
      facts: {
        type: 'tests',
        tool: {
          name: report.results.tool.name,
          ...(report.results.tool.version ? { version: report.results.tool.version } : {}),
        },
        ...(revision ? { revision } : {}),
        ...(date ? { date } : {}),
        cases: [...byKey.values()],
      },
      problems,
    };
  } catch (thrown) {
    if (thrown instanceof ArtifactError) return { problems: [...problems, problemOf(thrown)] };
    throw thrown;
  }
}

/** The summary's counters against the tests listed: any disagreement is an error. */
function checkSummary(
  summary: CtrfReport['results']['summary'],
  tests: CtrfTest[],
  at: { line: number; column: number },
  problems: ArtifactProblem[],
): void {
  const counted: Record<string, number> = {
    tests: tests.length,
    passed: 0,
    failed: 0,
    skipped: 0,
    pending: 0,
    other: 0,
  };
  for (const t of tests) counted[t.status] = (counted[t.status] ?? 0) + 1;
  for (const key of ['tests', 'passed', 'failed', 'skipped', 'pending', 'other'] as const) {
    if (summary[key] !== counted[key]) {
      problems.push({
        severity: 'error',
        code: 'counter-mismatch',
        message: `summary.${key} is ${summary[key]}, but the report lists ${counted[key]} such test(s)`,
        ...at,
        pointer: `/results/summary/${key}`,
      });
    }
  }
}

export const ctrf: ArtifactImporter = { meta, recognise, read };
