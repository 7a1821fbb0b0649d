import type { Decision, GateVerdict, Reason } from '../decide/verdict.js';
import type { EvidenceFinding } from '../core/finding.js';
import type { Evaluation } from '../provenance/evaluation.js';
import { hasErrors } from '../load/evidence-file.js';
import { canonicalJsonFile } from '../core/canonical-json.js';
import { withCiContext, type Provenance } from '../provenance/provenance.js';
import { reportSchemaNumber } from '../core/report-schema.js';
import type { ProdgateVerdictReport as SchemaReport } from '../core/report-types.generated.js';
import { TOOL } from '../core/version.js';
import { clampText } from '../core/text/clamp.js';
import { redactDeep } from '../core/text/redact.js';

/** The machine-readable verdict report (schemas/report.v1.schema.json). */
export interface Report {
  reportVersion: 1;
  tool: { name: string; version: string };
  environment: string;
  asOf: string;
  verdict: Decision['verdict'];
  policy: {
    pack: string;
    entrypoint: string;
    opaVersion: string;
    wasmSha256: string;
    templateSha256: string;
  };
  evidence: {
    digest: string;
    files: {
      path: string;
      kind: string | null;
      sha256: string;
      valid: boolean;
      format?: string;
      gitBlob?: string;
    }[];
  };
  counts: Decision['counts'];
  problems: string[];
  /** The evidence findings, without the gate a waiver finding names (the schema has no such field). */
  diagnostics: Omit<EvidenceFinding, 'gate'>[];
  gates: GateVerdict[];
  /** Where the verdict came from (src/provenance/provenance.ts, docs/audit.md). */
  provenance: Provenance;
}

/**
 * The report of an evaluation: credentials redacted, and every list and string held
 * within the bounds of the report schema, so that hostile evidence (a 16,000-character
 * key, thousands of files) still yields a report that validates. Provenance is added
 * after both: it holds digests, pack-relative paths and CI variables only, and verify
 * recomputes it exactly. `env` supplies the CI context; the default records none.
 */
export function buildReport(evaluation: Evaluation, env: NodeJS.ProcessEnv = {}): Report {
  return {
    ...fitToSchema(redactDeep(rawReport(evaluation))),
    provenance: withCiContext(evaluation.provenance, env),
  };
}

type ReportBody = Omit<Report, 'provenance'>;

function rawReport(evaluation: Evaluation): ReportBody {
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
      // The artifacts are evidence too: digested with the files (before render,
      // provenance/evaluation.ts), so the digest a sign-off approves covers them.
      digest: evaluation.provenance.evidence.digest,
      files: [
        ...evaluation.files.map((f) => ({
          path: f.path,
          kind: f.kind ?? null,
          sha256: f.sha256,
          valid: !hasErrors(f),
        })),
        ...evaluation.artifacts.map((a) => ({
          path: a.path,
          kind: null,
          sha256: a.sha256,
          valid: a.valid,
          format: a.format ?? '',
          ...(a.gitBlob ? { gitBlob: a.gitBlob } : {}),
        })),
      ],
    },
    counts: decision.counts,
    problems: decision.problems,
    diagnostics: evaluation.diagnostics,
    gates: decision.gates,
  };
}

// The maxima of schemas/report.v1.schema.json, read from it: the schema is the contract,
// so a bound changed there is the bound the renderer keeps to.
const GATE = '/properties/gates/items/properties';
const REASON = `${GATE}/reasons/items/properties`;
const MAX = {
  items: reportSchemaNumber('/properties/gates/maxItems'),
  files: reportSchemaNumber('/properties/evidence/properties/files/maxItems'),
  reasons: reportSchemaNumber(`${GATE}/reasons/maxItems`),
  diagnostics: reportSchemaNumber('/properties/diagnostics/maxItems'),
  problems: reportSchemaNumber('/properties/problems/maxItems'),
  refs: reportSchemaNumber(`${REASON}/evidence/maxItems`),
  text: reportSchemaNumber(`${REASON}/message/maxLength`),
  problemText: reportSchemaNumber('/properties/problems/items/maxLength'),
  diagnosticText: reportSchemaNumber('/properties/diagnostics/items/properties/message/maxLength'),
  pointer: reportSchemaNumber(`${REASON}/evidence/items/properties/pointer/maxLength`),
  file: reportSchemaNumber(`${REASON}/evidence/items/properties/file/maxLength`),
  path: reportSchemaNumber('/properties/evidence/properties/files/items/properties/path/maxLength'),
  kind: reportSchemaNumber('/properties/evidence/properties/files/items/properties/kind/maxLength'),
} as const;

