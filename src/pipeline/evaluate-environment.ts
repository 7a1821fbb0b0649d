import { resolve } from 'node:path';
import { resolveArtifactLimits } from '../collect/limits.js';
import { checkAsOf } from '../core/dates.js';
import { CannotEvaluateError } from '../core/errors.js';
import { loadPack } from '../pack/pack.js';
import { kindFor } from '../pack/pack-options.js';
import { digestEvaluation, type Evaluation } from '../provenance/evaluation.js';
import { decideGates } from './decide-gates.js';
import { resolveLimits } from './limits.js';
import type { EvaluateOptions } from './options.js';
import { policyOf, validatorsOf } from './pack-caches.js';
import { policyInputOf } from './policy-input-of.js';
import { collectStage, loadAndValidate } from './read-evidence.js';

/**
 * The whole pipeline for one environment: load -> validate -> collect -> evaluate ->
 * decide -> provenance (digested once, before anything renders).
 * @throws CannotEvaluateError when it cannot evaluate at all (a bad option, an unknown
 * environment, an unusable pack, a policy input OPA cannot read); everything wrong inside
 * the evidence is a diagnostic and a NO-GO instead.
 */
export async function evaluateEnvironment(options: EvaluateOptions): Promise<Evaluation> {
  checkAsOf(options.asOf);
  const pack = options.pack ?? (await loadPack(options.packDir));
  if (!pack.manifest.environments.includes(options.env)) {
    throw new CannotEvaluateError(
      `unknown environment "${options.env}"; the pack knows: ${pack.manifest.environments.join(', ')}`,
    );
  }
  const limits = resolveLimits(options.limits);
  const policy = policyOf(pack, limits.maxWasmMemory);
  const registry = await validatorsOf(pack);
  const loaded = await loadAndValidate({ ...options, limits }, registry);
  const { files, kinds } = loaded;
  const artifactLimits = resolveArtifactLimits(options.artifactLimits);
  const { collected, validKinds, diagnostics } = await collectStage(
    { ...options, artifactLimits },
    loaded,
    kindFor(pack.manifest, 'releaseOwner'),
  );
  const context = { env: options.env, asOf: options.asOf, pack };
  const repoRoot = resolve(options.repoRoot ?? '.');
  const input = await policyInputOf({ ...context, repoRoot }, files, kinds, collected);
  const outcome = policy.evaluate(input);
  const decision = decideGates(context, outcome, {
    files,
    kinds,
    validKinds,
    collected,
    diagnostics,
  });
  const data = new Map(
    [...kinds.values()].filter((k) => k.valid).map((k) => [k.kind, k.file.data]),
  );
  return digestEvaluation({
    ...context,
    files,
    artifacts: collected.artifacts,
    diagnostics,
    data,
    input,
    decision,
    limits,
    artifactLimits,
  });
}
