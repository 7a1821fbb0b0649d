import type { ReleaseBinding } from '../collect/collect-bundle.js';

/**
 * The released revision that repository files are read at: the `revision` of the kind
 * the pack says names the release (the release owner's kind, `release` in the default pack).
 */
export function releaseBinding(release: { data?: unknown } | undefined): ReleaseBinding {
  const revision = (release?.data as { revision?: unknown } | undefined)?.revision;
  return typeof revision === 'string' ? { revision } : {};
}
