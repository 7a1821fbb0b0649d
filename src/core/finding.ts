import { escapeTerminal } from './text/escape.js';

/**
 * The one finding type of prodgate: every stage that reports a problem (load, validate,
 * collect, waivers, pack checks, lint, verify) reports it as a Finding, located by file,
 * line, column and JSON pointer, like OPA's `ast.Error` and a SARIF result.
 */

/** `error` blocks (invalid evidence, a lint error, a verify difference); `warning` does not. */
export type Severity = 'error' | 'warning';

/**
 * One located, coded finding.
 * - `file`: relative to the folder the producer read (evidence folder, pack root, the report
 *   for verify); '' when the finding is about the folder itself.
 * - `line`, `column`: 1-based; 0 when the producer has no position (a lint finding from a tool
 *   that names only a file).
 * - `pointer`: RFC 6901 JSON pointer into the file's data ('' is the whole document).
 * - `gate`: the gate the finding is about, when there is one (a waiver names one).
 * `Code` narrows `code` to the producer's stable codes (docs list them).
 */
export interface Finding<Code extends string = string> {
  severity: Severity;
  code: Code;
  message: string;
  file: string;
  line: number;
  column: number;
  pointer: string;
  gate?: string;
}

/** The codes of waiver findings (all warnings: a void waiver has no effect; docs/waivers.md). */
export const WAIVER_FINDING_CODES = [
  'waiver-unknown-gate',
  'waiver-bad-expiry',
  'waiver-expired',
  'waiver-window-exceeded',
  'waiver-missing-approver',
  'waiver-missing-justification',
  'waiver-bad-ticket',
  'waiver-owner-unknown',
  'waiver-self-approved',
  'waiver-non-waivable',
  'waiver-reason-not-waivable',
  'waiver-duplicate',
  'waiver-unused',
] as const;
export type WaiverFindingCode = (typeof WAIVER_FINDING_CODES)[number];

/** The codes of findings about evidence files and the artifacts they name. */
export type EvidenceFindingCode =
  | 'unreadable'
  | 'parse-error'
  | 'duplicate-key'
  | 'limit-exceeded'
  | 'inexact-number'
  | 'not-unicode'
  | 'invalid-file-name'
  | 'unsafe-path'
  | 'not-an-object'
  | 'unknown-kind'
  | 'unknown-schema-version'
  | 'duplicate-kind'
  | 'schema-violation'
  | 'ignored-file'
  // Artifacts (src/collect/): docs/artifacts.md.
  | 'refused-markup'
  | 'unknown-format'
  | 'counter-mismatch'
  | 'revision-conflict'
  | 'unknown-artifact'
  // Configuration files (src/collect/yaml-config.ts, formats/): docs/artifacts.md.
  | 'unrendered-template'
  | 'empty-config'
  | 'unknown-api-version'
  | 'unresolved-reference'
  | WaiverFindingCode;

/** A finding about evidence: what `validate` prints and the report's `diagnostics` hold. */
export type EvidenceFinding = Finding<EvidenceFindingCode>;

/** A finding with a file and nothing more precise: line and column 0, no pointer. */
export function fileFinding<Code extends string>(
  severity: Severity,
  code: Code,
  message: string,
  file = '',
  line = 0,
): Finding<Code> {
  return { severity, code, message, file, line, column: 0, pointer: '' };
}

/**
 * `file:line:col: severity: message (at /pointer) [code]`: the one-line form editors and
 * CI logs understand. File names, keys and messages come from evidence, so control
 * characters (a newline in a key or a file name) are escaped to keep it one line.
 * `dir` is the folder `file` is relative to.
 */
export function formatFinding(f: Finding, dir = ''): string {
  // A finding about the folder itself has no file: it is named by the folder.
  const folder = dir.replace(/\/+$/, '');
  const file = folder && f.file ? `${folder}/${f.file}` : folder || f.file || '.';
  const at = f.pointer ? ` (at ${escapeTerminal(f.pointer)})` : '';
  return `${escapeTerminal(file)}:${f.line}:${f.column}: ${f.severity}: ${escapeTerminal(f.message)}${at} [${f.code}]`;
}

/** How many findings are errors. */
export function errorCount(findings: readonly Finding[]): number {
  return findings.filter((f) => f.severity === 'error').length;
}

/** What a producer without a full position knows: severity, code, message, maybe a file and line. */
export type FindingDraft<Code extends string = string> = Pick<
  Finding<Code>,
  'severity' | 'code' | 'message'
> &
  Partial<Omit<Finding<Code>, 'severity' | 'code' | 'message'>>;

/** A Finding from a draft: no file is '', no position is line and column 0, no pointer is ''. */
export function finding<Code extends string>(draft: FindingDraft<Code>): Finding<Code> {
  return { file: '', line: 0, column: 0, pointer: '', ...draft };
}
