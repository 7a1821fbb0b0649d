import type { KeyObject } from 'node:crypto';
import { jsonFormat } from '../render/formats/json.js';
import { markdownFormat } from '../render/formats/markdown.js';
import { canonicalJson } from '../core/canonical-json.js';
import { sha256 } from '../core/digest.js';
import {
  caseFoldedKeyClash,
  ENVELOPE_PARSE_LIMITS,
  privateKeyFromPem,
  readDsse,
  renderDsse,
  signDsse,
} from './dsse.js';
import { parseJson } from '../load/json-source.js';
import type { Report } from '../render/report.js';

/** DSSE payload type of an in-toto Statement. */
export const IN_TOTO_PAYLOAD_TYPE = 'application/vnd.in-toto+json';
/** in-toto Statement v1. */
export const STATEMENT_TYPE = 'https://in-toto.io/Statement/v1';
/** The predicate is a prodgate verdict report (schemas/report.v1.schema.json), documented in docs/audit.md. */
export const VERDICT_PREDICATE_TYPE = 'https://prodgate.dev/verdict/v1';
/** Subject names of evidence files: this prefix and the path relative to the evidence folder. */
export const EVIDENCE_SUBJECT_PREFIX = 'evidence/';

/** The file evaluate writes the envelope to, beside the report and the checklist. */
export function attestationFileName(env: string): string {
  return `P4_PROD_READINESS_ATTESTATION_${env}.dsse.json`;
}

export interface Subject {
  name: string;
  /** in-toto DigestSet: sha256, and gitBlob for a file read with git at the released revision. */
  digest: { sha256: string; gitBlob?: string };
}

export interface VerdictStatement {
  _type: typeof STATEMENT_TYPE;
  subject: Subject[];
  predicateType: typeof VERDICT_PREDICATE_TYPE;
  predicate: Report;
}

/** A rendered output the statement covers: its file name and its bytes. */
export interface RenderedFile {
  name: string;
  content: string | Buffer;
}

/**
 * The statement: the evidence files and the rendered checklist as subjects, the
 * report as predicate. An evidence file that could not be read has no digest and is
 * no subject; the report (the predicate) still records it.
 */
export function buildStatement(report: Report, checklist: RenderedFile): VerdictStatement {
  const subject: Subject[] = report.provenance.evidence.files
    .filter((f) => f.sha256 !== '')
    .map((f) => ({
      name: `${EVIDENCE_SUBJECT_PREFIX}${f.path}`,
      digest: { sha256: f.sha256, ...(f.gitBlob ? { gitBlob: f.gitBlob } : {}) },
    }));
  subject.push({ name: checklist.name, digest: { sha256: sha256(checklist.content) } });
  return {
    _type: STATEMENT_TYPE,
    subject,
    predicateType: VERDICT_PREDICATE_TYPE,
    predicate: report,
  };
}

export interface SignOptions {
  /** The report exactly as written to the report file. */
  report: Report;
  /** The checklist exactly as written: its file name and content. */
  checklist: RenderedFile;
  /** An ed25519 private key in PEM (PKCS#8, as `openssl genpkey -algorithm ed25519` writes). */
  privateKeyPem: string | Buffer;
}

/**
 * The signed attestation of one evaluation: a DSSE envelope (canonical JSON, one
 * newline) whose payload is the canonical JSON of an in-toto Statement v1. Pure and
 * deterministic (ed25519 signatures are): the same report, checklist and key give
 * the same bytes. Throws CannotEvaluateError for a key that is not ed25519.
 */
export function signEvaluation(options: SignOptions): string {
  const key = privateKeyFromPem(options.privateKeyPem);
  const statement = buildStatement(options.report, options.checklist);
  return renderDsse(
    signDsse(IN_TOTO_PAYLOAD_TYPE, Buffer.from(canonicalJson(statement), 'utf8'), key),
  );
}

/**
 * The attestation among an evaluation's outputs, signed over the report and the
 * checklist exactly as they are about to be written (`outputs` holds them by their
 * file names), so that the predicate is byte for byte the report file's value.
 * For `evaluate --sign-key`: outputs.push(attestationOutput(env, outputs, pem)).
 */
