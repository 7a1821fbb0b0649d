import yaml from 'js-yaml';
import type { SourcePosition } from '../core/diagnostics.js';
import { joinPointer } from '../core/json-pointer.js';
import { LineIndex } from '../core/line-index.js';
import { numberProblem } from './numbers.js';
import { SourceError, type ParsedDocument, type ParseLimits } from './parsed-document.js';
import { hasLoneSurrogate, loneSurrogateProblem } from './unicode.js';

/** A node as js-yaml composes it: where it opened, its scalar result, its children. */
interface ComposedNode {
  open: number;
  result: unknown;
  children: ComposedNode[];
}

/** A number whose double is not what its text says: kept as a marker, reported with its pointer. */
class InexactNumber {
  constructor(readonly problem: string) {}
}

/** Wraps a core-schema number type so that a lossy literal becomes an InexactNumber. */
function exact(type: yaml.Type, tag: string): yaml.Type {
  return new yaml.Type(tag, {
    kind: 'scalar',
    resolve: (data: unknown) => type.resolve(data),
    construct: (data: string) => {
      const value = type.construct(data) as number;
      const problem = numberProblem(data, value);
      return problem ? new InexactNumber(problem) : value;
    },
  });
}

/**
 * YAML 1.2's core schema as js-yaml builds it (its CORE_SCHEMA is failsafe plus null,
 * bool, int and float), with numbers checked for exactness. No timestamps, no merge.
 */
// js-yaml exports its types at runtime, but @types/js-yaml does not declare them.
const { types } = yaml as unknown as {
  types: Record<'null' | 'bool' | 'int' | 'float', yaml.Type>;
};
const SCHEMA = yaml.FAILSAFE_SCHEMA.extend({
  implicit: [
    types.null,
    types.bool,
    exact(types.int, 'tag:yaml.org,2002:int'),
    exact(types.float, 'tag:yaml.org,2002:float'),
  ],
});

/** js-yaml 4.3 options that @types/js-yaml 4.0.9 does not know yet. */
type LoadOptions = yaml.LoadOptions & { maxDepth: number };

/** Thrown from the node listener to stop js-yaml as soon as a limit is crossed. */
class LimitExceeded extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
  }
}

/**
 * Parses YAML with YAML 1.2's core schema: values stay as written (`2025-01-01` and
 * `NO` are strings, no `<<` merge, no timestamps), and an unknown tag or a duplicate
 * key is an error. js-yaml has no position API, so its node listener is used to
 * rebuild the tree of node start offsets beside the value, and to enforce the depth,
 * alias and string-length limits while parsing, before anything large is built.
 */
export function parseYaml(text: string, limits: ParseLimits): ParsedDocument {
  const lines = new LineIndex(text);
  const stack: ComposedNode[] = [{ open: 0, result: undefined, children: [] }];
  let aliases = 0;
  let nodes = 0;
  let value: unknown;
  try {
    const options: LoadOptions = {
      schema: SCHEMA,
      json: false,
      // js-yaml's own bound, above ours, in case the listener is ever bypassed.
      maxDepth: limits.maxDepth + 4,
      listener(event, state) {
        if (event === 'open') {
          // Every nesting level opens one node (keys close before their values open).
          if (stack.length > limits.maxDepth + 2)
            throw new LimitExceeded(
              `nesting deeper than ${limits.maxDepth} levels`,
              state.position,
            );
          // Nodes as written (keys included): a cheap early bound, before checkSize counts values.
          if (++nodes > limits.maxNodes)
            throw new LimitExceeded(
              `more than ${limits.maxNodes} nodes (keys and values)`,
              state.position,
            );
          stack.push({ open: state.position, result: undefined, children: [] });
          return;
        }
        const node = stack.pop();
        if (!node) return;
        node.result = state.result;
        stack[stack.length - 1]?.children.push(node);
        const start = skipInsignificant(text, node.open);
        // An alias is the only node with no kind whose text starts with `*`.
        if (state.kind === null && text[start] === '*' && ++aliases > limits.maxAliases) {
          throw new LimitExceeded(`more than ${limits.maxAliases} aliases`, start);
        }
        if (typeof state.result === 'string' && state.result.length > limits.maxStringLength) {
          throw new LimitExceeded(
            `string of ${state.result.length} characters, over the ${limits.maxStringLength}-character limit`,
            start,
          );
        }
        if (typeof state.result === 'string') checkEscapes(text, start, state.position);
      },
    };
    value = yaml.load(text, options);
  } catch (thrown) {
    if (thrown instanceof yaml.YAMLException && MORE_THAN_ONE_DOCUMENT.test(thrown.reason)) {
      throw new SourceError(
        'a second YAML document starts here; an evidence file holds exactly one document (remove the --- line and what follows, or move it to its own file)',
        lines.at(secondDocumentStart(text, lines, limits)),
      );
    }
    throw toSourceError(thrown, lines, limits);
  }

  const problem = checkSize(value, limits, lines);

  const positions = new Map<string, SourcePosition>();
  const startOf = (node: ComposedNode): SourcePosition =>
    lines.at(skipInsignificant(text, node.open));
  const walk = (node: ComposedNode, current: unknown, pointer: string): void => {
    if (!positions.has(pointer)) positions.set(pointer, startOf(node));
    if (Array.isArray(current)) {
      if (node.children.length !== current.length) return; // alias or unusual form: ancestors locate it
      node.children.forEach((child, index) => {
        walk(child, current[index], joinPointer(pointer, index));
      });
    } else if (current !== null && typeof current === 'object') {
      const members = current as Record<string, unknown>;
      for (let k = 0; k + 1 < node.children.length; k += 2) {
        const keyNode = node.children[k] as ComposedNode;
        const key = String(keyNode.result);
        if (!Object.hasOwn(members, key)) continue;
        const child = joinPointer(pointer, key);
        positions.set(child, startOf(keyNode));
        walk(node.children[k + 1] as ComposedNode, members[key], child);
      }
    }
  };
  const root = stack[0]?.children[0];
  if (root) walk(root, value, '');
  else positions.set('', { line: 1, column: 1 });
  if (problem)
    throw new SourceError(
      problem.message,
      nearest(positions, problem.pointer),
      problem.pointer,
      problem.code,
    );
  return { value, positions };
}

