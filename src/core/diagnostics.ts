import { escapeTerminal } from './text/escape.js';

/** A place in a source file: 1-based line and column. */
export interface SourcePosition {
  line: number;
  column: number;
}

/**
 * Escapes control and invisible characters (`\n`, `\u0000`, `\u200b`) so that text
 * stays on one line: the terminal escape of src/core/text/escape.ts.
 */
export function oneLine(text: string): string {
  return escapeTerminal(text);
}
