// The pipeline's entry points (src/pipeline/), under the name callers have used since
// the start: one environment evaluated, a bundle validated, limits resolved.
export { evaluateEnvironment } from './pipeline/evaluate-environment.js';
export { resolveLimits } from './pipeline/limits.js';
export { releaseBinding } from './pipeline/release-binding.js';
export type { EvaluateOptions } from './pipeline/options.js';
export { validateBundle } from './pipeline/validate-bundle.js';
export type { Evaluation } from './provenance/evaluation.js';
