import type { SourcePosition } from '../core/diagnostics.js';
import type { EvidenceFindingCode } from '../core/finding.js';
import { DEFAULT_LIMITS, type Limits } from '../core/limits.js';

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
    readonly code: EvidenceFindingCode = 'parse-error',
  ) {
    super(message);
  }
}

/** The limits a parser applies to one document (see src/limits/limits.ts). */
export type ParseLimits = Pick<Limits, 'maxDepth' | 'maxNodes' | 'maxAliases' | 'maxStringLength'>;

export const DEFAULT_PARSE_LIMITS: ParseLimits = {
  maxDepth: DEFAULT_LIMITS.maxDepth,
  maxNodes: DEFAULT_LIMITS.maxNodes,
  maxAliases: DEFAULT_LIMITS.maxAliases,
  maxStringLength: DEFAULT_LIMITS.maxStringLength,
};

/** Sets a property without ever invoking the `__proto__` setter. */
export function defineMember(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, {
    value,
    enumerable: true,
    writable: true,
    configurable: true,
  });
}
