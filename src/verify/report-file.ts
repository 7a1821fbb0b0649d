import { STATUSES, type GateStatus } from '../decide/verdict.js';
import { oneLine } from '../core/diagnostics.js';
import { DEFAULT_ARTIFACT_LIMITS } from '../collect/limits.js';
import { DEFAULT_LIMITS } from '../core/limits.js';
import { isEnvironmentName } from '../pack/pack-config.js';
import type { Evaluation } from '../provenance/evaluation.js';
import type { Provenance } from '../provenance/provenance.js';
import { buildReport, type Report } from '../render/report.js';
import { canonicalJsonFile, isCanonicalJsonFile } from '../core/canonical-json.js';

/** A report that carries its provenance (every report does): what verify and the attestation work on. */
export type VerifiableReport = Report;

/** The report with its provenance; `env` supplies the CI context only (`{}` for none). */
export function buildVerifiableReport(
  evaluation: Evaluation,
  env: NodeJS.ProcessEnv,
): VerifiableReport {
  return buildReport(evaluation, env);
}

/**
 * The report file's bytes: RFC 8785 canonical JSON and a newline. One report has one
 * file form, so a file that is not exactly this was edited after prodgate wrote it.
 */
export function renderReportFile(report: Report): string {
  return canonicalJsonFile(report);
}

/** The parts of a report that diff reads; reports written before provenance have them too. */
export interface DiffableReport {
  environment: string;
  asOf: string;
  verdict: 'GO' | 'NO-GO';
  policy?: { wasmSha256?: string; templateSha256?: string };
  evidence: { digest: string; files: { path: string; sha256: string }[] };
  gates: {
    id: string;
    title: string;
    status: GateStatus;
    reasons: {
      code: string;
      message: string;
      evidence: { file: string; pointer: string; line?: number; column?: number }[];
    }[];
  }[];
  provenance?: Provenance;
}

export type Parsed<T> = { ok: true; value: T; canonical: boolean } | { ok: false; problem: string };

/** Reads a report file for verify: a report with a complete provenance record. */
export function parseVerifiableReport(text: string): Parsed<VerifiableReport> {
  const parsed = parseDiffableReport(text);
  if (!parsed.ok) return parsed;
  const report = parsed.value as DiffableReport & Record<string, unknown>;
  if (report.provenance === undefined)
    return {
      ok: false,
      problem:
        'it records no provenance (written by a prodgate without provenance, or the field was removed)',
    };
  const problem = provenanceProblem(report.provenance, '/provenance');
  if (problem) return { ok: false, problem };
  if (
    report.provenance.environment !== report.environment ||
    report.provenance.asOf !== report.asOf
  ) {
    return {
      ok: false,
      problem: 'its provenance names another environment or as-of date than the report',
    };
  }
  return { ok: true, value: report as unknown as VerifiableReport, canonical: parsed.canonical };
}

/** Reads a report file for diff: the verdict, the gates and the evidence files. */
export function parseDiffableReport(text: string): Parsed<DiffableReport> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (thrown) {
    // The parser's message quotes the text: kept on one line, whatever the text holds.
    return {
      ok: false,
      problem: `it is not valid JSON (${oneLine(thrown instanceof Error ? thrown.message : String(thrown))})`,
    };
  }
  const problem = diffableProblem(value, '');
  if (problem) return { ok: false, problem };
  const report = value as DiffableReport;
  if (report.provenance !== undefined) {
    const provenance = provenanceProblem(report.provenance, '/provenance');
    if (provenance) return { ok: false, problem: provenance };
  }
  return { ok: true, value: report, canonical: isCanonicalJsonFile(text, value) };
}

// --- shape checks: each returns the first problem found, with its JSON pointer ---

type Check = (value: unknown, at: string) => string | undefined;

const isRecord = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v);
const SHA256 = /^[0-9a-f]{64}$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

const string: Check = (v, at) =>
  typeof v === 'string' ? undefined : `${at || '/'} must be a string`;
const sha: Check = (v, at) =>
  typeof v === 'string' && SHA256.test(v) ? undefined : `${at} must be a sha256 in hex`;
/** An evidence file's sha256 is empty when the file could not be read. */
const shaOrEmpty: Check = (v, at) => (v === '' ? undefined : sha(v, at));
/** An environment name: verify and diff build file names from it, so it must be one plain path segment. */
const environmentName: Check = (v, at) =>
  isEnvironmentName(v)
    ? undefined
    : `${at} must be an environment name (lowercase letters, digits and hyphens)`;
