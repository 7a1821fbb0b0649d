import type { SourcePosition } from '../core/diagnostics.js';
import type { EvidenceFinding } from '../core/finding.js';

/** One evidence file of a bundle, as loaded: bytes, parsed data, positions, findings. */
export interface EvidenceFile {
  /** Path relative to the bundle folder, with '/' separators. */
  path: string;
  format: 'json' | 'yaml';
  /** sha256 of the file, CRLF read as LF (textSha256 in provenance/digest.ts). */
  sha256: string;
  /** The parsed document, when it parsed. */
  data?: unknown;
  /** The `kind` the file declares, when it declares one. */
  kind?: string;
  schemaVersion?: unknown;
  positions: Map<string, SourcePosition>;
  diagnostics: EvidenceFinding[];
}

/** Where a pointer is in a file: the value itself, or its nearest located ancestor. */
export function positionOf(file: Pick<EvidenceFile, 'positions'>, pointer: string): SourcePosition {
  let current = pointer;
  for (;;) {
    const found = file.positions.get(current);
    if (found) return found;
    if (current === '') return { line: 1, column: 1 };
    current = current.slice(0, current.lastIndexOf('/'));
  }
}

export function hasErrors(file: EvidenceFile): boolean {
  return file.diagnostics.some((d) => d.severity === 'error');
}
