#!/usr/bin/env node
// npm run bench: what a user pays for prodgate, measured side by side with the stock OPA
// (the pinned .tools/bin/opa) in one run, as medians and ratios:
//   1. one environment through the CLI (wall, CPU, peak RSS) against `opa eval` of the
//      same decision on the input `--emit-input` writes, checking both decide the same
//      statuses, and against Node's start floor (`node -e 0`);
//   2. `--env all` against one environment;
//   3. in-process throughput of 1,000 library evaluations against `opa bench`;
//   4. a scale curve from 1x to 10,000x the example evidence (generated here, every
//      list grown, the pack's list caps lifted in a bench-only copy of the pack);
//   5. a place for further measurements (see MORE_MEASUREMENTS).
// Writes docs/performance.json and the tables of docs/performance.md, with the machine
// and the date. Not a test: numbers inform, never gate. Shared machines are noisy, so
// runs alternate between the things compared and only medians and ratios are quoted.
//
//   node scripts/bench.mjs [--quick] [--runs N] [--sizes 1,10,100] [--root DIR] [--no-write] [--baseline FILE] [--note TEXT] [--render FILE]
//
// --root measures another checkout (built, with node_modules) with this script, e.g. an
// older commit for a before/after comparison; --no-write prints without writing docs/.
// --baseline FILE[,FILE] (default docs/performance-{baseline,earlier,before}.json, those present) are the JSON of earlier runs, such as before figures: docs/performance.md then
// sets this run beside them. --note TEXT (repeatable) adds a line under Notes. --render FILE
// measures nothing: it writes the tables again from the JSON of a run.
import { spawnSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import yaml from 'js-yaml';
import { measureCollect } from './bench-collect.mjs';

const HERE = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const { values: flags } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    runs: { type: 'string' },
    sizes: { type: 'string' },
    root: { type: 'string' },
    'no-write': { type: 'boolean', default: false },
    baseline: { type: 'string' },
    note: { type: 'string', multiple: true },
    render: { type: 'string' },
  },
});
const ROOT = resolve(flags.root ?? HERE);
const QUICK = flags.quick;
const RUNS = Number(flags.runs ?? (QUICK ? 3 : 9));
const SIZES = (flags.sizes ?? (QUICK ? '1,10,100,1000' : '1,10,100,1000,3000,10000'))
  .split(',')
  .map(Number);
const IN_PROCESS_EVALUATIONS = QUICK ? 200 : 1000;
const ENV = 'prod';
const AS_OF = '2026-11-25';
const OPA = process.env.OPA_BIN ?? join(ROOT, '.tools/bin/opa');
const CLI = join(ROOT, 'dist/cli/main.js');
const QUERY = 'data.prodgate.decision';
/** The files `opa build` compiles into policy.wasm: the Rego sources without tests and JSON. */
const OPA_SOURCES = ['--ignore', '*_test.rego', '--ignore', '*.json'];
/** Raised bounds for the scale curve: exactly the two flags a user would raise. */
const SCALE_FLAGS = ['--max-file-size', '64M', '--max-bundle-size', '256M'];
const TIME = ['/usr/bin/time', '/bin/time'].find((p) => existsSync(p));

const work = mkdtempSync(join(tmpdir(), 'prodgate-bench-'));
process.on('exit', () => rmSync(work, { recursive: true, force: true }));
const log = (line) => process.stderr.write(`${line}\n`);

// ---------------------------------------------------------------------------------------
// Measuring a process: wall time here, CPU and peak RSS from GNU time.

function measure(cmd, args, { cwd = ROOT } = {}) {
  const timeFile = join(work, 'time.txt');
  const argv = TIME ? [TIME, '-f', '%U %S %M', '-o', timeFile, cmd, ...args] : [cmd, ...args];
  const started = process.hrtime.bigint();
  const run = spawnSync(argv[0], argv.slice(1), { cwd, encoding: 'utf8', maxBuffer: 1024 ** 3 });
  const wall = Number(process.hrtime.bigint() - started) / 1e9;
  let cpu = null;
  let rssMiB = null;
  if (TIME) {
    const last = readFileSync(timeFile, 'utf8').trim().split('\n').pop() ?? '';
    const [user, sys, rssKiB] = last.split(' ').map(Number);
    if ([user, sys, rssKiB].every(Number.isFinite)) [cpu, rssMiB] = [user + sys, rssKiB / 1024];
  }
  return { wall, cpu, rssMiB, status: run.status, stdout: run.stdout, stderr: run.stderr };
}

