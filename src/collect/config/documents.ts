import type { SourcePosition } from '../../core/diagnostics.js';
import { positionOf } from '../../load/evidence-file.js';
import { parseJson } from '../../load/json-source.js';
import { SourceError, type ParsedDocument } from '../../load/parsed-document.js';
import { parseYaml } from '../../load/yaml-source.js';
import { ArtifactError } from '../artifact-error.js';
import type { ArtifactLimits } from '../limits.js';

/** One document of a configuration file: its value and where each pointer is in the file. */
export interface ConfigDocument {
  /** 0-based index of the document in the stream. */
  index: number;
  value: unknown;
  /** Where a pointer of this document is in the file (nearest located ancestor). */
  at(pointer: string): SourcePosition;
}

/** The `---` marker line that starts a YAML document (YAML 1.2 §9.1: at column 0). */
const DOCUMENT_START = /^---(?=[ \t]|$)/;
/** The `...` line that ends a YAML document. */
const DOCUMENT_END = /^\.\.\.(?=[ \t]|$)/;

/**
 * Splits a YAML stream at its document markers (`---`, `...` at column 0, which YAML
 * never allows inside a document's content), keeping each document's first line.
 * Text on a `---` line (`--- {a: 1}`) stays in its document, the marker blanked.
 */
export function splitYamlDocuments(text: string): { text: string; firstLine: number }[] {
  const lines = text.split(/\r\n|\r|\n/);
  const out: { text: string; firstLine: number }[] = [];
  let current: string[] = [];
  let firstLine = 0;
  let started = false;
  const flush = (): void => {
    if (current.some((l) => /\S/.test(l) && !/^\s*#/.test(l)) || started) {
      out.push({ text: current.join('\n'), firstLine });
    }
    current = [];
    started = false;
  };
  lines.forEach((line, i) => {
    if (DOCUMENT_START.test(line)) {
      flush();
      firstLine = i;
      started = /\S/.test(line.slice(3)) && !/^\s*#/.test(line.slice(3));
      current = [`   ${line.slice(3)}`];
      return;
    }
    if (DOCUMENT_END.test(line)) {
      current.push('');
      flush();
      firstLine = i + 1;
      return;
    }
    if (/^%/.test(line) && current.length === 0) {
      firstLine = i + 1;
      return;
    }
    if (current.length === 0) firstLine = i;
    current.push(line);
  });
  flush();
  return out;
}

function located(doc: ParsedDocument, index: number, lineOffset: number): ConfigDocument {
  return {
    index,
    value: doc.value,
    at(pointer) {
      const p = positionOf(doc, pointer);
      return { line: p.line + lineOffset, column: p.column };
    },
  };
}

function artifactErrorOf(thrown: unknown, lineOffset: number, pointerPrefix: string): never {
  if (!(thrown instanceof SourceError)) throw thrown;
  throw new ArtifactError(
    thrown.code === 'limit-exceeded' ? 'limit-exceeded' : 'parse-error',
    thrown.message,
    { line: thrown.position.line + lineOffset, column: thrown.position.column },
    `${pointerPrefix}${thrown.pointer}`,
  );
}

/**
 * Reads a configuration file: JSON (one document) or YAML 1.2 (core schema, duplicate
 * keys refused, aliases, depth and strings bounded as for evidence), with one document
 * or, when `multiDocument`, every document of the stream. Empty documents are skipped;
 * a file with no document at all is an error (an empty file proves nothing).
 * Throws a located ArtifactError.
 */
export function readConfigDocuments(
  text: string,
  limits: ArtifactLimits,
  options: { multiDocument: boolean },
): ConfigDocument[] {
  const parseLimits = {
    maxDepth: limits.maxArtifactDepth,
    maxNodes: limits.maxArtifactNodes,
    maxAliases: 100,
    maxStringLength: limits.maxArtifactString,
  };
  const body = text.replace(/^\uFEFF/, '');
  if (/^\s*[[{]/.test(body) && !/^\s*\{\{/.test(body)) {
    try {
      const doc = parseJson(body, parseLimits);
      return [located(doc, 0, 0)];
    } catch (thrown) {
      // JSON is YAML too: fall through to the YAML reader only for YAML flow style.
      if (!(thrown instanceof SourceError)) throw thrown;
    }
  }
  const parts = options.multiDocument ? splitYamlDocuments(body) : [{ text: body, firstLine: 0 }];
  const out: ConfigDocument[] = [];
  let nodes = 0;
  for (const part of parts) {
    let doc: ParsedDocument;
    try {
      doc = parseYaml(part.text, { ...parseLimits, maxNodes: parseLimits.maxNodes - nodes });
    } catch (thrown) {
      artifactErrorOf(thrown, part.firstLine, out.length > 0 ? `/${out.length}` : '');
    }
    nodes += doc.positions.size;
    if (doc.value === null || doc.value === undefined) continue;
    out.push(located(doc, out.length, part.firstLine));
  }
  if (out.length === 0)
    throw new ArtifactError(
      'parse-error',
      'the file holds no document; an empty file proves nothing',
    );
  return out;
}
