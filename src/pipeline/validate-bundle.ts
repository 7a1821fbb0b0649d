import type { EvidenceFindingCode } from '../core/finding.js';
import { resultOf, type Result } from '../core/result.js';
import type { EvidenceFile } from '../load/evidence-file.js';
import { loadPack } from '../pack/pack.js';
import { kindFor } from '../pack/pack-options.js';
import type { EvaluateOptions } from './options.js';
import { validatorsOf } from './pack-caches.js';
import { collectStage, loadAndValidate } from './read-evidence.js';

/**
 * Validates only: loads the bundle and checks every file against its schema, and the
 * artifacts the evidence names. ok when no finding is an error.
 */
export async function validateBundle(
  options: Pick<EvaluateOptions, 'evidenceDir' | 'packDir' | 'limits' | 'artifactLimits'>,
): Promise<Result<EvidenceFindingCode> & { files: EvidenceFile[] }> {
  const pack = await loadPack(options.packDir);
  const loaded = await loadAndValidate(options, await validatorsOf(pack));
  // The artifacts the evidence names are read and checked too (format, bounds, counters).
  const { diagnostics } = await collectStage(
    options,
    loaded,
    kindFor(pack.manifest, 'releaseOwner'),
  );
  return { ...resultOf(diagnostics), files: loaded.files };
}