function median(values) {
  const sorted = values.filter((v) => v !== null && Number.isFinite(v)).sort((a, b) => a - b);
  if (!sorted.length) return null;
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function medians(samples) {
  return {
    wall: median(samples.map((s) => s.wall)),
    cpu: median(samples.map((s) => s.cpu)),
    rssMiB: median(samples.map((s) => s.rssMiB)),
    runs: samples.length,
  };
}

const ratio = (a, b) => (a === null || b === null || b === 0 ? null : a / b);

/** Runs each named command `runs` times, rotating which goes first, and returns the samples by name. */
function alternate(commands, runs) {
  const names = Object.keys(commands);
  const samples = Object.fromEntries(names.map((n) => [n, []]));
  for (let i = 0; i < runs; i++) {
    for (let j = 0; j < names.length; j++) {
      const name = names[(i + j) % names.length];
      const sample = commands[name]();
      if (sample.status !== 0 && sample.status !== 1)
        throw new Error(`${name} exited ${sample.status}: ${sample.stderr.trim().slice(0, 500)}`);
      samples[name].push(sample);
    }
  }
  return Object.fromEntries(names.map((n) => [n, medians(samples[n])]));
}

// ---------------------------------------------------------------------------------------
// Commands compared.

function prodgate(args) {
  return measure(process.execPath, [CLI, 'evaluate', '--as-of', AS_OF, '--no-ci-context', ...args]);
}

function opaEval(policies, input, cwd = ROOT) {
  return measure(
    OPA,
    ['eval', '--format', 'json', '--data', policies, ...OPA_SOURCES, '--input', input, QUERY],
    { cwd },
  );
}

/** Gate statuses by id from a prodgate report. */
function reportStatuses(outDir, env = ENV) {
  const report = JSON.parse(
    readFileSync(join(outDir, `P4_PROD_READINESS_REPORT_${env}.json`), 'utf8'),
  );
  return Object.fromEntries(report.gates.map((g) => [g.id, g.status]));
}

/** Gate statuses by id from `opa eval --format json` output. */
function opaStatuses(stdout) {
  const value = JSON.parse(stdout).result?.[0]?.expressions?.[0]?.value;
  return Object.fromEntries(
    Object.entries(value?.gates ?? {}).map(([id, gate]) => [id, gate.status]),
  );
}

/** The gates on which two status maps differ ("id: a vs b"), or [] when they agree on every gate. */
function statusDifferences(ours, theirs) {
  const ids = [...new Set([...Object.keys(ours), ...Object.keys(theirs)])].sort();
  return ids
    .filter((id) => ours[id] !== theirs[id])
    .map((id) => `${id}: prodgate ${ours[id] ?? 'absent'} vs opa ${theirs[id] ?? 'absent'}`);
}

// ---------------------------------------------------------------------------------------
// 1 and 2: the CLI.

function cliSection() {
  log(`1. one environment through the CLI (${RUNS} alternating runs each)`);
  const out = join(work, 'cli-out');
  const input = join(work, 'input.json');
  const emitted = prodgate(['--env', ENV, '--out', out, '--emit-input', input]);
  if (emitted.status > 1) throw new Error(`prodgate evaluate failed: ${emitted.stderr}`);
  const opaOnce = opaEval('policies', input);
  const differences = statusDifferences(reportStatuses(out), opaStatuses(opaOnce.stdout));
  const one = alternate(
    {
      prodgate: () => prodgate(['--env', ENV, '--out', out]),
      opa: () => opaEval('policies', input),
      node: () => measure(process.execPath, ['-e', '0']),
    },
    RUNS,
  );
  log(`2. --env all against one environment (${RUNS} alternating runs each)`);
  const all = alternate(
    {
      all: () => prodgate(['--env', 'all', '--out', join(work, 'all-out')]),
      one: () => prodgate(['--env', ENV, '--out', out]),
    },
    RUNS,
  );
  return {
    oneEnvironment: {
      prodgate: one.prodgate,
      opaEval: one.opa,
      nodeStart: one.node,
      ratioToOpa: {
        wall: ratio(one.prodgate.wall, one.opa.wall),
        cpu: ratio(one.prodgate.cpu, one.opa.cpu),
        rss: ratio(one.prodgate.rssMiB, one.opa.rssMiB),
      },
      ratioToNodeStart: {
        wall: ratio(one.prodgate.wall, one.node.wall),
        cpu: ratio(one.prodgate.cpu, one.node.cpu),
        rss: ratio(one.prodgate.rssMiB, one.node.rssMiB),
      },
      sameStatuses: differences.length === 0,
      statusDifferences: differences,
      gates: Object.keys(reportStatuses(out)).length,
    },
    allEnvironments: {
      all: all.all,
      one: all.one,
      ratio: {
        wall: ratio(all.all.wall, all.one.wall),
        cpu: ratio(all.all.cpu, all.one.cpu),
        rss: ratio(all.all.rssMiB, all.one.rssMiB),
      },
    },
    input,
  };
}

// ---------------------------------------------------------------------------------------
// 3: in one process, against opa bench.

const IN_PROCESS = `
const [root, n, asOf, env] = [process.argv[2], Number(process.argv[3]), process.argv[4], process.argv[5]];
const { evaluateEnvironment, loadPack, WRITTEN_FORMATS } = await import(new URL('dist/index.js', root).href);
const pack = await loadPack();
const options = { env, evidenceDir: new URL('evidence/' + env, root).pathname, asOf, pack, repoRoot: new URL('.', root).pathname };
const cpuSeconds = () => { const u = process.resourceUsage(); return (u.userCPUTime + u.systemCPUTime) / 1e6; };
const rate = async (render) => {
  for (let i = 0; i < 20; i++) await evaluateEnvironment(options);
  const started = performance.now();
  const cpu = cpuSeconds();
  for (let i = 0; i < n; i++) {
    const evaluation = await evaluateEnvironment(options);
    if (render) for (const format of WRITTEN_FORMATS) format.render(evaluation);
  }
  return { wall: n / ((performance.now() - started) / 1000), cpu: n / (cpuSeconds() - cpu) };
};
const bare = await rate(false);
const rendered = await rate(true);
console.log(JSON.stringify({ bare: bare.wall, rendered: rendered.wall, bareCpu: bare.cpu, renderedCpu: rendered.cpu }));
`;

function inProcessSection(input) {
  log(`3. ${IN_PROCESS_EVALUATIONS} evaluations in one process, against opa bench`);
  const script = join(work, 'in-process.mjs');
  writeFileSync(script, IN_PROCESS);
  const rounds = QUICK ? 1 : 3;
  const ours = [];
  const theirs = [];
  for (let i = 0; i < rounds; i++) {
    const run = spawnSync(
      process.execPath,
      [script, pathToFileURL(`${ROOT}/`).href, String(IN_PROCESS_EVALUATIONS), AS_OF, ENV],
      { cwd: ROOT, encoding: 'utf8' },
    );
    if (run.status !== 0) throw new Error(`in-process run failed: ${run.stderr}`);
    ours.push(JSON.parse(run.stdout.trim().split('\n').pop()));
    const bench = spawnSync(
      OPA,
      [
        'bench',
        '--format',
        'json',
        '--metrics=false',
        '--benchmem=false',
        '--data',
        'policies',
        ...OPA_SOURCES,
        '--input',
        input,
        QUERY,
      ],
      { cwd: ROOT, encoding: 'utf8' },
    );
    if (bench.status !== 0) throw new Error(`opa bench failed: ${bench.stderr}`);
    const { N, T } = JSON.parse(bench.stdout);
    theirs.push(N / (T / 1e9));
  }
  const bare = median(ours.map((o) => o.bare));
  const rendered = median(ours.map((o) => o.rendered));
  // Per CPU second of the process: what the rate would be on a machine to itself.
  const bareCpu = median(ours.map((o) => o.bareCpu));
  const renderedCpu = median(ours.map((o) => o.renderedCpu));
  const opaBench = median(theirs);
  return {
    evaluations: IN_PROCESS_EVALUATIONS,
    rounds,
    perSecondWithoutRendering: bare,
    perSecondWithRendering: rendered,
    perCpuSecondWithoutRendering: bareCpu,
    perCpuSecondWithRendering: renderedCpu,
    opaBenchPerSecond: opaBench,
    ratioToOpaBench: ratio(bare, opaBench),
  };
}

// ---------------------------------------------------------------------------------------
// 4: the scale curve.

/** Every outermost list of an evidence document repeated `times` times (nested lists once per copy). */
function grow(value, times, inList = false) {
  if (Array.isArray(value)) {
    const items = value.map((item) => grow(item, times, true));
    return inList ? items : Array.from({ length: times }, () => items).flat();
  }
  if (value && typeof value === 'object')
    return Object.fromEntries(
      Object.entries(value).map(([key, v]) => [key, grow(v, times, inList)]),
    );
  return value;
}

/** A copy of the pack whose schemas cap no list (maxItems, uniqueItems dropped), rebuilt. */
function benchPack() {
  const pack = join(work, 'pack');
  for (const part of ['policies', 'schemas', 'templates', 'bundle', 'pack.json'])
    cpSync(join(ROOT, part), join(pack, part), { recursive: true });
  const lift = (node) => {
    if (Array.isArray(node)) return node.map(lift);
    if (!node || typeof node !== 'object') return node;
    return Object.fromEntries(
      Object.entries(node)
        .filter(([key]) => key !== 'maxItems' && key !== 'uniqueItems')
        .map(([key, v]) => [key, lift(v)]),
    );
  };
  const schemas = join(pack, 'schemas/evidence');
  for (const name of readdirSync(schemas).filter((n) => n.endsWith('.schema.json'))) {
    writeFileSync(
      join(schemas, name),
      `${JSON.stringify(lift(JSON.parse(readFileSync(join(schemas, name), 'utf8'))), null, 2)}\n`,
    );
  }
  const built = spawnSync(process.execPath, [CLI, 'build', '--pack', pack], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  if (built.status !== 0) throw new Error(`building the bench pack failed: ${built.stderr}`);
  return pack;
}

/** The example evidence of ENV with every list grown `times` times, as JSON files. */
function scaledEvidence(times) {
  const dir = join(work, `evidence-${times}x`);
  mkdirSync(dir, { recursive: true });
  const source = join(ROOT, 'evidence', ENV);
  let bytes = 0;
  for (const name of readdirSync(source)) {
    if (!/\.ya?ml$/.test(name)) {
      // The artifacts the evidence records facts from (recordedBy), as they are.
      cpSync(join(source, name), join(dir, name), { recursive: true });
      continue;
    }
    const document = yaml.load(readFileSync(join(source, name), 'utf8'));
    // The list of artifacts names each file once (ids are unique); what reads them grows.
    const text = JSON.stringify(document?.kind === 'artifacts' ? document : grow(document, times));
    writeFileSync(join(dir, name.replace(/\.ya?ml$/, '.json')), text);
    bytes += Buffer.byteLength(text);
  }
  return { dir, bytes };
}

function scaleSection() {
  log(`4. scale curve ${SIZES.join(', ')}x (bench-only pack copy with list caps lifted)`);
  const pack = benchPack();
  const points = [];
  for (const times of SIZES) {
    const { dir, bytes } = scaledEvidence(times);
    const out = join(work, `scale-out-${times}`);
    const input = join(work, `scale-input-${times}.json`);
    const ours = prodgate([
      '--pack',
      pack,
      '--env',
      ENV,
      '--evidence',
      dir,
      '--out',
      out,
      '--repo-root',
      ROOT,
      ...SCALE_FLAGS,
    ]);
    const verdictRun = ours.status <= 1;
    let differences = ['prodgate could not evaluate'];
    let theirs = null;
    let errors = null;
    if (verdictRun) {
      const statuses = reportStatuses(out);
      errors = Object.values(statuses).filter((s) => s === 'error').length;
      // The same evaluation again, writing its input for opa eval (not timed).
      prodgate([
        '--pack',
        pack,
        '--env',
        ENV,
        '--evidence',
        dir,
        '--out',
        join(work, 'scale-emit'),
        '--repo-root',
        ROOT,
        '--emit-input',
        input,
        ...SCALE_FLAGS,
      ]);
      theirs = existsSync(input) ? opaEval(join(pack, 'policies'), input, pack) : null;
      differences =
        theirs && theirs.status === 0
          ? statusDifferences(statuses, opaStatuses(theirs.stdout))
          : ['opa eval failed'];
      rmSync(input, { force: true });
    }
    points.push({
      times,
      evidenceMiB: bytes / 1024 ** 2,
      prodgate: {
        wall: ours.wall,
        cpu: ours.cpu,
        rssMiB: ours.rssMiB,
        exit: ours.status,
        errorGates: errors,
      },
      opaEval: theirs ? { wall: theirs.wall, cpu: theirs.cpu, rssMiB: theirs.rssMiB } : null,
      sameStatuses: differences.length === 0,
      statusDifferences: differences.slice(0, 5),
    });
    log(
      `   ${times}x: ${(bytes / 1024 ** 2).toFixed(1)} MiB, prodgate ${ours.wall.toFixed(2)} s ${fmt(ours.rssMiB, 0)} MiB exit ${ours.status}; opa ${theirs ? theirs.wall.toFixed(2) : '-'} s; same statuses: ${differences.length === 0}`,
    );
    rmSync(dir, { recursive: true, force: true });
    rmSync(out, { recursive: true, force: true });
  }
  // Linear from 100x on: seconds per MiB of evidence at each size over that at 100x.
  const base = points.find((p) => p.times === 100);
  for (const p of points)
    p.secondsPerMiBOver100x =
      base && p.times >= 100
        ? ratio(p.prodgate.wall / p.evidenceMiB, base.prodgate.wall / base.evidenceMiB)
        : null;
  return points;
}

// ---------------------------------------------------------------------------------------
// 5: further measurements. Each entry is a function returning { name, rows } (rows of
// [what, prodgate, reference, ratio] for the markdown table) or null when it cannot run;
// its result is recorded under `more` in the JSON. The 100,000-test-case JUnit
// measurement goes here.
const MORE_MEASUREMENTS = [
  // The collect stage at scale (issue 12): scripts/bench-collect.mjs, against the < 3 s, < 1 GiB bound.
  () => {
    const m = measureCollect({ runs: QUICK ? 1 : 3 });
    return {
      name: m.name,
      rows: [
        ['wall time (s)', fmt(m.seconds), '3.00 (bound)', times(ratio(m.seconds, 3))],
        [
          'CPU time, user + system (s)',
          fmt(m.cpuSeconds),
          '3.00 (bound)',
          times(ratio(m.cpuSeconds, 3)),
        ],
        ['peak RSS (MiB)', fmt(m.peakRssMiB, 0), '1024 (bound)', times(ratio(m.peakRssMiB, 1024))],
      ],
      ...m,
    };
  },
];

// ---------------------------------------------------------------------------------------
// Output.

function fmt(value, digits = 2) {
  return value === null || value === undefined || !Number.isFinite(value)
    ? '—'
    : value.toFixed(digits);
}
const times = (value) => (value === null ? '—' : `${value.toFixed(2)}×`);

function opaVersion() {
  const run = spawnSync(OPA, ['version'], { encoding: 'utf8' });
  return /Version: (\S+)/.exec(run.stdout ?? '')?.[1] ?? 'unknown';
}

function gitCommit() {
  const run = spawnSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, encoding: 'utf8' });
  return run.status === 0 ? run.stdout.trim() : 'unknown';
}

