import type { ArtifactProblem } from './artifact-error.js';
import type { ArtifactFacts } from './facts.js';
import type { ArtifactLimits } from './limits.js';

/**
 * What an importer declares beside its code (ESLint rule `meta` style): the format it
 * reads, how it recognises that format from the content, and the facts it yields.
 * `prodgate collect` prints it; docs/artifacts.md lists every importer's.
 */
export interface ImporterMeta {
  /** The `--format` name and the `format` an evidence entry may give. */
  format: string;
  title: string;
  /** The specification or tool documentation the importer follows. */
  spec: string;
  /** How the format is recognised from the content (never from the file name). */
  recognisedBy: string;
  /** The facts it yields, in words. */
  yields: string[];
  /** The dialects (tools) it has been read against. */
  dialects: string[];
}

/** What one importer read: the facts (absent when the artifact could not be read) and its problems. */
export interface ImportResult {
  facts?: ArtifactFacts;
  problems: ArtifactProblem[];
}

export interface ArtifactImporter {
  meta: ImporterMeta;
  /** True when the text looks like this format (a cheap look at its start; no full parse). */
  recognise(text: string): boolean;
  /** Reads the whole artifact. Never throws for bad content: problems are returned. */
  read(text: string, limits: ArtifactLimits): ImportResult;
}
