import { waiversFrom, type WaiverEntry } from '../decide/waivers.js';
import type { LoadedPack } from '../pack/pack.js';
import { kindFor } from '../pack/pack-options.js';
import type { KindEvidence } from '../validate/validate-evidence.js';

// Which evidence kind holds waivers and which names the release owner is declared by the
// pack (pack.json evidenceKinds, pack-options.ts kindFor); src/ names no kind.

/** The waivers file, when the pack names a waivers kind and the bundle has it (its path, for findings and reasons). */
export function waiversFileOf(
  pack: LoadedPack,
  kinds: Map<string, KindEvidence>,
): string | undefined {
  const kind = kindFor(pack.manifest, 'waivers');
  return kind === undefined ? undefined : kinds.get(kind)?.file.path;
}

/** The waivers of the kind the pack says holds them (none when it names no such kind, or the file is invalid). */
export function waiversOf(pack: LoadedPack, kinds: Map<string, KindEvidence>): WaiverEntry[] {
  const kind = kindFor(pack.manifest, 'waivers');
  const entry = kind === undefined ? undefined : kinds.get(kind);
  return entry?.valid ? waiversFrom(entry.file.data) : [];
}

/** The owner named by the kind the pack says names the release owner, who may not approve a waiver. */
export function releaseOwnerOf(
  pack: LoadedPack,
  kinds: Map<string, KindEvidence>,
): string | undefined {
  const kind = kindFor(pack.manifest, 'releaseOwner');
  const entry = kind === undefined ? undefined : kinds.get(kind);
  const owner = entry?.valid ? (entry.file.data as { owner?: unknown }).owner : undefined;
  return typeof owner === 'string' ? owner : undefined;
}