function markdown(result) {
  const { machine, cli, inProcess, scale } = result;
  const one = cli.oneEnvironment;
  const lines = [
    '# Performance',
    '',
    'Measured by `npm run bench` (scripts/bench.mjs): what a user pays for prodgate, side by side with the',
    'stock OPA CLI in the same run. Absolute times vary between runs on a shared machine; the medians of',
    'alternating runs and the ratios between things measured together are what to compare.',
    '',
    `- Date: ${result.date}; commit ${result.commit}${QUICK ? ' (--quick)' : ''}`,
    `- Machine: ${machine.cpu}, ${machine.cores} cores, ${fmt(machine.memoryGiB, 1)} GiB; Node ${machine.node}; OPA ${machine.opa}`,
    `- Load average when the run started: ${machine.loadAverage.map((l) => l.toFixed(1)).join(', ')} (other work on the machine inflates absolute times)`,
    `- CLI figures are medians of ${one.prodgate.runs} alternating runs; \`opa eval\` evaluates the Rego sources \`opa build\` compiles (\`--ignore *_test.rego --ignore *.json\`) on the input \`--emit-input\` writes.`,
    '',
    '## What keeps an evaluation cheap',
    '',
    '- `npm run build` bundles the CLI (scripts/bundle-cli.mjs, esbuild): one ES module per command with its dependencies, instead of ~250 module files to resolve and load; the library (`dist/index.js`) stays as tsc writes it.',
    '- No schema is compiled in an evaluation: the evidence validators are compiled when the pack is built (`bundle/validators.js`), the artifact schemas by `npm run build` (`dist/collect/artifact-validators/`); both are checked against the schema files they were compiled from.',
    '- policy.wasm is compiled once per process and its instance reused; its memory is sized from the input.',
    '- Text of plain ASCII skips the Unicode passes of normalisation (same forms); read buffers are not zeroed.',
    '',
    '## One environment through the CLI',
    '',
    '| | wall (s) | CPU (s) | peak RSS (MiB) |',
    '|---|---|---|---|',
    `| \`prodgate evaluate --env ${ENV}\` | ${fmt(one.prodgate.wall, 3)} | ${fmt(one.prodgate.cpu, 3)} | ${fmt(one.prodgate.rssMiB, 0)} |`,
    `| \`opa eval\`, same decision and input | ${fmt(one.opaEval.wall, 3)} | ${fmt(one.opaEval.cpu, 3)} | ${fmt(one.opaEval.rssMiB, 0)} |`,
    `| \`node -e 0\` (Node's start floor) | ${fmt(one.nodeStart.wall, 3)} | ${fmt(one.nodeStart.cpu, 3)} | ${fmt(one.nodeStart.rssMiB, 0)} |`,
    `| prodgate / opa eval | ${times(one.ratioToOpa.wall)} | ${times(one.ratioToOpa.cpu)} | ${times(one.ratioToOpa.rss)} |`,
    `| prodgate / node start | ${times(one.ratioToNodeStart.wall)} | ${times(one.ratioToNodeStart.cpu)} | ${times(one.ratioToNodeStart.rss)} |`,
    '',
    `Both decide the same statuses on all ${one.gates} gates: ${one.sameStatuses ? 'yes' : `**no** (${one.statusDifferences.slice(0, 3).join('; ')})`}.`,
    '',
    '## Every environment against one',
    '',
    '| | wall (s) | CPU (s) | peak RSS (MiB) |',
    '|---|---|---|---|',
    `| \`--env all\` | ${fmt(cli.allEnvironments.all.wall, 3)} | ${fmt(cli.allEnvironments.all.cpu, 3)} | ${fmt(cli.allEnvironments.all.rssMiB, 0)} |`,
    `| \`--env ${ENV}\` | ${fmt(cli.allEnvironments.one.wall, 3)} | ${fmt(cli.allEnvironments.one.cpu, 3)} | ${fmt(cli.allEnvironments.one.rssMiB, 0)} |`,
    `| ratio | ${times(cli.allEnvironments.ratio.wall)} | ${times(cli.allEnvironments.ratio.cpu)} | ${times(cli.allEnvironments.ratio.rss)} |`,
    '',
    '## In one process',
    '',
    `${inProcess.evaluations} library evaluations of the ${ENV} example (\`evaluateEnvironment\`: read, validate, evaluate, decide), median of ${inProcess.rounds} rounds, against \`opa bench\` of the same decision on the same input (evaluation only: its input is parsed once).`,
    '',
    '| | evaluations/s (wall) | evaluations per CPU second |',
    '|---|---|---|',
    `| prodgate, without rendering | ${fmt(inProcess.perSecondWithoutRendering, 0)} | ${fmt(inProcess.perCpuSecondWithoutRendering, 0)} |`,
    `| prodgate, rendering the checklist and the report | ${fmt(inProcess.perSecondWithRendering, 0)} | ${fmt(inProcess.perCpuSecondWithRendering, 0)} |`,
    `| \`opa bench\` | ${fmt(inProcess.opaBenchPerSecond, 0)} | — |`,
    `| prodgate without rendering / opa bench | ${times(inProcess.ratioToOpaBench)} | — |`,
    '',
    '## Scale',
    '',
    `The ${ENV} example with every list grown N times, written as JSON; a bench-only copy of the pack without list caps (\`maxItems\`, \`uniqueItems\`). prodgate runs with \`${SCALE_FLAGS.join(' ')}\` and nothing else raised; \`opa eval\` runs on the input prodgate wrote. One run per size.`,
    '',
    '| size | evidence (MiB) | prodgate wall (s) | prodgate peak RSS (MiB) | opa eval wall (s) | opa eval peak RSS (MiB) | prodgate / opa wall | s per MiB vs 100× | same statuses |',
    '|---|---|---|---|---|---|---|---|---|',
    ...scale.map(
      (p) =>
        `| ${p.times}× | ${fmt(p.evidenceMiB, 2)} | ${fmt(p.prodgate.wall)} | ${fmt(p.prodgate.rssMiB, 0)} | ${fmt(p.opaEval?.wall)} | ${fmt(p.opaEval?.rssMiB, 0)} | ${times(ratio(p.prodgate.wall, p.opaEval?.wall ?? null))} | ${p.secondsPerMiBOver100x === null ? '—' : times(p.secondsPerMiBOver100x)} | ${p.sameStatuses ? 'yes' : `no: ${p.statusDifferences[0] ?? ''}`} |`,
    ),
    '',
    ...baselineSection(result),
    ...result.more.flatMap((m) => [
      `## ${m.name}`,
      '',
      '| | prodgate | reference | ratio |',
      '|---|---|---|---|',
      ...m.rows.map((r) => `| ${r.join(' | ')} |`),
      '',
    ]),
    ...(result.notes?.length ? ['## Notes', '', ...result.notes.map((n) => `- ${n}`), ''] : []),
    '## Targets (issue 14)',
    '',
    `- one-environment CLI wall ≤ 1.0× \`opa eval\`: ${times(one.ratioToOpa.wall)}`,
    `- \`--env all\` ≤ 1.3× one environment: ${times(cli.allEnvironments.ratio.wall)}`,
    `- ≥ 500 evaluations/s in one process without rendering and ≥ 4× \`opa bench\`: ${fmt(inProcess.perSecondWithoutRendering, 0)}/s (${fmt(inProcess.perCpuSecondWithoutRendering, 0)} per CPU second), ${times(inProcess.ratioToOpaBench)}`,
    `- 10,000× evaluates correctly, linear from 100×, peak RSS ≤ 1 GiB: ${scaleTarget(scale)}`,
    '',
    'The figures of this run are in docs/performance.json.',
    '',
  ];
  return lines.join('\n');
}

