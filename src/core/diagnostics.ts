import { escapeTerminal } from './text/escape.js';

/** A place in a source file: 1-based line and column. */
export interface SourcePosition {
  line: number;
  column: number;
}

/** The codes of a problem with one waiver (src/decide/waivers.ts). */
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

export type DiagnosticCode =
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
  | WaiverFindingCode;

/** One finding about an evidence file, located by line, column and JSON pointer. */
export interface Diagnostic {
  severity: 'error' | 'warning';
  code: DiagnosticCode;
  /** Path of the file relative to the evidence bundle. */
  file: string;
  line: number;
  column: number;
  /** RFC 6901 JSON pointer into the file's data ('' is the whole document). */
  pointer: string;
  message: string;
}

/**
 * `file:line:col: message (at /pointer)`: the one-line form editors and CI logs
 * understand. File names, keys and messages come from evidence, so control
 * characters (a newline in a key or a file name) are escaped to keep it one line.
 */
export function formatDiagnostic(d: Diagnostic, dir = ''): string {
  // A finding about the folder itself has no file: it is named by the folder.
  const folder = dir.replace(/\/+$/, '');
  const file = folder && d.file ? `${folder}/${d.file}` : folder || d.file || '.';
  const at = d.pointer ? ` (at ${oneLine(d.pointer)})` : '';
  return `${oneLine(file)}:${d.line}:${d.column}: ${d.severity}: ${oneLine(d.message)}${at} [${d.code}]`;
}

/**
 * Escapes control and invisible characters (`\n`, `\u0000`, `\u200b`) so that text
 * stays on one line: the terminal escape of src/core/text/escape.ts.
 */
export function oneLine(text: string): string {
  return escapeTerminal(text);
}
