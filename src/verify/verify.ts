import { basename, dirname, join } from 'node:path';
import { attestationFileName } from '../attest/attestation.js';
import { publicKeyFromPem } from '../attest/dsse.js';
import { CannotEvaluateError } from '../core/errors.js';
import type { Result } from '../core/result.js';
import { resolveLimits } from '../engine.js';
import { markdownFormat } from '../render/formats/markdown.js';
import { readBytes, readIfPresent, readText } from './read-files.js';
import { parseVerifiableReport, type VerifiableReport } from './report-file.js';
import {
  checklistCheck,
  differs,
  skipped,
  type VerifyCheck,
  type VerifyPart,
  type VerifyStep,
} from './verify-checks.js';
import {
  engineCheck,
  evidenceCheck,
  packCheck,
  reEvaluationCheck,
  reportCheck,
  signatureCheck,
  toolCheck,
} from './verify-steps.js';

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

export type { VerifyPart, VerifyStep } from './verify-checks.js';

/**
 * `ok` (and `verified`, its name in docs/audit.md) is true when no step differs; each
 * difference is one error finding coded with its step's part.
 */
export interface VerifyResult extends Result<VerifyPart> {
  report: string;
  environment?: string;
  asOf?: string;
  verified: boolean;
  /** The steps run, in PART_ORDER. */
  checks: VerifyStep[];
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
  const env = report.environment;
  const checks: VerifyCheck[] = [reportCheck(report, name, parsed.canonical, !!publicKey)];
  const envelopePath =
    options.envelopePath ?? join(dirname(options.reportPath), attestationFileName(env));
  const envelopeText = publicKey ? ((await readText(envelopePath, 'envelope')) ?? null) : undefined;

  const tool = toolCheck(report);
  const pack = packCheck(report, options.packDir);
  const evidenceDir = options.evidenceDir ?? join('evidence', env);
  // The evidence is read within the bounds it was read within when the report was made.
  const limits = resolveLimits(report.provenance.limits ?? {});
  const evidence = await evidenceCheck(report, evidenceDir, limits, options.packDir);
  checks.push(tool.check, pack.check, evidence.check);

  const reEvaluation = pack.changed
    ? undefined
    : await reEvaluationCheck(
        report,
        { ...options, evidenceDir, limits, artifactLimits: evidence.artifactLimits },
        { evidence: evidence.changed, tool: tool.changed },
      );
  checks.push(
    reEvaluation?.check ??
      skipped('re-evaluation', 'not run: the policy pack is not the recorded one'),
  );

  const checklistName = markdownFormat.fileName(env);
  const checklistPath = options.checklistPath ?? join(dirname(options.reportPath), checklistName);
  const checklistFile =
    options.checklistPath !== undefined
      ? await readBytes(checklistPath, 'checklist')
      : await readIfPresent(checklistPath);
  checks.push(checklistCheck(checklistPath, checklistFile, reEvaluation?.checklist));

  if (publicKey && envelopeText !== undefined)
    checks.push(
      signatureCheck(
        { name: basename(envelopePath), text: envelopeText },
        publicKey,
        report,
        evidence.current,
        { name: checklistName, file: checklistFile, rendered: reEvaluation?.checklist },
      ),
    );
  if (options.engine === 'opa') checks.push(await engineCheck(reEvaluation?.evaluation));
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
  const rank = (c: VerifyCheck): number => PART_ORDER.indexOf(c.step.part);
  return [...checks].sort((a, b) => rank(a) - rank(b));
}

function result(
  options: VerifyOptions,
  report: VerifiableReport | undefined,
  checks: VerifyCheck[],
): VerifyResult {
  const verified = checks.every((c) => c.step.state !== 'differs');
  return {
    report: options.reportPath,
    ...(report ? { environment: report.environment, asOf: report.asOf } : {}),
    ok: verified,
    findings: checks.flatMap((c) => c.findings),
    verified,
    checks: checks.map((c) => c.step),
  };
}