/** The earlier runs this one is set beside (--baseline FILE[,FILE...]), oldest first. */
function baselines() {
  const paths = flags.baseline
    ? flags.baseline.split(',')
    : ['performance-baseline.json', 'performance-earlier.json', 'performance-before.json'].map(
        (p) => join(HERE, 'docs', p),
      );
  return paths
    .filter((path) => existsSync(path))
    .map((path) => JSON.parse(readFileSync(path, 'utf8')));
}

/** This run beside earlier ones (--baseline): ratios compare across runs, absolute times only roughly. */
function baselineSection(result) {
  const befores = baselines();
  if (!befores.length) return [];
  const runs = [...befores, result];
  const row = (what, cell) => `| ${what} | ${runs.map(cell).join(' | ')} |`;
  const sizes = [...new Set(runs.flatMap((r) => r.scale.map((p) => p.times)))].sort(
    (a, b) => a - b,
  );
  const scaleCell = (run, times) => {
    const p = run.scale.find((q) => q.times === times);
    if (!p) return 'not measured';
    const errors = p.prodgate.errorGates ? `, ${p.prodgate.errorGates} gates error` : '';
    return `${fmt(p.prodgate.wall)} s, ${fmt(p.prodgate.cpu)} s CPU, ${fmt(p.prodgate.rssMiB, 0)} MiB${errors}${p.sameStatuses ? '' : ', statuses differ from opa eval'}`;
  };
  const one = (run) => run.cli.oneEnvironment;
  return [
    '## Against earlier runs',
    '',
    `All runs by this script on this machine, under different loads (load average at the start: ${runs.map((r) => `${r === result ? 'this run' : (r.label ?? r.commit)} ${r.machine.loadAverage[0].toFixed(1)}`).join('; ')}), so compare the ratios first and CPU times before wall times.`,
    '',
    `| | ${runs.map((r) => (r === result ? `this run (${r.commit})` : `${r.label ?? r.commit}, ${r.date.slice(0, 10)}`)).join(' | ')} |`,
    `|---|${runs.map(() => '---').join('|')}|`,
    row(
      'one environment: prodgate CLI wall / CPU / peak RSS',
      (r) =>
        `${fmt(one(r).prodgate.wall, 3)} s / ${fmt(one(r).prodgate.cpu, 3)} s / ${fmt(one(r).prodgate.rssMiB, 0)} MiB`,
    ),
    row(
      'one environment: prodgate / opa eval (wall, CPU)',
      (r) => `${times(one(r).ratioToOpa.wall)}, ${times(one(r).ratioToOpa.cpu)}`,
    ),
    row('`--env all` / one environment (wall)', (r) => times(r.cli.allEnvironments.ratio.wall)),
    row(
      'in one process, evaluations/s without / with rendering',
      (r) =>
        `${fmt(r.inProcess.perSecondWithoutRendering, 0)} / ${fmt(r.inProcess.perSecondWithRendering, 0)}`,
    ),
    row('in one process / opa bench', (r) => times(r.inProcess.ratioToOpaBench)),
    ...sizes.map((n) =>
      row(`${n}× evidence: prodgate wall, CPU, peak RSS`, (r) => scaleCell(r, n)),
    ),
    '',
  ];
}

