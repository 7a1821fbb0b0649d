#!/usr/bin/env node
// Measures the evaluation pipeline on the shipped examples: pack load, and a full
// evaluate (load, validate, wasm evaluate, decide, render) per environment.
// Prints median and p95 over repeated runs. Not a test: numbers inform, never gate.
import { performance } from 'node:perf_hooks';
import { evaluateEnvironment, loadPack, renderChecklist, buildReport } from '../dist/index.js';

const RUNS = Number(process.env.BENCH_RUNS ?? 50);
const AS_OF = '2026-11-25';

function stats(samples) {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  return `median ${at(0.5).toFixed(2)} ms, p95 ${at(0.95).toFixed(2)} ms (n=${samples.length})`;
}

async function time(fn) {
  const start = performance.now();
  await fn();
  return performance.now() - start;
}

const loads = [];
for (let i = 0; i < RUNS; i++) loads.push(await time(() => loadPack()));
console.log(`load pack (read + verify wasm digest + template): ${stats(loads)}`);

const pack = await loadPack();
for (const env of pack.manifest.environments) {
  const samples = [];
  for (let i = 0; i < RUNS; i++) {
    samples.push(
      await time(async () => {
        const evaluation = await evaluateEnvironment({ env, evidenceDir: `evidence/${env}`, asOf: AS_OF, pack });
        renderChecklist(evaluation);
        JSON.stringify(buildReport(evaluation));
      }),
    );
  }
  console.log(`evaluate + render ${env}: ${stats(samples)}`);
}