const MORE_THAN_ONE_DOCUMENT = /expected a single document in the stream/;

/** Stops js-yaml at the first node of the second document. */
class SecondDocument extends Error {
  constructor(readonly offset: number) {
    super('second document');
  }
}

/**
 * Where the second document of a stream starts: its `---` marker line, or (after a
 * `...` end marker without one) its first node. js-yaml says only that there is more
 * than one document, so the stream is read again, up to the first node of the second.
 */
function secondDocumentStart(text: string, lines: LineIndex, limits: ParseLimits): number {
  let offset: number | undefined;
  try {
    yaml.loadAll(text, undefined, {
      schema: SCHEMA,
      maxDepth: limits.maxDepth + 4,
      listener(event, state) {
        const documents = (state as unknown as { documents: unknown[] }).documents;
        if (event === 'open' && documents.length > 0) throw new SecondDocument(state.position);
      },
    } as LoadOptions);
  } catch (thrown) {
    if (thrown instanceof SecondDocument) offset = thrown.offset;
    else if (thrown instanceof yaml.YAMLException)
      offset = (thrown.mark as { position?: number } | undefined)?.position;
  }
  if (offset === undefined) return 0;
  // Back over the blank, comment and directive lines before it, to a `---` marker.
  for (
    let start: number | undefined = lines.lineStart(offset);
    start !== undefined;
    start = lines.previousLineStart(start)
  ) {
    const line = text.slice(start, lineEnd(text, start));
    if (/^---(?:[ \t]|$)/.test(line)) return start;
    const blank = /^[ \t]*(?:#.*)?$/.test(line) || line.startsWith('%');
    if (!blank && start !== lines.lineStart(offset)) break;
  }
  return offset;
}

function lineEnd(text: string, start: number): number {
  let i = start;
  while (i < text.length && text[i] !== '\n' && text[i] !== '\r') i++;
  return i;
}

function nearest(positions: Map<string, SourcePosition>, pointer: string): SourcePosition {
  for (let current = pointer; ; current = current.slice(0, current.lastIndexOf('/'))) {
    const found = positions.get(current);
    if (found) return found;
    if (current === '') return { line: 1, column: 1 };
  }
}

function toSourceError(thrown: unknown, lines: LineIndex, limits: ParseLimits): SourceError {
  if (thrown instanceof LimitExceeded)
    return new SourceError(thrown.message, lines.at(thrown.offset), '', 'limit-exceeded');
  if (thrown instanceof BadEscape)
    return new SourceError(thrown.message, lines.at(thrown.offset), '', 'not-unicode');
  if (thrown instanceof RangeError) {
    return new SourceError(
      `nesting deeper than ${limits.maxDepth} levels`,
      { line: 1, column: 1 },
      '',
      'limit-exceeded',
    );
  }
  if (thrown instanceof yaml.YAMLException) {
    const mark = thrown.mark as { line?: number; column?: number; position?: number } | undefined;
    const position =
      typeof mark?.position === 'number'
        ? lines.at(mark.position)
        : { line: (mark?.line ?? 0) + 1, column: (mark?.column ?? 0) + 1 };
    const reason = thrown.reason || thrown.message;
    if (/nesting exceeded maxDepth/.test(reason))
      return new SourceError(
        `nesting deeper than ${limits.maxDepth} levels`,
        position,
        '',
        'limit-exceeded',
      );
    const code = /duplicated mapping key/.test(reason) ? 'duplicate-key' : 'parse-error';
    return new SourceError(code === 'duplicate-key' ? 'duplicate key' : reason, position, '', code);
  }
  return new SourceError(thrown instanceof Error ? thrown.message : String(thrown), {
    line: 1,
    column: 1,
  });
}

/** An escape in a double-quoted scalar that names no Unicode character, at its backslash. */
class BadEscape extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
  }
}

