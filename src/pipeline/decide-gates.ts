import type { EvidenceFinding } from '../core/finding.js';
import type { CollectedBundle } from '../collect/collect-bundle.js';
import { decide } from '../decide/decide.js';
import { requireRecorded } from '../decide/recorded-facts.js';
import type { Decision } from '../decide/verdict.js';
import { applyWaivers } from '../decide/waivers.js';
import type { PolicyOutcome } from '../evaluate/policy-outcome.js';
import type { EvidenceFile } from '../load/evidence-file.js';
import type { LoadedPack } from '../pack/pack.js';
import { waiverMaxDays } from '../pack/pack-options.js';
import type { KindEvidence } from '../validate/validate-evidence.js';
import { evidenceState } from './evidence-state.js';
import { releaseOwnerOf, waiversFileOf, waiversOf } from './evidence-roles.js';

/**
 * The decide stage for one environment: every catalog gate decided from the policy's
 * outcome (fail-closed), recorded facts required where the pack asks for them, then
 * waivers applied. Waiver findings are added to `diagnostics` as warnings: a void
 * waiver has no effect, it does not block by itself.
 */
export function decideGates(
  context: { env: string; asOf: string; pack: LoadedPack },
  outcome: PolicyOutcome,
  evidence: {
    files: EvidenceFile[];
    kinds: Map<string, KindEvidence>;
    validKinds: Map<string, EvidenceFile>;
    collected: CollectedBundle;
    diagnostics: EvidenceFinding[];
  },
): Decision {
  const { env, asOf, pack } = context;
  const { kinds, validKinds, diagnostics } = evidence;
  const state = evidenceState(
    evidence.files,
    kinds,
    diagnostics,
    pack.gates.flatMap((gate) => gate.evidence),
  );
  const decided = requireRecorded(decide(pack.gates, outcome, env, state), {
    gates: pack.gates,
    env,
    evidenceOf: (kind) => {
      const file = validKinds.get(kind);
      return file ? { file: file.path, data: file.data } : undefined;
    },
    locate: state.locate,
    recorded: evidence.collected.recorded,
  });
  const waiversFile = waiversFileOf(pack, kinds);
  const { decision, findings } = applyWaivers(decided, waiversOf(pack, kinds), {
    gates: pack.gates,
    env,
    asOf,
    maxDays: waiverMaxDays(pack.manifest, env),
    releaseOwner: releaseOwnerOf(pack, kinds),
    own: decided.own,
    ...(waiversFile !== undefined ? { file: waiversFile } : {}),
    locate: state.locate,
  });
  diagnostics.push(...findings.map(({ gate: _gate, ...finding }) => finding));
  return decision;
}
