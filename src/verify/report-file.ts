import type { GateStatus } from '../decide/verdict.js';
import { reportSchemaProblem } from '../core/report-schema.js';
import { oneLine } from '../core/diagnostics.js';
import type { Evaluation } from '../engine.js';
import { buildReport, type Report } from '../render/report.js';
import { canonicalJsonFile, isCanonicalJsonFile } from '../core/canonical-json.js';
import type { Provenance } from '../provenance/provenance.js';

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

/**
 * Reads a report file for verify: a report under schemas/report.v1.schema.json with a
 * complete provenance record that names the report's environment and as-of date.
 */
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
  const problem = reportSchemaProblem(report, { provenance: true });
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

/**
 * Reads a report file for diff: a report under schemas/report.v1.schema.json, its
 * provenance record optional (reports written before provenance have none).
 */
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
  const problem = reportSchemaProblem(value, { provenance: false });
  if (problem) return { ok: false, problem };
  return { ok: true, value: value as DiffableReport, canonical: isCanonicalJsonFile(text, value) };
}