function fitToSchema(report: ReportBody): ReportBody {
  const ref = <T extends { file: string; pointer: string }>(r: T): T => ({
    ...r,
    file: clampText(r.file, MAX.file),
    pointer: clampText(r.pointer, MAX.pointer),
  });
  const cut =
    report.diagnostics.length > MAX.diagnostics
      ? [
          `the evidence has ${report.diagnostics.length} diagnostics; the report lists the first ${MAX.diagnostics}`,
        ]
      : [];
  const problems = capList(
    [...report.problems, ...cut],
    MAX.problems,
    (n) => `and ${n} more problem(s)`,
  ).map((p) => clampText(p, MAX.problemText));
  const diagnostics = report.diagnostics
    .slice(0, MAX.diagnostics)
    .map((d) => ({ ...ref(d), message: clampText(d.message, MAX.diagnosticText) }));
  return {
    ...report,
    problems,
    diagnostics,
    evidence: {
      ...report.evidence,
      files: report.evidence.files.slice(0, MAX.files).map((f) => ({
        ...f,
        path: clampText(f.path, MAX.path),
        kind: f.kind === null ? null : clampText(f.kind, MAX.kind),
      })),
    },
    gates: report.gates.slice(0, MAX.items).map((g) => {
      const boundReasons = (reasons: Reason[]): Reason[] =>
        reasons.slice(0, MAX.reasons).map((r) => ({
          ...r,
          message: clampText(r.message, MAX.text),
          evidence: r.evidence.slice(0, MAX.refs).map(ref),
        }));
      // A waiver's `covers` are reasons too (what it accepted): the same bounds.
      return {
        ...g,
        reasons: boundReasons(g.reasons),
        ...(g.waiver?.covers
          ? { waiver: { ...g.waiver, covers: boundReasons(g.waiver.covers) } }
          : {}),
      };
    }),
  };
}

/** The first max-1 items and a last one that says how many were left out, when too many. */
function capList(items: string[], max: number, more: (n: number) => string): string[] {
  return items.length <= max
    ? [...items]
    : [...items.slice(0, max - 1), more(items.length - max + 1)];
}

/** The report file: RFC 8785 canonical JSON and a newline (verify refuses any other form). */
export function renderReportJson(evaluation: Evaluation, env: NodeJS.ProcessEnv = {}): string {
  return canonicalJsonFile(buildReport(evaluation, env));
}

// Build-time check against the schema (the single source): every report this type
// allows is a report the schema allows, and the type has no field the schema lacks.
// src/core/report-types.generated.ts is generated from the schema; a test fails when
// it is stale, and tsc fails here when Report drifts from it.
type ExtraKeys<T, S> = Exclude<keyof T, keyof S>;
type NoExtraKeys<T, S> = [ExtraKeys<T, S>] extends [never] ? true : ExtraKeys<T, S>;
const reportConformsToSchema: SchemaReport = {} as Report;
const reportKeysInSchema: [
  NoExtraKeys<Report, SchemaReport>,
  NoExtraKeys<Report['policy'], SchemaReport['policy']>,
  NoExtraKeys<Report['evidence']['files'][number], SchemaReport['evidence']['files'][number]>,
  NoExtraKeys<Report['diagnostics'][number], SchemaReport['diagnostics'][number]>,
  NoExtraKeys<Report['gates'][number], SchemaReport['gates'][number]>,
  NoExtraKeys<Provenance, NonNullable<SchemaReport['provenance']>>,
] = [true, true, true, true, true, true];
void reportConformsToSchema;
void reportKeysInSchema;
