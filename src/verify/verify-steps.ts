import type { KeyObject } from 'node:crypto';
import { openAttestation } from '../attest/attestation.js';
import type { Limits } from '../core/limits.js';
import { TOOL } from '../core/version.js';
import { artifactDigests } from '../collect/collect-bundle.js';
import { resolveArtifactLimits, type ArtifactLimits } from '../collect/limits.js';
import { evaluateEnvironment, releaseBinding, type Evaluation } from '../engine.js';
import { kindFor } from '../pack/pack-options.js';
import { loadBundle } from '../load/load-bundle.js';
import { loadPack, packPaths } from '../pack/pack.js';
import { packDigests } from '../provenance/pack-digests.js';
import { renderChecklist } from '../render/checklist.js';
import { crossCheckWithOpa } from './opa-crosscheck.js';
import type { VerifiableReport } from './report-file.js';
import {
  compareFiles,
  differs,
  inconsistencies,
  ok,
  reEvaluationDifferences,
  skipped,
  statementDifferences,
  type VerifyCheck,
} from './verify-checks.js';

// The steps of verifyReport (verify.ts), one check (or none) each, in the order they run.

/** The report's own form: canonical JSON, provenance consistent with the report. */
export function reportCheck(
  report: VerifiableReport,
  name: string,
  canonical: boolean,
  signed: boolean,
): VerifyCheck {
  const { environment: env, asOf, provenance } = report;
  const problems = [
    ...(canonical
      ? []
      : ['not in canonical JSON form (RFC 8785): it was edited after prodgate wrote it']),
    ...inconsistencies(report),
  ].map((p) => `report ${name}: ${p}`);
  const ciNote =
    provenance.ci && !signed
      ? '; its CI context cannot be recomputed, only a signature (--key) vouches for it'
      : '';
  return problems.length
    ? differs('report', `report ${name} was edited`, problems)
    : ok(
        'report',
        `report ${name}: canonical JSON with consistent provenance (${env}, as of ${asOf})${ciNote}`,
      );
}

/** The prodgate that wrote the report, against this one; `changed` when they differ. */
export function toolCheck(report: VerifiableReport): { check: VerifyCheck; changed: boolean } {
  const writers = new Set(
    [report.provenance.tool, report.tool].map((t) => `${t.name} ${t.version}`),
  );
  writers.delete(`${TOOL.name} ${TOOL.version}`);
  const differences = [...writers].map(
    (w) =>
      `prodgate: the report was written by ${w}; this is ${TOOL.name} ${TOOL.version}, whose re-evaluation may differ: verify with ${w}`,
  );
  return {
    changed: differences.length > 0,
    check: differences.length
      ? differs('tool', 'another prodgate version', differences)
      : ok('tool', `${TOOL.name} ${TOOL.version}, as recorded`),
  };
}

/** Every pack file read afresh and compared with the recorded digests; `changed` when any differs. */
export function packCheck(
  report: VerifiableReport,
  packDir: string | undefined,
): { check: VerifyCheck; changed: boolean } {
  const { pack } = report.provenance;
  const changes = compareFiles(
    pack.files,
    packDigests(packPaths(packDir)).files,
    (p) => `pack file ${p}`,
    'the pack',
  );
  return {
    changed: changes.length > 0,
    check: changes.length
      ? differs(
          'pack',
          `the policy pack differs from the one recorded (${pack.name}, OPA ${pack.opaVersion})`,
          changes,
        )
      : ok(
          'pack',
          `${pack.files.length} pack file(s) match the recorded digests (pack digest ${pack.digest})`,
        ),
  };
}

/**
 * Every evidence file and artifact read afresh, within the recorded limits, and compared
 * with the recorded digests. `current` is what was read, `artifactLimits` the recorded
 * artifact bounds it was read within; `changed` when any differs.
 */
