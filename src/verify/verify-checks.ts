import { type Finding, finding } from '../core/finding.js';
import { basename } from 'node:path';
import type { Evaluation } from '../provenance/evaluation.js';
import { EVIDENCE_SUBJECT_PREFIX, type VerdictStatement } from '../attest/attestation.js';
import { gateMoves, jsonDifferences, show, type ValueDifference } from './compare.js';
import { bundleDigest, sha256 } from '../core/digest.js';
import { buildVerifiableReport, type VerifiableReport } from './report-file.js';

// The comparisons verify makes, pure: each returns one line per difference, naming the
// file, the digest, the gate or the JSON pointer. verify.ts reads the files and runs them.

/** At most this many field-level differences are listed; the rest are counted. */
const MAX_FIELD_DIFFERENCES = 20;

/** What verify checked, in order. */
export type VerifyPart =
  | 'report'
  | 'signature'
  | 'tool'
  | 'pack'
  | 'evidence'
  | 're-evaluation'
  | 'checklist'
  | 'engine';

/** One step of verify: what it compared and how that came out. */
export interface VerifyStep {
  part: VerifyPart;
  /** ok: as recorded; differs: see the findings coded with this part; skipped: see summary. */
  state: 'ok' | 'differs' | 'skipped';
  summary: string;
}

/** A step and its differences: one error finding each, coded with the step's part. */
export interface VerifyCheck {
  step: VerifyStep;
  findings: Finding<VerifyPart>[];
}

export const ok = (part: VerifyPart, summary: string): VerifyCheck => ({
  step: { part, state: 'ok', summary },
  findings: [],
});
/** `differences`: one line each, naming the file, digest, gate or JSON pointer. */
export const differs = (part: VerifyPart, summary: string, differences: string[]): VerifyCheck => ({
  step: { part, state: 'differs', summary },
  findings: differences.map((message) => finding({ severity: 'error', code: part, message })),
});
export const skipped = (part: VerifyPart, summary: string): VerifyCheck => ({
  step: { part, state: 'skipped', summary },
  findings: [],
});

/**
 * What a report says twice must agree: its evidence and policy sections against its
 * provenance, and each digest against the files it is computed over. A disagreement
 * can only come from an edit of the report.
 */
export function inconsistencies(report: VerifiableReport): string[] {
  const { provenance } = report;
  const out: string[] = [];
  const recorded = new Map(provenance.evidence.files.map((f) => [f.path, f.sha256]));
  // The evidence section may list fewer files than provenance (the report schema bounds it), never others.
  for (const f of report.evidence.files) {
    const other = recorded.get(f.path);
    if (other !== f.sha256)
      out.push(
        `its evidence section gives ${f.path} sha256 ${f.sha256 || '(unreadable)'}, its provenance ${other === undefined ? 'does not list it' : other || '(unreadable)'}`,
      );
  }
  const evidenceDigest = bundleDigest(provenance.evidence.files);
  if (provenance.evidence.digest !== evidenceDigest)
    out.push(
      `its provenance evidence digest ${provenance.evidence.digest} is not the digest of its files (${evidenceDigest})`,
    );
  if (report.evidence.digest !== provenance.evidence.digest)
    out.push(
      `its evidence digest ${report.evidence.digest} is not its provenance's ${provenance.evidence.digest}`,
    );
  const packDigest = bundleDigest(provenance.pack.files);
  if (provenance.pack.digest !== packDigest)
    out.push(
      `its provenance pack digest ${provenance.pack.digest} is not the digest of its files (${packDigest})`,
    );
  const byRole = (role: string): string[] =>
    provenance.pack.files.filter((f) => f.role === role).map((f) => f.sha256);
  if (!byRole('wasm').includes(report.policy.wasmSha256))
    out.push(
      `its policy section's wasm sha256 ${report.policy.wasmSha256} is not in its provenance`,
    );
  if (!byRole('template').includes(report.policy.templateSha256))
    out.push(
      `its policy section's template sha256 ${report.policy.templateSha256} is not in its provenance`,
    );
  if (report.tool.name !== provenance.tool.name || report.tool.version !== provenance.tool.version)
    out.push(
      `its tool (${report.tool.name} ${report.tool.version}) is not its provenance's (${provenance.tool.name} ${provenance.tool.version})`,
    );
  return out;
}

/** The recorded report against the one re-evaluation builds, with the recorded CI context (it cannot be recomputed). */
export function reEvaluationDifferences(
  report: VerifiableReport,
  evaluation: Evaluation,
  known: { evidenceChanged: boolean; toolChanged: boolean },
): string[] {
  const expected = buildVerifiableReport(evaluation, {});
  if (report.provenance.ci) expected.provenance.ci = report.provenance.ci;
  const out: string[] = [];
  if (report.verdict !== expected.verdict)
    out.push(
      `verdict moved from ${report.verdict} (in the report) to ${expected.verdict} (in re-evaluation)`,
    );
  const moves = gateMoves(report.gates, expected.gates);
  out.push(...moves);

  // Everything else, field by field; what is already named above is left out.
  const skip = ['/gates', '/verdict'];
  if (known.evidenceChanged) skip.push('/evidence', '/provenance/evidence');
  if (known.toolChanged) skip.push('/tool', '/provenance/tool');
  if (moves.length) skip.push('/counts');
  const fields: ValueDifference[] = jsonDifferences(report, expected).filter(
    (d) => !skip.some((s) => d.pointer === s || d.pointer.startsWith(`${s}/`)),
  );
  const expectedGates = new Map(expected.gates.map((g) => [g.id, g]));
  report.gates.forEach((gate, i) => {
    const other = expectedGates.get(gate.id);
    if (!other) return;
    const { status: _s, reasons: _r, ...rest } = gate;
    const { status: _t, reasons: _q, ...otherRest } = other;
    fields.push(...jsonDifferences(rest, otherRest, `/gates/${i}`));
  });
  const lines = fields.map(
    (d) =>
      `report ${d.pointer || '/'}: recorded ${show(d.left)}, re-evaluation gives ${show(d.right)}`,
  );
  out.push(...lines.slice(0, MAX_FIELD_DIFFERENCES));
  if (lines.length > MAX_FIELD_DIFFERENCES)
    out.push(`report: ${lines.length - MAX_FIELD_DIFFERENCES} more field(s) differ`);
  return out;
}

