import type { DiagnosticCode, SourcePosition } from '../diagnostics.js';

/** A parsed evidence document and where each of its values starts in the source. */
export interface ParsedDocument {
  value: unknown;
  /** JSON pointer -> position of the value (for object members: of the key). */
  positions: Map<string, SourcePosition>;
}

/** A document that could not be parsed, with the place it went wrong. */
export class SourceError extends Error {
  constructor(
    message: string,
    readonly position: SourcePosition,
    readonly pointer = '',
    readonly code: DiagnosticCode = 'parse-error',
  ) {
    super(message);
  }
}

/** Limits that keep hostile documents from exhausting time or memory. */
export interface ParseLimits {
  maxDepth: number;
  /** Values after alias expansion; bounds YAML alias bombs. */
  maxNodes: number;
}

export const DEFAULT_PARSE_LIMITS: ParseLimits = { maxDepth: 64, maxNodes: 100_000 };

/** Sets a property without ever invoking the `__proto__` setter. */
export function defineMember(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}
