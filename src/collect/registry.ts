import { ArtifactError, problemOf } from './artifact-error.js';
import { ctrf } from './formats/ctrf.js';
import { githubActions } from './formats/github-actions.js';
import { gitleaks } from './formats/gitleaks.js';
import { junit } from './formats/junit.js';
import { kubernetes } from './formats/kubernetes.js';
import { sarif } from './formats/sarif.js';
import type { ArtifactImporter, ImportResult } from './importer.js';
import type { ArtifactLimits } from './limits.js';

/**
 * The artifact importers, the one registry of this plug-in point. Recognition tries
 * them in this order; each looks only at the content, never at the file name. To add
 * a format: one file under formats/ with its `meta`, one entry here (CONTRIBUTING.md).
 */
export const IMPORTERS: readonly ArtifactImporter[] = [
  junit,
  ctrf,
  sarif,
  gitleaks,
  githubActions,
  kubernetes,
];

export const FORMAT_NAMES: readonly string[] = IMPORTERS.map((i) => i.meta.format);

export function importerFor(format: string): ArtifactImporter | undefined {
  return IMPORTERS.find((i) => i.meta.format === format);
}

/** The first importer, in registry order (most specific first), that recognises the content. */
export function recogniseFormat(text: string): ArtifactImporter | undefined {
  return IMPORTERS.find((i) => i.recognise(text));
}

/**
 * Reads an artifact's text: with the named format's importer, or the one that
 * recognises the content. Never throws for bad content.
 */
export function importArtifact(
  text: string,
  limits: ArtifactLimits,
  format?: string,
): ImportResult & { format?: string } {
  const importer = format ? importerFor(format) : recogniseFormat(text);
  if (!importer) {
    const message = format
      ? `unknown artifact format "${format}"; known: ${FORMAT_NAMES.join(', ')}`
      : `the content is in none of the known artifact formats (${FORMAT_NAMES.join(', ')}); name one with format`;
    return { problems: [problemOf(new ArtifactError('unknown-format', message))] };
  }
  return { format: importer.meta.format, ...importer.read(text, limits) };
}
