import type { WaiverFindingCode } from './decide/waivers.js';
/** A place in a source file: 1-based line and column. */
export interface SourcePosition {
  line: number;
  column: number;
}

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

// C0 and C1 controls, DEL, zero-width and bidirectional controls ("Trojan Source"),
// the line and paragraph separators and the byte order mark.
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u2028-\u202e\u2066-\u2069\ufeff]/g;
const NAMED: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/** Escapes control characters (`\n`, `\u0000`) so that text stays on one line. */
export function oneLine(text: string): string {
  return text.replace(CONTROL, (c) => NAMED[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** Escapes one JSON pointer reference token (RFC 6901). */
export function pointerToken(key: string | number): string {
  return String(key).replace(/~/g, '~0').replace(/\//g, '~1');
}

export function joinPointer(parent: string, key: string | number): string {
  return `${parent}/${pointerToken(key)}`;
}
