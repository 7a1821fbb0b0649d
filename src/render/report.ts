import type { Decision, GateVerdict } from '../decide/verdict.js';
import type { Diagnostic } from '../diagnostics.js';
import type { Evaluation } from '../engine.js';
import { hasErrors } from '../load/evidence-file.js';
import { bundleDigest } from '../provenance/digest.js';
import { TOOL } from '../version.js';

/** The machine-readable verdict report (schemas/report.v1.schema.json). */
export interface Report {
  reportVersion: 1;
  tool: { name: string; version: string };
  environment: string;
  asOf: string;
  verdict: Decision['verdict'];
  policy: { pack: string; entrypoint: string; opaVersion: string; wasmSha256: string; templateSha256: string };
  evidence: { digest: string; files: { path: string; kind: string | null; sha256: string; valid: boolean }[] };
  counts: Decision['counts'];
  problems: string[];
  diagnostics: Diagnostic[];
  gates: GateVerdict[];
}

export function buildReport(evaluation: Evaluation): Report {
  const { pack, decision } = evaluation;
  return {
    reportVersion: 1,
    tool: TOOL,
    environment: evaluation.env,
    asOf: evaluation.asOf,
    verdict: decision.verdict,
    policy: {
      pack: pack.manifest.name,
      entrypoint: pack.manifest.entrypoint,
      opaVersion: pack.manifest.opaVersion,
      wasmSha256: pack.wasmSha256,
      templateSha256: pack.templateSha256,
    },
    evidence: {
      digest: bundleDigest(evaluation.files),
      files: evaluation.files.map((f) => ({ path: f.path, kind: f.kind ?? null, sha256: f.sha256, valid: !hasErrors(f) })),
    },
    counts: decision.counts,
    problems: decision.problems,
    diagnostics: evaluation.diagnostics,
    gates: decision.gates,
  };
}

export function renderReportJson(evaluation: Evaluation): string {
  return `${JSON.stringify(buildReport(evaluation), null, 2)}\n`;
}
