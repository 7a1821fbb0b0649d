import { normalise, personNames } from '../core/text/normalise.js';
import type { KindEvidence } from '../validate/validate-evidence.js';
import { resolveLink, type LinkState } from './links.js';
import { wordingWords } from './wording.js';

/** One kind of evidence as the policy sees it. */
export type PolicyEvidence =
  | { file: string; valid: true; data: unknown }
  | { file: string; valid: false; problems: { pointer: string; message: string }[] };

/**
 * The forms of one evidence string as a reader sees it (src/core/text/normalise.ts): policies
 * compare and test these, never the original, which stays in `evidence` for display.
 */
export interface NormalisedText {
  /** normalise(text): NFKC, invisible code points removed, whitespace collapsed, case folded. */
  text: string;
  /** personNames(text): the people the text names, as confusable skeletons. */
  people: string[];
  /** wordingKey(text): the name as a reader tells names of a thing apart (feature vs non-goal). */
  wording: string;
  /**
   * wordingWords(text), when the text has two words or more: lib.wording_contains reads a
   * feature whose words contain a non-goal's words, in any order, as the non-goal.
   */
  words?: string[];
}

/** Pack options a policy reads, as they apply to the evaluated environment (pack.json). */
export interface PolicyOptions {
  /** No person signs two sign-off roles, and the security sign-off is not by the release owner. */
  signoff_separation: boolean;
}

/** The document every policy evaluates: the contract between engine and policies. */
export interface PolicyInput {
  env: string;
  as_of: string;
  evidence: Record<string, PolicyEvidence>;
  links: Record<string, LinkState>;
  /**
   * Every string value of the valid evidence, keyed by the original text, with its
   * normalised forms: wasm has no Unicode normalisation, so it is computed here once.
   */
  normalised: Record<string, NormalisedText>;
  options: PolicyOptions;
  /** kind -> sha256 of the file holding it; set by the engine (src/core/digest.ts). */
  digests?: Record<string, string>;
  /** kind -> bundle digest over every evidence file but that kind's: what a sign-off approves. */
  bundle_digest_without?: Record<string, string>;
  /** artifact id -> the artifact as collected (src/collect/collect-bundle.ts, docs/artifacts.md). */
  artifacts?: Record<string, unknown>;
  /** kind -> JSON pointer of an object with recordedBy -> the fact recorded from its artifact. */
  recorded?: Record<string, Record<string, unknown>>;
}

/** Builds the policy input; keys are sorted so that the input is byte-stable. */
export async function buildPolicyInput(
  env: string,
  asOf: string,
  kinds: Map<string, KindEvidence>,
  repoRoot: string,
  options: PolicyOptions = { signoff_separation: false },
): Promise<PolicyInput> {
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
  return {
    env,
    as_of: asOf,
    evidence,
    links: sortedLinks,
    normalised: normalisedStrings(evidence),
    options,
  };
}

/** The normalised forms of every string value in the valid evidence, keys sorted. */
export function normalisedStrings(
  evidence: Record<string, PolicyEvidence>,
): Record<string, NormalisedText> {
  const strings = new Set<string>();
  const walk = (value: unknown): void => {
    if (typeof value === 'string') strings.add(value);
    else if (Array.isArray(value)) for (const item of value) walk(item);
    else if (value && typeof value === 'object')
      for (const item of Object.values(value)) walk(item);
  };
  for (const entry of Object.values(evidence)) if (entry.valid) walk(entry.data);
  // No prototype: an evidence string "__proto__" is a key like any other.
  const out: Record<string, NormalisedText> = Object.create(null) as Record<string, NormalisedText>;
  for (const text of [...strings].sort()) {
    const words = wordingWords(text);
    out[text] = { text: normalise(text), people: personNames(text), wording: words.join('') };
    if (words.length > 1) out[text].words = words;
  }
  return out;
}