function scaleTarget(scale) {
  const top = scale.find((p) => p.times === 10000);
  if (!top) return 'not measured in this run';
  return `${top.sameStatuses ? 'same statuses as opa eval' : 'statuses differ from opa eval'}, ${fmt(top.prodgate.wall)} s, s per MiB ${times(top.secondsPerMiBOver100x)} that at 100×, peak RSS ${fmt(top.prodgate.rssMiB, 0)} MiB`;
}

// ---------------------------------------------------------------------------------------

function write(result) {
  const text = markdown(result);
  if (flags['no-write']) {
    process.stdout.write(`${text}\n${JSON.stringify(result, null, 2)}\n`);
    return;
  }
  writeFileSync(join(HERE, 'docs/performance.json'), `${JSON.stringify(result, null, 2)}\n`);
  writeFileSync(join(HERE, 'docs/performance.md'), text);
  process.stdout.write(text);
  log(
    `wrote docs/performance.md and docs/performance.json (run took ${result.benchSeconds.toFixed(0)} s)`,
  );
}

if (flags.render) {
  // Only the tables again, from the JSON of a run (--note lines replace its notes).
  const result = JSON.parse(readFileSync(flags.render, 'utf8'));
  if (flags.note?.length) result.notes = flags.note;
  write(result);
} else {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run npm run build`);
  if (!existsSync(OPA))
    throw new Error(`${OPA} is missing: run npm run setup:opa (or set OPA_BIN)`);
  if (!TIME) log('GNU time not found: CPU and peak RSS are not measured');
  const started = Date.now();
  const machine = {
    cpu: cpus()[0]?.model ?? 'unknown',
    cores: cpus().length,
    memoryGiB: totalmem() / 1024 ** 3,
    node: process.versions.node,
    opa: opaVersion(),
    loadAverage: loadavg(),
  };
  const cli = cliSection();
  const inProcess = inProcessSection(cli.input);
  delete cli.input;
  const scale = scaleSection();
  const more = MORE_MEASUREMENTS.map((measurement) => measurement()).filter(Boolean);
  write({
    date: new Date().toISOString(),
    commit: gitCommit(),
    quick: QUICK,
    machine,
    cli,
    inProcess,
    scale,
    more,
    notes: flags.note ?? [],
    benchSeconds: (Date.now() - started) / 1000,
  });
}
