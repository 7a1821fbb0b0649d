import { collectBundle, holdsArtifact } from '../collect/collect-bundle.js';
import { resolveArtifactLimits } from '../collect/limits.js';
import { loadBundle } from '../load/load-bundle.js';
import type { SchemaRegistry } from '../validate/schema-registry.js';
import { validateEvidence } from '../validate/validate-evidence.js';
import { capped, sanitize } from './bounded-diagnostics.js';
import { resolveLimits } from './limits.js';
import { releaseBinding } from './release-binding.js';
import type { EvaluateOptions } from './options.js';

/** load -> validate: the evidence files, their kinds, and every diagnostic, bounded and redacted. */
export async function loadAndValidate(
  options: Pick<EvaluateOptions, 'evidenceDir' | 'limits'>,
  registry: SchemaRegistry,
) {
  const bundle = await loadBundle(options.evidenceDir, resolveLimits(options.limits));
  const kinds = validateEvidence(bundle.files, registry);
  // Before anything reads them (the policy input takes its problems from here).
  for (const file of bundle.files) file.diagnostics = capped(file.diagnostics).map(sanitize);
  const diagnostics = [
    ...bundle.diagnostics.map(sanitize),
    ...bundle.files.flatMap((f) => f.diagnostics),
  ];
  return { files: bundle.files, diagnostics, kinds };
}

/** Reads the artifacts the valid evidence names; the folder's "not evidence" warning is dropped for the entries holding them. */
export async function collectStage(
  options: Pick<EvaluateOptions, 'evidenceDir' | 'artifactLimits'>,
  loaded: Awaited<ReturnType<typeof loadAndValidate>>,
  releaseKind: string | undefined,
) {
  const validKinds = new Map(
    [...loaded.kinds.values()].filter((k) => k.valid).map((k) => [k.kind, k.file]),
  );
  const collected = await collectBundle(
    options.evidenceDir,
    validKinds,
    resolveArtifactLimits(options.artifactLimits),
    releaseBinding(releaseKind === undefined ? undefined : validKinds.get(releaseKind)),
  );
  const diagnostics = [
    ...loaded.diagnostics.filter(
      (d) => !(d.code === 'ignored-file' && holdsArtifact(d.file, collected.artifacts)),
    ),
    ...[...new Set(collected.diagnostics.map((d) => d.file))]
      .flatMap((file) => capped(collected.diagnostics.filter((d) => d.file === file)))
      .map(sanitize),
  ];
  return { collected, validKinds, diagnostics };
}
