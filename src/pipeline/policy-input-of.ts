import { CannotEvaluateError } from '../core/errors.js';
import { loneSurrogatePointer } from '../load/unicode.js';
import { evidenceDigestInput } from '../core/digest.js';
import type { CollectedBundle } from '../collect/collect-bundle.js';
import { buildPolicyInput, type PolicyInput } from '../evaluate/policy-input.js';
import type { EvidenceFile } from '../load/evidence-file.js';
import type { LoadedPack } from '../pack/pack.js';
import { signoffSeparation } from '../pack/pack-options.js';
import type { KindEvidence } from '../validate/validate-evidence.js';

/**
 * The policy input of one environment: the evidence by kind, its digests, the artifacts
 * and the recorded facts.
 * @throws CannotEvaluateError when a string in it is not Unicode text (OPA cannot read it).
 */
export async function policyInputOf(
  options: { env: string; asOf: string; repoRoot: string; pack: LoadedPack },
  files: EvidenceFile[],
  kinds: Map<string, KindEvidence>,
  collected: CollectedBundle,
): Promise<PolicyInput> {
  const base = await buildPolicyInput(options.env, options.asOf, kinds, options.repoRoot, {
    signoff_separation: signoffSeparation(options.pack.manifest, options.env),
  });
  // The digests go in after the evidence map they are keyed by: a sign-off compares the
  // digest it approved with input.bundle_digest_without.signoff (policies/signoff). The
  // artifacts are in it, so a swapped test report invalidates the approvals.
  const digested = [
    ...files,
    ...collected.artifacts.map((a) => ({
      path: a.path,
      sha256: a.sha256,
      ...(a.gitBlob ? { gitBlob: a.gitBlob } : {}),
    })),
  ];
  const input: PolicyInput = {
    ...base,
    ...evidenceDigestInput(digested, base.evidence),
    artifacts: collected.policyArtifacts,
    recorded: collected.recorded,
  };
  const notUnicode = loneSurrogatePointer(input);
  if (notUnicode !== undefined)
    throw new CannotEvaluateError(
      `the policy input holds a string that is not Unicode text (a lone surrogate) at ${notUnicode}; OPA cannot read it`,
    );
  return input;
}
