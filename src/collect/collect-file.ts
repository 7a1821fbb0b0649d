import { ArtifactError, problemOf, type ArtifactProblem } from './artifact-error.js';
import type { ArtifactFacts } from './facts.js';
import type { ArtifactLimits } from './limits.js';
import { readArtifactFile, type ArtifactBytes } from './read-artifact.js';
import { readAtRevision } from './read-git.js';
import { importArtifact } from './registry.js';

/** One artifact as collected: named, digested, read. `valid` is false when any problem is an error. */
export interface CollectedArtifact {
  /** The path as named (relative to the evidence folder in a bundle). */
  path: string;
  /** sha256 of the bytes read; '' when the file could not be read. */
  sha256: string;
  /** The format read with (given or recognised); absent when none applied. */
  format?: string;
  /** Read with git at the released revision (`repoPath` at `revision`), not from the evidence folder. */
  source?: 'git';
  /** The repository path, for a file read with git. */
  repoPath?: string;
  /** The git blob id of the bytes read, for a file read with git. */
  gitBlob?: string;
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
  return importRead(
    path,
    () => readArtifactFile(path, limits, options.root),
    limits,
    options.format,
  );
}

/**
 * Reads and imports one file of the repository as it is at a revision (with git, never
 * from the working tree). Its path is `<revision>:<repoPath>`, git's own name for it.
 * Never throws for a bad file: problems say why.
 */
export async function collectAtRevision(
  repoDir: string,
  revision: string,
  repoPath: string,
  limits: ArtifactLimits,
  format?: string,
): Promise<CollectedArtifact> {
  let gitBlob: string | undefined;
  const read = await importRead(
    revisionPath(revision, repoPath),
    async () => {
      const bytes = await readAtRevision(repoDir, revision, repoPath, limits);
      gitBlob = bytes.gitBlob;
      return bytes;
    },
    limits,
    format,
  );
  return { ...read, source: 'git', repoPath, ...(gitBlob ? { gitBlob } : {}) };
}

/** How a file read with git is named: `<revision>:<path>`, as `git show` takes it. */
export function revisionPath(revision: string, repoPath: string): string {
  return `${revision}:${repoPath}`;
}

async function importRead(
  path: string,
  readBytes: () => Promise<ArtifactBytes>,
  limits: ArtifactLimits,
  format: string | undefined,
): Promise<CollectedArtifact> {
  let bytes: ArtifactBytes;
  try {
    bytes = await readBytes();
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
      ...(format ? { format } : {}),
    };
  }
  const imported = importArtifact(bytes.text, limits, format);
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
