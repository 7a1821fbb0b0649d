import type { LoadedPack } from '../pack/pack.js';
import { packDigests, type PackDigests } from './pack-digests.js';

const digestsByPack = new WeakMap<LoadedPack, PackDigests>();

/**
 * The digests of a loaded pack's files (pack-digests.ts), read once per pack object:
 * a loaded pack is one snapshot (its wasm and template bytes are already in memory),
 * and a process that evaluates many bundles with it need not re-read and re-hash
 * every pack file per report. `verify` reads the files afresh (packDigests itself).
 * @throws CannotEvaluateError as packDigests does; a failure is not cached.
 */
export function packDigestsOnce(pack: LoadedPack): PackDigests {
  let digests = digestsByPack.get(pack);
  if (!digests) {
    digests = packDigests(pack.paths);
    digestsByPack.set(pack, digests);
  }
  return digests;
}