export async function evidenceCheck(
  report: VerifiableReport,
  evidenceDir: string,
  limits: Limits,
  packDir: string | undefined,
): Promise<{
  check: VerifyCheck;
  changed: boolean;
  current: { path: string; sha256: string }[];
  artifactLimits: ArtifactLimits;
}> {
  const { provenance } = report;
  const loaded = (await loadBundle(evidenceDir, limits)).files;
  // The artifacts the evidence names are re-read too: a swapped test report is a changed input.
  const artifactLimits = resolveArtifactLimits(provenance.artifactLimits ?? {});
  // Repository files are read again at the revision the release evidence names now.
  const releaseKind = await loadPack(packDir).then(
    (p) => kindFor(p.manifest, 'releaseOwner'),
    () => undefined,
  );
  const artifacts = await artifactDigests(
    evidenceDir,
    loaded,
    artifactLimits,
    releaseBinding(
      releaseKind === undefined ? undefined : loaded.find((f) => f.kind === releaseKind),
    ),
  );
  const current = [...loaded.map((f) => ({ path: f.path, sha256: f.sha256 })), ...artifacts];
  const artifactPaths = new Set([
    ...(provenance.artifacts ?? []).map((a) => a.path),
    ...artifacts.map((a) => a.path),
  ]);
  const changes = compareFiles(
    provenance.evidence.files,
    current,
    (p) => `${artifactPaths.has(p) ? 'artifact' : 'evidence file'} ${p}`,
    evidenceDir,
  );
  return {
    current,
    artifactLimits,
    changed: changes.length > 0,
    check: changes.length
      ? differs(
          'evidence',
          `the evidence in ${evidenceDir} differs from the recorded evidence`,
          changes,
        )
      : ok(
          'evidence',
          `${current.length} evidence file(s) in ${evidenceDir} match the recorded digests (evidence digest ${provenance.evidence.digest})`,
        ),
  };
}

/** The re-evaluation at the recorded as-of date, compared with the report; its checklist rendered. */
export async function reEvaluationCheck(
  report: VerifiableReport,
  options: {
    evidenceDir: string;
    packDir?: string;
    repoRoot?: string;
    limits: Limits;
    artifactLimits: ArtifactLimits;
  },
  changed: { evidence: boolean; tool: boolean },
): Promise<{ check: VerifyCheck; evaluation: Evaluation; checklist: string }> {
  const { environment: env, asOf } = report;
  const evaluation = await evaluateEnvironment({
    env,
    evidenceDir: options.evidenceDir,
    asOf,
    pack: await loadPack(options.packDir),
    limits: options.limits,
    artifactLimits: options.artifactLimits,
    ...(options.repoRoot ? { repoRoot: options.repoRoot } : {}),
  });
  const checklist = renderChecklist(evaluation);
  const moved = reEvaluationDifferences(report, evaluation, {
    evidenceChanged: changed.evidence,
    toolChanged: changed.tool,
  });
  return {
    evaluation,
    checklist,
    check: moved.length
      ? differs('re-evaluation', `re-evaluating at ${asOf} does not reproduce the report`, moved)
      : ok(
          're-evaluation',
          `re-evaluating at ${asOf} reproduces the report: ${report.verdict}, ${report.gates.length} gate(s) identical`,
        ),
  };
}

/** The DSSE envelope: its signature, and its statement against the report, evidence and checklist. */
export function signatureCheck(
  envelope: { name: string; text: string | null },
  publicKey: KeyObject,
  report: VerifiableReport,
  current: { path: string; sha256: string }[],
  checklist: { name: string; file: Buffer | undefined; rendered: string | undefined },
): VerifyCheck {
  const { name } = envelope;
  const opened =
    envelope.text === null
      ? { ok: false as const, problems: ['the envelope is not valid UTF-8'] }
      : openAttestation(envelope.text, publicKey);
  if (!opened.ok)
    return differs(
      'signature',
      `envelope ${name} does not verify`,
      opened.problems.map((p) => `envelope ${name}: ${p}`),
    );
  const problems = statementDifferences(opened.statement, report, current, checklist).map(
    (p) => `envelope ${name}: ${p}`,
  );
  return problems.length
    ? differs(
        'signature',
        `envelope ${name} is signed by ${opened.keyid} but does not match`,
        problems,
      )
    : ok(
        'signature',
        `envelope ${name}: signed by ${opened.keyid}; the predicate is this report; ${opened.statement.subject.length} subject digest(s) match`,
      );
}

/** The stock OPA's decision on the same input, against policy.wasm's; skipped without a re-evaluation. */
export async function engineCheck(evaluation: Evaluation | undefined): Promise<VerifyCheck> {
  if (!evaluation)
    return skipped('engine', 'opa eval not run: the policy pack is not the recorded one');
  const comparison = await crossCheckWithOpa(evaluation);
  return comparison.agree
    ? ok(
        'engine',
        `opa eval on the Rego sources agrees with policy.wasm on ${comparison.gates} gate(s)`,
      )
    : differs(
        'engine',
        'opa eval disagrees with policy.wasm',
        comparison.differences.map((d) => `opa eval: ${d}`),
      );
}