/**
 * YAML 1.2 (§5.7) lets a double-quoted scalar spell a character as `\UXXXXXXXX`, but only
 * up to U+10FFFF, the last code point: js-yaml turns a larger value into some other
 * character (`\U0401F600` into U+1F600) without a word. So every double-quoted scalar
 * (after its tag and anchor, between `start` and `end`) is read once more for its escapes.
 */
function checkEscapes(text: string, start: number, end: number): void {
  let i = start;
  while ((text[i] === '!' || text[i] === '&') && i < end) {
    while (i < end && !/[ \t\r\n]/.test(text[i] as string)) i++;
    i = skipInsignificant(text, i);
  }
  if (text[i] !== '"') return;
  for (i++; i < end && text[i] !== '"'; i++) {
    if (text[i] !== '\\') continue;
    if (text[i + 1] === 'U') {
      const hex = text.slice(i + 2, i + 10);
      if (/^[0-9A-Fa-f]{8}$/.test(hex) && Number.parseInt(hex, 16) > 0x10ffff) {
        throw new BadEscape(
          `the escape \\U${hex} names no Unicode character (code points end at U+10FFFF)`,
          i,
        );
      }
    }
    i++; // the escaped character, so an escaped quote or backslash is not read again
  }
}

/** A value the document holds that cannot be trusted, with its pointer. */
interface ValueProblem {
  pointer: string;
  message: string;
  code: 'inexact-number' | 'not-unicode';
}

/**
 * Counts values with aliases expanded, up to the limit: js-yaml shares aliased
 * objects, so a "billion laughs" document parses small but would explode when
 * serialised for the policy. Also bounds depth for documents built from aliases,
 * and finds the first inexact number or string that is not Unicode text (a lone
 * surrogate from an escape, in a value or a key), with its pointer, to locate it.
 * A bad key is located by its object: its own pointer would carry the bad string.
 */
function checkSize(
  value: unknown,
  limits: ParseLimits,
  lines: LineIndex,
): ValueProblem | undefined {
  let nodes = 0;
  let problem: ValueProblem | undefined;
  const visit = (current: unknown, depth: number, pointer: string): void => {
    if (++nodes > limits.maxNodes) {
      throw new SourceError(
        `more than ${limits.maxNodes} values once aliases are expanded`,
        lines.at(0),
        '',
        'limit-exceeded',
      );
    }
    if (depth > limits.maxDepth)
      throw new SourceError(
        `nesting deeper than ${limits.maxDepth} levels`,
        lines.at(0),
        '',
        'limit-exceeded',
      );
    if (current instanceof InexactNumber) {
      problem ??= { pointer, message: `number ${current.problem}`, code: 'inexact-number' };
    } else if (typeof current === 'string') {
      if (hasLoneSurrogate(current))
        problem ??= {
          pointer,
          message: loneSurrogateProblem(current, 'string'),
          code: 'not-unicode',
        };
    } else if (current !== null && typeof current === 'object') {
      for (const [key, child] of Object.entries(current as Record<string, unknown>)) {
        if (hasLoneSurrogate(key)) {
          problem ??= { pointer, message: loneSurrogateProblem(key, 'key'), code: 'not-unicode' };
          continue;
        }
        visit(child, depth + 1, joinPointer(pointer, key));
      }
    }
  };
  visit(value, 0, '');
  return problem;
}

/** js-yaml reports where a node's composition began: skip spaces, line breaks and comments. */
function skipInsignificant(text: string, offset: number): number {
  let i = offset;
  while (i < text.length) {
    const c = text[i];
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') i++;
    else if (c === '#') while (i < text.length && text[i] !== '\n' && text[i] !== '\r') i++;
    else break;
  }
  return i;
}
