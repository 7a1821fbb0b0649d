import { waiversFrom, type WaiverEntry } from '../decide/waivers.js';
import type { KindEvidence } from '../validate/validate-evidence.js';

/** The evidence kind that holds waivers, and the kind whose owner may not approve them. */
const WAIVERS_KIND = 'waivers';
const RELEASE_KIND = 'release';

/** The waivers file, when the bundle has one (its path, for findings and reasons). */
export function waiversFileOf(kinds: Map<string, KindEvidence>): string | undefined {
  return kinds.get(WAIVERS_KIND)?.file.path;
}

/** The waivers of a valid waivers file; none when it is missing or invalid. */
export function waiversOf(kinds: Map<string, KindEvidence>): WaiverEntry[] {
  const entry = kinds.get(WAIVERS_KIND);
  return entry?.valid ? waiversFrom(entry.file.data) : [];
}

/** The release owner named by a valid release file: who may not approve a waiver. */
export function releaseOwnerOf(kinds: Map<string, KindEvidence>): string | undefined {
  const entry = kinds.get(RELEASE_KIND);
  const owner = entry?.valid ? (entry.file.data as { owner?: unknown }).owner : undefined;
  return typeof owner === 'string' ? owner : undefined;
}
