import type { Limits } from '../core/limits.js';
import type { ArtifactLimits } from '../collect/limits.js';
import type { LoadedPack } from '../pack/pack.js';

/** What one evaluation of one environment takes. */
export interface EvaluateOptions {
  env: string;
  /** The evidence folder. */
  evidenceDir: string;
  /** The as-of date, YYYY-MM-DD: every time-relative rule is judged at this date. */
  asOf: string;
  /** Root of the policy pack; the shipped pack when absent. */
  packDir?: string;
  /** The pack, when the caller has loaded it already. */
  pack?: LoadedPack;
  /** Where repository-relative links resolve; the current directory when absent. */
  repoRoot?: string;
  /** Bounds on the evidence read; each absent field takes its default (DEFAULT_LIMITS). */
  limits?: Partial<Limits>;
  /** Bounds on each artifact read; each absent field takes its default (DEFAULT_ARTIFACT_LIMITS). */
  artifactLimits?: Partial<ArtifactLimits>;
}
