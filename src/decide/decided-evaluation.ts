import type { EvidenceFinding } from '../core/finding.js';
import type { Limits } from '../core/limits.js';
import type { BundleArtifact } from '../collect/collect-bundle.js';
import type { ArtifactLimits } from '../collect/limits.js';
import type { PolicyInput } from '../evaluate/policy-input.js';
import type { EvidenceFile } from '../load/evidence-file.js';
import type { LoadedPack } from '../pack/pack.js';
import type { Decision } from './verdict.js';

/**
 * What the pipeline decided for one environment, and everything the decision rests
 * on: the output of the decide stage. provenance/evaluation.ts digests it once, before
 * anything is rendered.
 */
export interface DecidedEvaluation {
  env: string;
  asOf: string;
  pack: LoadedPack;
  files: EvidenceFile[];
  /** The artifacts the evidence names, as read (path relative to the evidence folder, sha256, format). */
  artifacts: BundleArtifact[];
  /** Every diagnostic: the folder's and each file's, in file order. */
  diagnostics: EvidenceFinding[];
  /** Valid evidence data by kind (for filling the checklist's placeholders). */
  data: Map<string, unknown>;
  input: PolicyInput;
  decision: Decision;
  /** The bounds the evidence was read within (recorded in provenance; verify applies them). */
  limits: Limits;
  /** The bounds the artifacts were read within (recorded in provenance; verify applies them). */
  artifactLimits: ArtifactLimits;
}
