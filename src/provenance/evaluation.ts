import { bundleDigest } from '../core/digest.js';
import type { DecidedEvaluation } from '../decide/decided-evaluation.js';
import { buildProvenance, type Provenance } from './provenance.js';

/**
 * Everything one evaluation produced, digested: what the renderers, verify and the CLI
 * take. The digests are computed here, once per evaluation, so that render/ reads no
 * file and hashes nothing.
 */
export interface Evaluation extends DecidedEvaluation {
  /** Where the verdict came from, without the CI context (the report adds it: render/report.ts). */
  provenance: Provenance;
  /** bundleDigest over the evidence files alone (not the artifacts): the checklist header's digest. */
  evidenceFilesDigest: string;
}

/**
 * Digests a decided evaluation: the pack's files (read once per loaded pack,
 * pack-digests-once.ts) and the evidence.
 * @throws CannotEvaluateError when a pack file cannot be read (pack-digests.ts).
 */
export function digestEvaluation(decided: DecidedEvaluation): Evaluation {
  return {
    ...decided,
    provenance: buildProvenance(decided, {}),
    evidenceFilesDigest: bundleDigest(decided.files),
  };
}