const date: Check = (v, at) =>
  typeof v === 'string' && DATE.test(v) ? undefined : `${at} must be a date YYYY-MM-DD`;
const integer: Check = (v, at) => (Number.isInteger(v) ? undefined : `${at} must be an integer`);
const oneOf =
  (...allowed: unknown[]): Check =>
  (v, at) =>
    allowed.includes(v)
      ? undefined
      : `${at} must be one of ${allowed.map((a) => JSON.stringify(a)).join(', ')}`;
const optional =
  (check: Check): Check =>
  (v, at) =>
    v === undefined ? undefined : check(v, at);

function object(fields: Record<string, Check>): Check {
  return (v, at) => {
    if (!isRecord(v)) return `${at || '/'} must be an object`;
    for (const [key, check] of Object.entries(fields)) {
      const problem = check(v[key], `${at}/${key}`);
      if (problem) return problem;
    }
    return undefined;
  };
}

function array(item: Check): Check {
  return (v, at) => {
    if (!Array.isArray(v)) return `${at} must be a list`;
    for (const [i, x] of v.entries()) {
      const problem = item(x, `${at}/${i}`);
      if (problem) return problem;
    }
    return undefined;
  };
}

function record(item: Check): Check {
  return (v, at) => {
    if (!isRecord(v)) return `${at} must be an object`;
    for (const [k, x] of Object.entries(v)) {
      const problem = item(x, `${at}/${k}`);
      if (problem) return problem;
    }
    return undefined;
  };
}

const reason = object({
  code: string,
  message: string,
  evidence: array(
    object({ file: string, pointer: string, line: optional(integer), column: optional(integer) }),
  ),
});

const diffableProblem = object({
  reportVersion: oneOf(1),
  environment: environmentName,
  asOf: date,
  verdict: oneOf('GO', 'NO-GO'),
  policy: optional(object({ wasmSha256: optional(sha), templateSha256: optional(sha) })),
  evidence: object({ digest: sha, files: array(object({ path: string, sha256: shaOrEmpty })) }),
  gates: array(
    object({ id: string, title: string, status: oneOf(...STATUSES), reasons: array(reason) }),
  ),
});

/** Limits recorded only since a later version: absent in older reports, which used the default. */
const LATER_LIMITS = ['maxWasmMemory'];

/** Recorded limits: every known bound, a positive safe integer, and nothing else. */
function limitsCheck(v: unknown, at: string): string | undefined {
  if (!isRecord(v)) return `${at} must be an object`;
  const known = Object.keys(DEFAULT_LIMITS);
  const unknown = Object.keys(v).find((k) => !known.includes(k));
  if (unknown !== undefined) return `${at}/${unknown} is not a limit`;
  for (const key of known) {
    if (LATER_LIMITS.includes(key) && !(key in v)) continue;
    const value = v[key];
    if (!Number.isSafeInteger(value) || (value as number) < 1)
      return `${at}/${key} must be a positive whole number`;
  }
  return undefined;
}

/** Recorded artifact limits: every known bound, a positive safe integer, and nothing else. */
function artifactLimitsCheck(v: unknown, at: string): string | undefined {
  if (!isRecord(v)) return `${at} must be an object`;
  const known = Object.keys(DEFAULT_ARTIFACT_LIMITS);
  const unknown = Object.keys(v).find((k) => !known.includes(k));
  if (unknown !== undefined) return `${at}/${unknown} is not an artifact limit`;
  for (const key of known) {
    const value = v[key];
    if (!Number.isSafeInteger(value) || (value as number) < 1)
      return `${at}/${key} must be a positive whole number`;
  }
  return undefined;
}

const provenanceProblem = object({
  provenanceVersion: oneOf(1),
  tool: object({ name: string, version: string }),
  environment: environmentName,
  asOf: date,
  pack: object({
    name: string,
    entrypoint: string,
    opaVersion: string,
    digest: sha,
    files: array(object({ path: string, role: string, sha256: sha })),
  }),
  evidence: object({
    digest: sha,
    files: array(object({ path: string, sha256: shaOrEmpty })),
    digestWithout: record(sha),
  }),
  limits: optional(limitsCheck),
  artifactLimits: optional(artifactLimitsCheck),
  ci: optional(record(string)),
});
