import { lstat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { evaluateEnvironment, resolveLimits, type Evaluation } from '../engine.js';
import { CannotEvaluateError } from '../core/errors.js';
import { readRegularFile } from '../core/io/read-bounded.js';
import { loadBundle } from '../load/load-bundle.js';
import { loadPack, packPaths } from '../pack/pack.js';
import { renderChecklist } from '../render/checklist.js';
import { markdownFormat } from '../render/outputs.js';
import { TOOL } from '../core/version.js';
import { attestationFileName, openAttestation } from '../attest/attestation.js';
import { publicKeyFromPem } from '../attest/dsse.js';
import { crossCheckWithOpa } from './opa-crosscheck.js';
import { packDigests } from '../provenance/pack-digests.js';
import { artifactDigests } from '../collect/collect-bundle.js';
import { resolveArtifactLimits } from '../collect/limits.js';
import { parseVerifiableReport, type VerifiableReport } from './report-file.js';
import {
  checklistCheck,
  compareFiles,
  differs,
  inconsistencies,
  ok,
  reEvaluationDifferences,
  skipped,
  statementDifferences,
  type VerifyCheck,
  type VerifyPart,
} from './verify-checks.js';

export interface VerifyOptions {
  /** The report file. */
  reportPath: string;
  /** The evidence folder; evidence/<env> (relative to the working folder) when absent. */
  evidenceDir?: string;
  /** The policy pack; the shipped pack when absent. */
  packDir?: string;
  /** Where repository-relative links resolve, as for evaluate; the working folder when absent. */
  repoRoot?: string;
  /** An ed25519 public key in PEM: when given, the DSSE envelope is checked too. */
  publicKeyPem?: string | Buffer;
  /** The envelope; the attestation file beside the report when absent. */
  envelopePath?: string;
  /** The checklist; the one beside the report, when it exists, when absent. */
  checklistPath?: string;
  /** Also evaluate with the stock OPA CLI and require the same raw decision per gate. */
  engine?: 'opa';
}

export type { VerifyCheck, VerifyPart } from './verify-checks.js';

export interface VerifyResult {
  report: string;
  environment?: string;
  asOf?: string;
  /** True when no check differs. */
  verified: boolean;
  checks: VerifyCheck[];
}

/**
 * Verifies a report offline (docs/audit.md): its form; its signature, when a key is
 * given; the prodgate version; the digest of every pack file and every evidence file;
 * then, when the pack is the recorded one, a re-evaluation at the recorded as-of date
 * compared field by field and gate by gate; the checklist re-rendered; and, on request,
 * the stock OPA's decision on the same input. Differences are results; only what
 * stops verify from running (an unreadable file, a missing folder, a bad key, no OPA)
 * throws CannotEvaluateError.
 */
export async function verifyReport(options: VerifyOptions): Promise<VerifyResult> {
  if (options.envelopePath !== undefined && options.publicKeyPem === undefined)
    throw new CannotEvaluateError(
      '--envelope needs --key: an envelope is checked against a public key',
    );
  const publicKey =
    options.publicKeyPem === undefined ? undefined : publicKeyFromPem(options.publicKeyPem);
  const text = await readText(options.reportPath, 'report');
  const name = basename(options.reportPath);
  const parsed =
    text === undefined
      ? { ok: false as const, problem: 'it is not valid UTF-8' }
      : parseVerifiableReport(text);
  if (!parsed.ok)
    return result(options, undefined, [
      differs('report', `report ${name} is not a verifiable prodgate report`, [
        `report ${name}: ${parsed.problem}`,
      ]),
    ]);
  const report = parsed.value;
  const { environment: env, asOf, provenance } = report;
  const checks: VerifyCheck[] = [];
  const reportProblems = [
    ...(parsed.canonical
      ? []
      : ['not in canonical JSON form (RFC 8785): it was edited after prodgate wrote it']),
    ...inconsistencies(report),
  ].map((p) => `report ${name}: ${p}`);
  const ciNote =
    provenance.ci && !publicKey
      ? '; its CI context cannot be recomputed, only a signature (--key) vouches for it'
      : '';
  checks.push(
    reportProblems.length
      ? differs('report', `report ${name} was edited`, reportProblems)
      : ok(
          'report',
          `report ${name}: canonical JSON with consistent provenance (${env}, as of ${asOf})${ciNote}`,
        ),
  );
  const envelopePath =
    options.envelopePath ?? join(dirname(options.reportPath), attestationFileName(env));
  const envelopeText = publicKey ? ((await readText(envelopePath, 'envelope')) ?? null) : undefined;

  const writers = new Set([provenance.tool, report.tool].map((t) => `${t.name} ${t.version}`));
  writers.delete(`${TOOL.name} ${TOOL.version}`);
  const toolDifferences = [...writers].map(
    (w) =>
      `prodgate: the report was written by ${w}; this is ${TOOL.name} ${TOOL.version}, whose re-evaluation may differ: verify with ${w}`,
  );
  checks.push(
    toolDifferences.length
      ? differs('tool', 'another prodgate version', toolDifferences)
      : ok('tool', `${TOOL.name} ${TOOL.version}, as recorded`),
  );

  const paths = packPaths(options.packDir);
  const packChanges = compareFiles(
    provenance.pack.files,
    packDigests(paths).files,
    (p) => `pack file ${p}`,
    'the pack',
  );
  checks.push(
    packChanges.length
      ? differs(
          'pack',
          `the policy pack differs from the one recorded (${provenance.pack.name}, OPA ${provenance.pack.opaVersion})`,
          packChanges,
        )
      : ok(
          'pack',
          `${provenance.pack.files.length} pack file(s) match the recorded digests (pack digest ${provenance.pack.digest})`,
        ),
  );

  const evidenceDir = options.evidenceDir ?? join('evidence', env);
  // The evidence is read within the bounds it was read within when the report was made.
  const limits = resolveLimits(provenance.limits ?? {});
  const loaded = (await loadBundle(evidenceDir, limits)).files;
  // The artifacts the evidence names are re-read too: a swapped test report is a changed input.
  const artifactLimits = resolveArtifactLimits(provenance.artifactLimits ?? {});
  const artifacts = await artifactDigests(evidenceDir, loaded, artifactLimits);
  const current = [...loaded.map((f) => ({ path: f.path, sha256: f.sha256 })), ...artifacts];
  const artifactPaths = new Set([
    ...(provenance.artifacts ?? []).map((a) => a.path),
    ...artifacts.map((a) => a.path),
  ]);
  const evidenceChanges = compareFiles(
    provenance.evidence.files,
    current,
    (p) => `${artifactPaths.has(p) ? 'artifact' : 'evidence file'} ${p}`,
    evidenceDir,
  );
  checks.push(
    evidenceChanges.length
      ? differs(
          'evidence',
          `the evidence in ${evidenceDir} differs from the recorded evidence`,
          evidenceChanges,
        )
      : ok(
          'evidence',
          `${current.length} evidence file(s) in ${evidenceDir} match the recorded digests (evidence digest ${provenance.evidence.digest})`,
        ),
  );

  let evaluation: Evaluation | undefined;
  let checklist: string | undefined;
  if (packChanges.length) {
    checks.push(skipped('re-evaluation', 'not run: the policy pack is not the recorded one'));
  } else {
    const pack = await loadPack(options.packDir);
    evaluation = await evaluateEnvironment({
      env,
      evidenceDir,
      asOf,
      pack,
      limits,
      artifactLimits,
      ...(options.repoRoot ? { repoRoot: options.repoRoot } : {}),
    });
    checklist = renderChecklist(evaluation);
    const moved = reEvaluationDifferences(report, evaluation, {
      evidenceChanged: evidenceChanges.length > 0,
      toolChanged: toolDifferences.length > 0,
    });
    checks.push(
      moved.length
        ? differs('re-evaluation', `re-evaluating at ${asOf} does not reproduce the report`, moved)
        : ok(
            're-evaluation',
            `re-evaluating at ${asOf} reproduces the report: ${report.verdict}, ${report.gates.length} gate(s) identical`,
          ),
    );
  }

  const checklistPath =
    options.checklistPath ?? join(dirname(options.reportPath), markdownFormat.fileName(env));
  const checklistFile =
    options.checklistPath !== undefined
      ? await readBytes(checklistPath, 'checklist')
      : await readIfPresent(checklistPath);
  checks.push(checklistCheck(checklistPath, checklistFile, checklist));

  if (publicKey && envelopeText !== undefined) {
    const opened =
      envelopeText === null
        ? { ok: false as const, problems: ['the envelope is not valid UTF-8'] }
        : openAttestation(envelopeText, publicKey);
    const envelopeName = basename(envelopePath);
    if (!opened.ok) {
      checks.push(
        differs(
          'signature',
          `envelope ${envelopeName} does not verify`,
          opened.problems.map((p) => `envelope ${envelopeName}: ${p}`),
        ),
      );
    } else {
      const checklistName = markdownFormat.fileName(env);
      const problems = statementDifferences(opened.statement, report, current, {
        name: checklistName,
        file: checklistFile,
        rendered: checklist,
      }).map((p) => `envelope ${envelopeName}: ${p}`);
      checks.push(
        problems.length
          ? differs(
              'signature',
              `envelope ${envelopeName} is signed by ${opened.keyid} but does not match`,
              problems,
            )
          : ok(
              'signature',
              `envelope ${envelopeName}: signed by ${opened.keyid}; the predicate is this report; ${opened.statement.subject.length} subject digest(s) match`,
            ),
      );
    }
  }

  if (options.engine === 'opa') {
    if (!evaluation)
      checks.push(skipped('engine', 'opa eval not run: the policy pack is not the recorded one'));
    else {
      const comparison = await crossCheckWithOpa(evaluation);
      checks.push(
        comparison.agree
          ? ok(
              'engine',
              `opa eval on the Rego sources agrees with policy.wasm on ${comparison.gates} gate(s)`,
            )
          : differs(
              'engine',
              'opa eval disagrees with policy.wasm',
              comparison.differences.map((d) => `opa eval: ${d}`),
            ),
      );
    }
  }
  return result(options, report, order(checks));
}

const PART_ORDER: VerifyPart[] = [
  'report',
  'signature',
  'tool',
  'pack',
  'evidence',
  're-evaluation',
  'checklist',
  'engine',
];

function order(checks: VerifyCheck[]): VerifyCheck[] {
  return [...checks].sort((a, b) => PART_ORDER.indexOf(a.part) - PART_ORDER.indexOf(b.part));
}

function result(
  options: VerifyOptions,
  report: VerifiableReport | undefined,
  checks: VerifyCheck[],
): VerifyResult {
  return {
    report: options.reportPath,
    ...(report ? { environment: report.environment, asOf: report.asOf } : {}),
    verified: checks.every((c) => c.state !== 'differs'),
    checks,
  };
}

/** A report, envelope or checklist: a regular file, read within MAX_READ_BYTES (a FIFO or /dev/zero is refused, not read). */
async function readBytes(path: string, what: string): Promise<Buffer> {
  return readRegularFile(path, what);
}

/** A file's text; bytes that are not UTF-8 come back as undefined (a report or envelope never has them). */
async function readText(path: string, what: string): Promise<string | undefined> {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(await readBytes(path, what));
  } catch (thrown) {
    if (thrown instanceof CannotEvaluateError) throw thrown;
    return undefined;
  }
}

async function readIfPresent(path: string): Promise<Buffer | undefined> {
  // Present means anything at that name: a FIFO or a folder there is refused, not skipped.
  const info = await lstat(path).catch(() => undefined);
  return info ? readBytes(path, 'checklist') : undefined;
}
