import type { EvidenceFinding } from '../core/finding.js';
import type { EvidenceState } from '../decide/decide.js';
import type { EvidenceRef } from '../decide/verdict.js';
import { positionOf, type EvidenceFile } from '../load/evidence-file.js';
import type { KindEvidence } from '../validate/validate-evidence.js';

/**
 * What decide/ needs to know of the evidence: how many errors, which kinds are invalid
 * or missing among those the gates read, and how to locate a reference (line, column).
 */
export function evidenceState(
  files: EvidenceFile[],
  kinds: Map<string, KindEvidence>,
  diagnostics: EvidenceFinding[],
  readKinds: string[],
): EvidenceState {
  const byPath = new Map(files.map((f) => [f.path, f]));
  return {
    errorCount: diagnostics.filter((d) => d.severity === 'error').length,
    invalidKinds: new Set([...kinds.values()].filter((k) => !k.valid).map((k) => k.kind)),
    missingKinds: new Set(readKinds.filter((kind) => !kinds.has(kind))),
    locate(ref: EvidenceRef): EvidenceRef {
      const file = byPath.get(ref.file);
      if (!file) return ref;
      const { line, column } = positionOf(file, ref.pointer);
      return { ...ref, line, column };
    },
  };
}
