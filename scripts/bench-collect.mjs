#!/usr/bin/env node
// The collect stage at scale (issue 12): a JUnit report with 100,000 test cases, in a copy
// of the prod example as its release test report, collected and evaluated by the CLI
// (`prodgate evaluate --env prod`). Prints wall time and peak RSS over a few runs (medians),
// against the bound: < 3 s and < 1 GiB. Not a test: numbers inform, never gate.
//
//   node scripts/bench-collect.mjs [--cases N] [--runs N]
//
// `npm run bench` runs it after the evaluation benchmark.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
// Not strict: scripts/bench.mjs imports this module, and its own flags are on the command line.
const { values } = parseArgs({
  options: { cases: { type: 'string', default: '100000' }, runs: { type: 'string', default: '3' } },
  strict: false,
});
const CASES = Number(values.cases);
const RUNS = Number(values.runs);
const PATHS = [
  'gmail-documents',
  'knowledge-queries',
  'embeddings',
  'evidence-listing',
  'meeting-prep',
];
const VERIFY = ['log-redaction', 'audit-log', 'citation-persistence'];

/** A vitest-style JUnit report: suites of 1,000 cases, every case tagged. */
export function bigJUnit(cases) {
  const perSuite = 1000;
  const suites = Math.ceil(cases / perSuite);
  const parts = [
    `<?xml version="1.0" encoding="UTF-8" ?>\n<testsuites name="vitest tests" tests="${cases}" failures="0" errors="0" time="12.5">\n`,
  ];
  let made = 0;
  for (let s = 0; s < suites; s++) {
    const n = Math.min(perSuite, cases - made);
    parts.push(
      `    <testsuite name="test/isolation-${s}.test.ts" timestamp="2026-11-19T09:41:07.318Z" hostname="ci-runner" tests="${n}" failures="0" errors="0" skipped="0" time="0.1">\n`,
    );
    for (let i = 0; i < n; i++, made++) {
      const tag =
        made % 10 < 5
          ? `org-iso:${PATHS[made % 5]}`
          : made % 10 < 8
            ? `verify:${VERIFY[made % 3]}`
            : 'suite:other';
      parts.push(
        `        <testcase classname="test/isolation-${s}.test.ts" name="isolation &gt; case ${made} keeps rows of org ${made % 97} apart [${tag}]" time="0.0001">\n        </testcase>\n`,
      );
    }
    parts.push('    </testsuite>\n');
  }
  parts.push('</testsuites>\n');
  return parts.join('');
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

export function measureCollect({ cases = CASES, runs = RUNS } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'prodgate-bench-collect-'));
  try {
    const evidence = join(dir, 'prod');
    cpSync(join(ROOT, 'evidence/prod'), evidence, { recursive: true });
    const xml = bigJUnit(cases);
    writeFileSync(join(evidence, 'artifacts/release-tests.junit.xml'), xml);
    const samples = [];
    for (let i = 0; i < runs; i++) {
      const run = spawnSync(
        '/usr/bin/time',
        [
          '-f',
          '%e %M %U %S',
          process.execPath,
          join(ROOT, 'dist/cli/main.js'),
          'evaluate',
          '--env',
          'prod',
          '--as-of',
          '2026-11-25',
          '--evidence',
          evidence,
          '--out',
          join(dir, 'out'),
          '--no-ci-context',
        ],
        { encoding: 'utf8', cwd: ROOT },
      );
      const [seconds, kib, user, system] = (run.stderr.trim().split('\n').at(-1) ?? '')
        .split(' ')
        .map(Number);
      if (![0, 1].includes(run.status) || !Number.isFinite(seconds))
        throw new Error(`evaluate exited ${run.status}: ${run.stderr.slice(0, 500)}`);
      samples.push({ seconds, mib: kib / 1024, cpu: user + system });
    }
    const seconds = median(samples.map((s) => s.seconds));
    const mib = median(samples.map((s) => s.mib));
    const cpuSeconds = median(samples.map((s) => s.cpu));
    // On a shared machine the wall time includes waiting for a core: the CPU time is what the run itself costs.
    return {
      name: `collect + evaluate a ${cases.toLocaleString('en')}-test-case JUnit report (${(xml.length / 1024 / 1024).toFixed(1)} MiB), CLI`,
      seconds,
      cpuSeconds,
      peakRssMiB: mib,
      runs,
      loadAverage: loadavg()[0],
      withinBound: seconds < 3 && mib < 1024,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const m = measureCollect();
  console.log(
    `${m.name}: median ${m.seconds.toFixed(2)} s wall (${m.cpuSeconds.toFixed(2)} s CPU, load average ${m.loadAverage.toFixed(1)}), ${m.peakRssMiB.toFixed(0)} MiB peak RSS over ${m.runs} runs (bound: < 3 s, < 1024 MiB: ${m.withinBound ? 'within' : 'NOT within on wall time'})`,
  );
}
