// Shared helpers for the unit and end-to-end tests.
import { existsSync } from 'node:fs';
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa, type Result } from 'execa';
import yaml from 'js-yaml';
import { withoutCiContext } from '../../src/provenance/ci-context.ts';
import { cliFromSources, prepareChild, sourceCliArgs } from './mutation-run.ts';

/** The repository root (the folder holding package.json), from this file's location. */
export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** The built CLI (`npm run build` writes it). */
export const CLI = join(REPO_ROOT, 'dist/cli/main.js');

/** Every example is pinned to this date. */
export const AS_OF = '2026-11-25';

export const ENVS = ['pilot', 'staging', 'prod'] as const;
export type Env = (typeof ENVS)[number];

/** A stack trace line, as Node prints them: `    at fn (file:line:col)`. */
export const STACK_TRACE = /\n\s+at .+:\d+:\d+/;

export interface CliResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs the CLI as a subprocess; never rejects, whatever the exit code. It is the built
 * CLI, except in a mutation run (or with PRODGATE_TEST_CLI=sources), where it is the CLI
 * of the (mutated) sources: test/support/mutation-run.ts.
 */
export async function runCli(args: string[], options: { cwd?: string } = {}): Promise<CliResult> {
  const fromSources = cliFromSources();
  if (!fromSources && !existsSync(CLI))
    throw new Error(`${CLI} does not exist: run npm run build first`);
  // Without the CI system's variables: reports record them, and the golden outputs have none.
  const env = withoutCiContext({ ...process.env, PRODGATE_DEBUG: '' });
  const childExited = await prepareChild(env);
  const result: Result = await execa(
    'node',
    [...(fromSources ? sourceCliArgs(REPO_ROOT) : [CLI]), ...args],
    {
      reject: false,
      cwd: options.cwd ?? REPO_ROOT,
      env,
      extendEnv: false,
      stripFinalNewline: false,
    },
  );
  await childExited();
  return {
    exitCode: result.exitCode ?? -1,
    stdout: String(result.stdout),
    stderr: String(result.stderr),
  };
}

const tmpDirs: string[] = [];

/** A fresh temporary folder, removed by cleanupTmp(). */
export async function makeTmp(prefix = 'prodgate-test-'): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  tmpDirs.push(dir);
  return dir;
}

