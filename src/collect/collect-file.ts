import { ArtifactError, problemOf, type ArtifactProblem } from './artifact-error.js';
import type { ArtifactFacts } from './facts.js';
import type { ArtifactLimits } from './limits.js';
import { readArtifactFile } from './read-artifact.js';
import { importArtifact } from './registry.js';

/** One artifact as collected: named, digested, read. `valid` is false when any problem is an error. */
export interface CollectedArtifact {
  /** The path as named (relative to the evidence folder in a bundle). */
  path: string;
  /** sha256 of the bytes read; '' when the file could not be read. */
  sha256: string;
  /** The format read with (given or recognised); absent when none applied. */
  format?: string;
  /** True when the file could not be read at all (missing, not a file, outside the folder). */
  unreadable: boolean;
  valid: boolean;
  facts?: ArtifactFacts;
  problems: ArtifactProblem[];
}

/** Reads and imports one artifact file. Never throws for a bad file: problems say why. */
export async function collectFile(
  path: string,
  limits: ArtifactLimits,
  options: { root?: string; format?: string } = {},
): Promise<CollectedArtifact> {
  let bytes: Awaited<ReturnType<typeof readArtifactFile>>;
  try {
    bytes = await readArtifactFile(path, limits, options.root);
  } catch (thrown) {
    if (!(thrown instanceof ArtifactError)) throw thrown;
    const unreadable = thrown.code === 'unreadable' || thrown.code === 'unsafe-path';
    const digest = (thrown as { sha256?: string }).sha256 ?? '';
    return {
      path,
      sha256: digest,
      unreadable,
      valid: false,
      problems: [problemOf(thrown)],
      ...(options.format ? { format: options.format } : {}),
    };
  }
  const imported = importArtifact(bytes.text, limits, options.format);
  const valid =
    imported.facts !== undefined && !imported.problems.some((p) => p.severity === 'error');
  return {
    path,
    sha256: bytes.sha256,
    unreadable: false,
    valid,
    ...(imported.format ? { format: imported.format } : {}),
    ...(imported.facts ? { facts: imported.facts } : {}),
    problems: imported.problems,
  };
}
