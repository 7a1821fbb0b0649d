import type { KindEvidence } from '../validate/validate-evidence.js';
import { resolveLink, type LinkState } from './links.js';

/** One kind of evidence as the policy sees it. */
export type PolicyEvidence =
  | { file: string; valid: true; data: unknown }
  | { file: string; valid: false; problems: { pointer: string; message: string }[] };

/** The document every policy evaluates: the contract between engine and policies. */
export interface PolicyInput {
  env: string;
  as_of: string;
  evidence: Record<string, PolicyEvidence>;
  links: Record<string, LinkState>;
  /** kind -> sha256 of the file holding it; set by the engine (src/provenance/digest.ts). */
  digests?: Record<string, string>;
  /** kind -> bundle digest over every evidence file but that kind's: what a sign-off approves. */
  bundle_digest_without?: Record<string, string>;
  /** artifact id -> the artifact as collected (src/collect/collect-bundle.ts, docs/artifacts.md). */
  artifacts?: Record<string, unknown>;
  /** kind -> JSON pointer of an object with recordedBy -> the fact recorded from its artifact. */
  recorded?: Record<string, Record<string, unknown>>;
}

/** Builds the policy input; keys are sorted so that the input is byte-stable. */
export async function buildPolicyInput(env: string, asOf: string, kinds: Map<string, KindEvidence>, repoRoot: string): Promise<PolicyInput> {
  const evidence: Record<string, PolicyEvidence> = {};
  const links: Record<string, LinkState> = {};
  for (const kind of [...kinds.keys()].sort()) {
    const entry = kinds.get(kind) as KindEvidence;
    if (entry.valid) {
      evidence[kind] = { file: entry.file.path, valid: true, data: entry.file.data };
      for (const link of entry.links) links[link.value] ??= await resolveLink(link.value, repoRoot);
    } else {
      const problems = entry.file.diagnostics
        .filter((d) => d.severity === 'error')
        .map((d) => ({ pointer: d.pointer, message: d.message }));
      evidence[kind] = { file: entry.file.path, valid: false, problems };
    }
  }
  const sortedLinks: Record<string, LinkState> = {};
  for (const key of Object.keys(links).sort()) sortedLinks[key] = links[key] as LinkState;
  return { env, as_of: asOf, evidence, links: sortedLinks };
}
