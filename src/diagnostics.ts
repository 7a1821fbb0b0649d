import { escapeTerminal } from './text/escape.js';

/** A place in a source file: 1-based line and column. */
export interface SourcePosition {
  line: number;
  column: number;
}

/**
 * Escapes control and invisible characters (`\n`, `\u0000`, `\u200b`) so that text
 * stays on one line: the terminal escape of src/text/escape.ts.
 */
export function oneLine(text: string): string {
  return escapeTerminal(text);
}

/** Escapes one JSON pointer reference token (RFC 6901). */
export function pointerToken(key: string | number): string {
  return String(key).replace(/~/g, '~0').replace(/\//g, '~1');
}

export function joinPointer(parent: string, key: string | number): string {
  return `${parent}/${pointerToken(key)}`;
}
