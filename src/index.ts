// prodgate's library API: load evidence -> validate -> evaluate -> decide -> render.
// The library never prints and never exits; src/cli/ does that.
export {
  evaluateEnvironment,
  validateBundle,
  type EvaluateOptions,
  type Evaluation,
} from './engine.js';
export { checkAsOf, todayUtc } from './core/dates.js';
export { CannotEvaluateError } from './core/errors.js';
export {
  errorCount,
  formatFinding,
  type EvidenceFinding,
  type Finding,
  type Severity,
} from './core/finding.js';
export type { Result } from './core/result.js';
export type {
  Decision,
  GateVerdict,
  GateStatus,
  Reason,
  EvidenceRef,
  Verdict,
} from './decide/verdict.js';
export { loadPack, packPaths, DEFAULT_PACK_ROOT, type LoadedPack } from './pack/pack.js';
export type { GateMeta, BundleManifest } from './pack/catalog.js';
export { buildPack, type BuildSummary } from './pack/build.js';

export { buildReport, type Report } from './render/report.js';
export { renderChecklist } from './render/checklist.js';
export { writeFileAtomic } from './core/io/atomic-write.js';
export {
  applyWaivers,
  waiversFrom,
  type WaiverEntry,
} from './decide/waivers.js';
export {
  FORMATS,
  formatNamed,
  REPORTS_FORMATS,
  WRITTEN_FORMATS,
  type OutputFormat,
  renderGithub,
  renderHtml,
  renderJunit,
  renderSarif,
} from './render/formats/index.js';
export { appendStepSummary } from './core/io/step-summary.js';
export { DEFAULT_LIMITS, type Limits } from './core/limits.js';
export { redactSecrets } from './core/text/redact.js';
export { writeOutputSet } from './core/io/output-set.js';
export { buildProvenance, type Provenance } from './provenance/provenance.js';
export { canonicalJson } from './core/canonical-json.js';
export { signEvaluation } from './attest/attestation.js';
export { diffReports } from './verify/diff.js';