export function checklistCheck(
  path: string,
  file: Buffer | undefined,
  rendered: string | undefined,
): VerifyCheck {
  const name = basename(path);
  if (file === undefined) return skipped('checklist', `no checklist ${name} beside the report`);
  if (rendered === undefined)
    return skipped('checklist', `checklist ${name} not compared: nothing was re-rendered`);
  if (file.equals(Buffer.from(rendered, 'utf8')))
    return ok('checklist', `checklist ${name} is identical to the re-rendered one`);
  const lines = firstDifferentLine(file.toString('utf8'), rendered);
  return differs('checklist', `checklist ${name} differs from the re-rendered one`, [
    `checklist ${name}: sha256 ${sha256(file)}, re-rendered ${sha256(rendered)}; first difference at line ${lines}`,
  ]);
}

/** What a verified statement says, against the report, the evidence and the checklist at hand. */
export function statementDifferences(
  statement: VerdictStatement,
  report: VerifiableReport,
  evidence: { path: string; sha256: string }[],
  checklist: { name: string; file: Buffer | undefined; rendered: string | undefined },
): string[] {
  const out: string[] = [];
  const predicate = jsonDifferences(statement.predicate, report);
  out.push(
    ...predicate
      .slice(0, MAX_FIELD_DIFFERENCES)
      .map(
        (d) =>
          `the report differs from the signed predicate at ${d.pointer || '/'}: signed ${show(d.left)}, report ${show(d.right)}`,
      ),
  );
  if (predicate.length > MAX_FIELD_DIFFERENCES)
    out.push(
      `${predicate.length - MAX_FIELD_DIFFERENCES} more report field(s) differ from the signed predicate`,
    );

  const signedEvidence = statement.subject
    .filter((s) => s.name.startsWith(EVIDENCE_SUBJECT_PREFIX))
    .map((s) => ({
      path: s.name.slice(EVIDENCE_SUBJECT_PREFIX.length),
      sha256: s.digest.sha256,
      ...(s.digest.gitBlob !== undefined ? { gitBlob: s.digest.gitBlob } : {}),
    }));
  const readable = evidence.filter((f) => f.sha256 !== '');
  out.push(
    ...compareFiles(
      signedEvidence,
      readable,
      (p) => `subject ${EVIDENCE_SUBJECT_PREFIX}${p}`,
      'the evidence folder',
      'signed',
    ),
  );

  const subject = statement.subject.find((s) => s.name === checklist.name);
  const others = statement.subject.filter(
    (s) => s !== subject && !s.name.startsWith(EVIDENCE_SUBJECT_PREFIX),
  );
  for (const s of others) out.push(`subject ${s.name}: not a subject prodgate writes`);
  if (!subject) out.push(`no subject names the checklist ${checklist.name}`);
  else {
    if (checklist.file !== undefined && sha256(checklist.file) !== subject.digest.sha256) {
      out.push(
        `subject ${checklist.name}: signed sha256 ${subject.digest.sha256}, the checklist file has ${sha256(checklist.file)}`,
      );
    }
    if (checklist.rendered !== undefined && sha256(checklist.rendered) !== subject.digest.sha256) {
      out.push(
        `subject ${checklist.name}: signed sha256 ${subject.digest.sha256}, the re-rendered checklist has ${sha256(checklist.rendered)}`,
      );
    }
  }
  return out;
}

/** Recorded file digests against the current ones: changed, missing and added files. */
export function compareFiles(
  recorded: { path: string; sha256: string; gitBlob?: string }[],
  current: { path: string; sha256: string; gitBlob?: string }[],
  label: (path: string) => string,
  where: string,
  how = 'recorded',
): string[] {
  const now = new Map(current.map((f) => [f.path, f.sha256]));
  const then = new Map(recorded.map((f) => [f.path, f.sha256]));
  const out: string[] = [];
  // A file read with git carries its blob id beside its sha256: both must hold.
  const blobNow = new Map(current.map((f) => [f.path, f.gitBlob]));
  for (const f of recorded)
    if (
      f.gitBlob !== undefined &&
      now.get(f.path) === f.sha256 &&
      blobNow.get(f.path) !== f.gitBlob
    )
      out.push(
        `${label(f.path)}: git blob ${how} ${f.gitBlob}, now ${blobNow.get(f.path) ?? '(none)'}`,
      );
  for (const [path, digest] of then) {
    const actual = now.get(path);
    if (actual === undefined)
      out.push(
        `${label(path)}: ${how} with sha256 ${digest || '(unreadable)'}, no longer in ${where}`,
      );
    else if (actual !== digest)
      out.push(
        `${label(path)}: sha256 ${how} ${digest || '(unreadable)'}, now ${actual || '(unreadable)'}`,
      );
  }
  for (const [path, digest] of now)
    if (!then.has(path))
      out.push(`${label(path)}: not ${how}, now in ${where} (sha256 ${digest || '(unreadable)'})`);
  return out;
}

function firstDifferentLine(a: string, b: string): number {
  const x = a.split('\n');
  const y = b.split('\n');
  let i = 0;
  while (i < x.length && i < y.length && x[i] === y[i]) i++;
  return i + 1;
}
