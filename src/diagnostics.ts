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
  | 'not-an-object'
  | 'unknown-kind'
  | 'unknown-schema-version'
  | 'duplicate-kind'
  | 'schema-violation'
  | 'ignored-file';

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

/** `file:line:col: message (at /pointer)`: the one-line form editors and CI logs understand. */
export function formatDiagnostic(d: Diagnostic, dir = ''): string {
  const file = dir ? `${dir.replace(/\/+$/, '')}/${d.file}` : d.file;
  const at = d.pointer ? ` (at ${d.pointer})` : '';
  return `${file}:${d.line}:${d.column}: ${d.severity}: ${d.message}${at} [${d.code}]`;
}

/** Escapes one JSON pointer reference token (RFC 6901). */
export function pointerToken(key: string | number): string {
  return String(key).replace(/~/g, '~0').replace(/\//g, '~1');
}

export function joinPointer(parent: string, key: string | number): string {
  return `${parent}/${pointerToken(key)}`;
}