export function attestationOutput(
  env: string,
  outputs: { name: string; content: string }[],
  privateKeyPem: string | Buffer,
): { name: string; content: string } {
  const find = (name: string): string => {
    const output = outputs.find((o) => o.name === name);
    if (!output) throw new Error(`attestationOutput: no ${name} among the outputs`);
    return output.content;
  };
  const report = JSON.parse(find(jsonFormat.fileName(env))) as Report;
  if (!report.provenance) throw new Error('attestationOutput: the report has no provenance');
  const checklist = {
    name: markdownFormat.fileName(env),
    content: find(markdownFormat.fileName(env)),
  };
  return {
    name: attestationFileName(env),
    content: signEvaluation({ report, checklist, privateKeyPem }),
  };
}

/** The in-toto Statement v1 fields and its subjects' (ResourceDescriptor) that prodgate reads. */
const STATEMENT_FIELDS = ['_type', 'subject', 'predicateType', 'predicate', 'name', 'digest'];

export type AttestationOutcome =
  | { ok: true; statement: VerdictStatement; keyid: string }
  | { ok: false; problems: string[] };

/**
 * Opens an envelope with a public key: the signature first (nothing unsigned is
 * read), then the payload type, the statement type, the predicate type and the
 * statement's shape. What the statement says is compared by the caller.
 */
export function openAttestation(envelopeText: string, publicKey: KeyObject): AttestationOutcome {
  const dsse = readDsse(envelopeText, publicKey);
  if (!dsse.ok) return dsse;
  if (dsse.payloadType !== IN_TOTO_PAYLOAD_TYPE)
    return {
      ok: false,
      problems: [`the envelope's payloadType is ${dsse.payloadType}, not ${IN_TOTO_PAYLOAD_TYPE}`],
    };
  let statement: unknown;
  try {
    // Strict: a duplicate key would let two readers of the same signed bytes see two statements.
    statement = parseJson(
      new TextDecoder('utf-8', { fatal: true }).decode(dsse.payload),
      ENVELOPE_PARSE_LIMITS,
    ).value;
  } catch (thrown) {
    return {
      ok: false,
      problems: [
        `the signed payload is not a JSON document (${thrown instanceof Error ? thrown.message : 'not UTF-8'})`,
      ],
    };
  }
  // Go readers match struct fields case-insensitively (the statement's own keys and each
  // subject's; the predicate and digest maps are keyed by data): it must read the same to them.
  const subjects = (statement as { subject?: unknown } | null)?.subject;
  const clash = [statement, ...(Array.isArray(subjects) ? subjects : [])]
    .map((x) => caseFoldedKeyClash(x, STATEMENT_FIELDS, 1))
    .find((c) => c !== undefined);
  if (clash) return { ok: false, problems: [`the signed statement is ambiguous: ${clash}`] };
  const s = statement as Partial<VerdictStatement> | null;
  if (!s || typeof s !== 'object')
    return { ok: false, problems: ['the signed payload is not an in-toto statement'] };
  if (s._type !== STATEMENT_TYPE)
    return {
      ok: false,
      problems: [`the statement's _type is ${String(s._type)}, not ${STATEMENT_TYPE}`],
    };
  if (s.predicateType !== VERDICT_PREDICATE_TYPE)
    return {
      ok: false,
      problems: [`the predicateType is ${String(s.predicateType)}, not ${VERDICT_PREDICATE_TYPE}`],
    };
  const subjectsOk =
    Array.isArray(s.subject) &&
    s.subject.every((x: unknown) => {
      const sub = x as Partial<Subject> | null;
      return (
        !!sub &&
        typeof sub.name === 'string' &&
        !!sub.digest &&
        typeof sub.digest.sha256 === 'string'
      );
    });
  if (!subjectsOk) return { ok: false, problems: ['the statement subjects are malformed'] };
  if (!s.predicate || typeof s.predicate !== 'object')
    return { ok: false, problems: ['the statement has no predicate'] };
  return { ok: true, statement: s as VerdictStatement, keyid: dsse.keyid };
}
