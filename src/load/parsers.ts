import { extname } from 'node:path';
import { CannotEvaluateError } from '../core/errors.js';
import { escapeTerminal } from '../core/text/escape.js';
import { parseJson } from './json-source.js';
import type { ParsedDocument, ParseLimits } from './parsed-document.js';
import { parseYaml } from './yaml-source.js';

// The one parser registry (Conftest's `parser/` model): a file's extension picks its
// parser. Every parser gives the same ParsedDocument (the value and a position per JSON
// pointer) and throws SourceError, located, for a document it cannot read; so the
// evidence loader and the artifact importers need not know which format a file is in.

/** A document format prodgate reads: its name, its file extensions, its parser. */
export interface SourceParser {
  format: 'json' | 'yaml';
  /** Lower-case, with the dot, in the order messages list them. */
  extensions: readonly string[];
  /** Parses a whole document within the limits; throws SourceError (located) when it cannot. */
  parse(text: string, limits: ParseLimits): ParsedDocument;
}

export const PARSERS: readonly SourceParser[] = [
  { format: 'json', extensions: ['.json'], parse: parseJson },
  { format: 'yaml', extensions: ['.yaml', '.yml'], parse: parseYaml },
];

const BY_EXTENSION = new Map(PARSERS.flatMap((p) => p.extensions.map((e) => [e, p] as const)));

/** Every extension a parser is registered for: `.json, .yaml and .yml`. */
export function knownExtensions(): string {
  const all = PARSERS.flatMap((p) => p.extensions);
  return all.length > 1 ? `${all.slice(0, -1).join(', ')} and ${all.at(-1)}` : (all[0] ?? '');
}

/** The parser for a file name's extension (case-insensitive), or undefined when none is registered. */
export function parserFor(fileName: string): SourceParser | undefined {
  return BY_EXTENSION.get(extname(fileName).toLowerCase());
}

/** The parser for a file name; a name with no registered extension is one line naming the known ones. */
export function requireParser(fileName: string): SourceParser {
  const parser = parserFor(fileName);
  if (!parser)
    throw new CannotEvaluateError(
      `${escapeTerminal(fileName)}: no parser for "${escapeTerminal(extname(fileName))}" files; prodgate reads ${knownExtensions()}`,
    );
  return parser;
}
