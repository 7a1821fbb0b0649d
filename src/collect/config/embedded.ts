import type { SourcePosition } from '../../core/diagnostics.js';
import { ArtifactError } from '../artifact-error.js';
import type { ArtifactLimits } from '../limits.js';
import { type ConfigDocument, readConfigDocuments } from './documents.js';

/**
 * A YAML document held in a string of another document (a ConfigMap's `data` entry, a
 * v1alpha1 OpenTelemetryCollector's `spec.config`), located in the outer file: for a
 * block scalar (`key: |`) line n of the string is line n after the key, shifted by
 * the block's indentation; any other scalar is located at its key.
 */
export function embeddedDocument(
  outer: ConfigDocument,
  pointer: string,
  fileText: string,
  value: string,
  limits: ArtifactLimits,
): ConfigDocument {
  const key = outer.at(pointer);
  const lines = fileText.split(/\r\n|\r|\n/);
  const keyLine = lines[key.line - 1] ?? '';
  const block = /:\s*[|>][-+0-9]*\s*(#.*)?$/.test(keyLine);
  const indent = block ? (/^\s*/.exec(lines[key.line] ?? '')?.[0].length ?? 0) : 0;
  const shift = (p: SourcePosition): SourcePosition =>
    block ? { line: key.line + p.line, column: p.column + indent } : key;
  let inner: ConfigDocument | undefined;
  try {
    [inner] = readConfigDocuments(value, limits, { multiDocument: false });
  } catch (thrown) {
    if (!(thrown instanceof ArtifactError)) throw thrown;
    throw new ArtifactError(
      thrown.code,
      `${pointer}: ${thrown.message}`,
      shift(thrown.position),
      pointer,
    );
  }
  if (!inner) throw new Error('unreachable: readConfigDocuments returns a document');
  const doc = inner;
  return { index: outer.index, value: doc.value, at: (p) => shift(doc.at(p)) };
}