/** Removes every folder makeTmp() created in this test file. */
export async function cleanupTmp(): Promise<void> {
  await Promise.all(tmpDirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
}

/** Copies evidence/<env> of the repository into a fresh temporary folder and returns it. */
export async function copyEvidence(env: Env = 'prod'): Promise<string> {
  const dir = join(await makeTmp('prodgate-evidence-'), env);
  await cp(join(REPO_ROOT, 'evidence', env), dir, { recursive: true });
  return dir;
}

/** Parses an evidence YAML file with the YAML 1.2 core schema, edits it, writes it back. */
export async function editYaml(
  dir: string,
  file: string,
  mutate: (doc: Record<string, any>) => void,
): Promise<void> {
  const path = join(dir, file);
  const doc = yaml.load(await readFile(path, 'utf8'), { schema: yaml.CORE_SCHEMA }) as Record<
    string,
    any
  >;
  mutate(doc);
  await writeFile(path, yaml.dump(doc, { schema: yaml.CORE_SCHEMA, lineWidth: -1 }));
}

export interface ReportRef {
  file: string;
  pointer: string;
  line?: number;
  column?: number;
}

export interface ReportReason {
  code: string;
  message: string;
  evidence: ReportRef[];
}

export interface ReportGate {
  id: string;
  title: string;
  section: string;
  severity: string;
  parent?: string;
  status: 'pass' | 'fail' | 'na' | 'waived' | 'error';
  reasons: ReportReason[];
  rule: string;
}

export interface ReportDiagnostic {
  severity: 'error' | 'warning';
  code: string;
  file: string;
  line: number;
  column: number;
  pointer: string;
  message: string;
}

export interface Report {
  reportVersion: 1;
  environment: string;
  asOf: string;
  verdict: 'GO' | 'NO-GO';
  counts: Record<string, number>;
  problems: string[];
  diagnostics: ReportDiagnostic[];
  evidence: {
    digest: string;
    files: { path: string; kind: string | null; sha256: string; valid: boolean }[];
  };
  gates: ReportGate[];
  [key: string]: unknown;
}

export function reportName(env: string): string {
  return `P4_PROD_READINESS_REPORT_${env}.json`;
}

export function checklistName(env: string): string {
  return `P4_PROD_READINESS_CHECKLIST_${env}.md`;
}

/** Reads the JSON report `evaluate` wrote for one environment into an output folder. */
export async function readReport(outDir: string, env: string): Promise<Report> {
  return JSON.parse(await readFile(join(outDir, reportName(env)), 'utf8')) as Report;
}

export function gateOf(report: Report, id: string): ReportGate {
  const gate = report.gates.find((g) => g.id === id);
  if (!gate) throw new Error(`gate ${id} is not in the report`);
  return gate;
}

/** Gate ids and parents from the compiled bundle's manifest. */
export async function manifestGates(): Promise<
  { id: string; parent?: string; evidence: string[] }[]
> {
  const manifest = JSON.parse(await readFile(join(REPO_ROOT, 'bundle/manifest.json'), 'utf8')) as {
    gates: { id: string; parent?: string; evidence: string[] }[];
  };
  return manifest.gates;
}

/**
 * Evaluates an evidence folder with the built CLI into a fresh output folder, with
 * links resolved against the repository root; returns the run and the written report.
 */
export async function evaluateDir(
  evidenceDir: string,
  env: Env = 'prod',
  extra: string[] = [],
): Promise<CliResult & { outDir: string; report: Report }> {
  const outDir = await makeTmp('prodgate-out-');
  const run = await runCli([
    'evaluate',
    '--env',
    env,
    '--evidence',
    evidenceDir,
    '--repo-root',
    REPO_ROOT,
    '--as-of',
    AS_OF,
    '--out',
    outDir,
    ...extra,
  ]);
  let report: Report;
  try {
    report = await readReport(outDir, env);
  } catch (thrown) {
    throw new Error(`no report was written (exit ${run.exitCode}): ${run.stderr || run.stdout}`, {
      cause: thrown,
    });
  }
  return { ...run, outDir, report };
}

/** Runs async jobs with at most `limit` in flight at once, keeping result order. */
export async function inBatches<T, R>(
  items: T[],
  limit: number,
  job: (item: T) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      results[index] = await job(items[index] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/** Copies the parts of a policy pack (policies, schemas, templates, bundle, pack.json) to a tmp folder. */
export async function copyPack(): Promise<string> {
  const dir = await makeTmp('prodgate-pack-');
  for (const part of ['policies', 'schemas', 'templates', 'bundle']) {
    await cp(join(REPO_ROOT, part), join(dir, part), { recursive: true });
  }
  await cp(join(REPO_ROOT, 'pack.json'), join(dir, 'pack.json'));
  await mkdir(join(dir, 'bundle'), { recursive: true });
  return dir;
}

/**
 * An edit of an evidence copy that marks the first test case whose name holds `text`
 * skipped in a JUnit artifact (and counts it in its suite's skipped=): a test report
 * showing a skipped test, as the tool would have written it.
 */
export function skipInReport(
  text: string,
  file = 'artifacts/release-tests.junit.xml',
): (dir: string) => Promise<void> {
  return async (dir) => {
    const path = join(dir, file);
    let xml = await readFile(path, 'utf8');
    const close = xml.indexOf('</testcase>', xml.indexOf(text));
    if (xml.indexOf(text) < 0 || close < 0) throw new Error(`no test case with ${text} in ${file}`);
    xml = `${xml.slice(0, close)}    <skipped/>\n        ${xml.slice(close)}`;
    xml = xml.replace(
      /(<testsuites? [^>]*skipped=")(\d+)"/g,
      (_, head: string, n: string) => `${head}${Number(n) + 1}"`,
    );
    await writeFile(path, xml);
  };
}
