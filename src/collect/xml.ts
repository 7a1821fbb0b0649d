import { SaxesParser } from 'saxes';
import type { ArtifactLimits } from './limits.js';
import { ArtifactError } from './artifact-error.js';
import type { ArtifactPosition } from './facts.js';

/** One element as the XML reader reports it: name, attributes, where its `<` is. */
export interface XmlElement extends ArtifactPosition {
  name: string;
  attributes: Record<string, string>;
  depth: number;
}

export interface XmlHandlers {
  open(element: XmlElement): void;
  close(name: string, depth: number): void;
  /** Character data (text and CDATA) directly inside the innermost open element; only called when wanted. */
  text?(text: string, depth: number): void;
}

/**
 * Streams an XML document through saxes (a conforming, non-validating parser) with
 * every hostile feature refused: a DOCTYPE (and with it every entity declaration:
 * XML allows them nowhere else) is an error at its line, undefined entities are
 * saxes errors, and element count, depth and attribute length are bounded. Nothing
 * is built but what the handlers keep, so memory stays proportional to the facts.
 * Throws ArtifactError (located) on the first problem.
 */
export function readXml(text: string, limits: ArtifactLimits, handlers: XmlHandlers): void {
  const parser = new SaxesParser<{ position: true; xmlns: false }>({
    position: true,
    xmlns: false,
  });
  let depth = 0;
  let elements = 0;
  let start: ArtifactPosition = { line: 1, column: 1 };
  const here = (): ArtifactPosition => ({ line: parser.line, column: parser.column + 1 });
  parser.on('doctype', () => {
    throw new ArtifactError(
      'refused-markup',
      'the document has a DOCTYPE; DOCTYPE and entity declarations are refused in artifacts (XXE, entity expansion)',
      here(),
    );
  });
  parser.on('opentagstart', (tag) => {
    // Reported just after the name: the `<` is the name's length plus one back.
    start = { line: parser.line, column: Math.max(1, parser.column - tag.name.length) };
  });
  parser.on('opentag', (tag) => {
    elements++;
    if (elements > limits.maxArtifactNodes) {
      throw new ArtifactError(
        'limit-exceeded',
        `more than ${limits.maxArtifactNodes} elements (max-artifact-nodes)`,
        start,
      );
    }
    depth++;
    if (depth > limits.maxArtifactDepth)
      throw new ArtifactError(
        'limit-exceeded',
        `elements nested deeper than ${limits.maxArtifactDepth}`,
        start,
      );
    // saxes builds attributes as a prototype-less object: kept as is, only checked.
    const attributes = tag.attributes as Record<string, string>;
    for (const name in attributes) {
      if ((attributes[name] as string).length > limits.maxArtifactString) {
        throw new ArtifactError(
          'limit-exceeded',
          `attribute ${name} is longer than ${limits.maxArtifactString} characters`,
          start,
        );
      }
    }
    handlers.open({ name: tag.name, attributes, depth, ...start });
  });
  parser.on('closetag', (tag) => {
    handlers.close(tag.name, depth);
    depth--;
  });
  if (handlers.text) {
    const onText = handlers.text;
    parser.on('text', (t) => onText(t, depth));
    parser.on('cdata', (t) => onText(t, depth));
  }
  parser.on('error', (err) => {
    throw new ArtifactError('parse-error', cleanSaxesMessage(err.message), here());
  });
  try {
    parser.write(text).close();
  } catch (thrown) {
    if (thrown instanceof ArtifactError) throw thrown;
    throw new ArtifactError(
      'parse-error',
      thrown instanceof Error ? cleanSaxesMessage(thrown.message) : String(thrown),
      here(),
    );
  }
}

/** saxes prefixes messages with `undefined:line:column: `; the location is reported separately. */
function cleanSaxesMessage(message: string): string {
  return message.replace(/^[^:]*:\d+:\d+: /, '');
}
