import yaml from 'js-yaml';
import { joinPointer, type SourcePosition } from '../diagnostics.js';
import { LineIndex } from './line-index.js';
import { SourceError, type ParsedDocument, type ParseLimits } from './parsed-document.js';

/** A node as js-yaml composes it: where it opened, its scalar result, its children. */
interface ComposedNode {
  open: number;
  result: unknown;
  children: ComposedNode[];
}

/**
 * Parses YAML with js-yaml's CORE_SCHEMA, which is YAML 1.2's core schema: values stay
 * as written (`2025-01-01` and `NO` are strings, no `<<` merge, no timestamps), and an
 * unknown tag or a duplicate key is an error. js-yaml has no position API, so its
 * node listener is used to rebuild the tree of node start offsets beside the value.
 */
export function parseYaml(text: string, limits: ParseLimits): ParsedDocument {
  const lines = new LineIndex(text);
  const stack: ComposedNode[] = [{ open: 0, result: undefined, children: [] }];
  let value: unknown;
  try {
    value = yaml.load(text, {
      schema: yaml.CORE_SCHEMA,
      json: false,
      listener(event, state) {
        if (event === 'open') {
          // Every nesting level opens one node (keys close before their values open).
          if (stack.length > limits.maxDepth + 2) throw new DepthExceeded();
          stack.push({ open: state.position, result: undefined, children: [] });
        } else {
          const node = stack.pop();
          if (!node) return;
          node.result = state.result;
          stack[stack.length - 1]?.children.push(node);
        }
      },
    });
  } catch (thrown) {
    throw toSourceError(thrown, lines, limits);
  }

  checkSize(value, limits, lines);

  const positions = new Map<string, SourcePosition>();
  const startOf = (node: ComposedNode): SourcePosition => lines.at(skipInsignificant(text, node.open));
  const walk = (node: ComposedNode, current: unknown, pointer: string): void => {
    if (!positions.has(pointer)) positions.set(pointer, startOf(node));
    if (Array.isArray(current)) {
      if (node.children.length !== current.length) return; // alias or unusual form: ancestors locate it
      node.children.forEach((child, index) => walk(child, current[index], joinPointer(pointer, index)));
    } else if (current !== null && typeof current === 'object') {
      const members = current as Record<string, unknown>;
      for (let k = 0; k + 1 < node.children.length; k += 2) {
        const keyNode = node.children[k] as ComposedNode;
        const key = String(keyNode.result);
        if (!Object.prototype.hasOwnProperty.call(members, key)) continue;
        const child = joinPointer(pointer, key);
        positions.set(child, startOf(keyNode));
        walk(node.children[k + 1] as ComposedNode, members[key], child);
      }
    }
  };
  const root = stack[0]?.children[0];
  if (root) walk(root, value, '');
  else positions.set('', { line: 1, column: 1 });
  return { value, positions };
}

class DepthExceeded extends Error {}

function toSourceError(thrown: unknown, lines: LineIndex, limits: ParseLimits): SourceError {
  if (thrown instanceof DepthExceeded || thrown instanceof RangeError) {
    return new SourceError(`nesting deeper than ${limits.maxDepth} levels`, { line: 1, column: 1 }, '', 'limit-exceeded');
  }
  if (thrown instanceof yaml.YAMLException) {
    const mark = thrown.mark as { line?: number; column?: number; position?: number } | undefined;
    const position = typeof mark?.position === 'number' ? lines.at(mark.position) : { line: (mark?.line ?? 0) + 1, column: (mark?.column ?? 0) + 1 };
    const reason = thrown.reason || thrown.message;
    const code = /duplicated mapping key/.test(reason) ? 'duplicate-key' : 'parse-error';
    return new SourceError(code === 'duplicate-key' ? 'duplicate key' : reason, position, '', code);
  }
  return new SourceError(thrown instanceof Error ? thrown.message : String(thrown), { line: 1, column: 1 });
}

/**
 * Counts values with aliases expanded, up to the limit: js-yaml shares aliased
 * objects, so a "billion laughs" document parses small but would explode when
 * serialised for the policy. Also bounds depth for documents built from aliases.
 */
function checkSize(value: unknown, limits: ParseLimits, lines: LineIndex): void {
  let nodes = 0;
  const visit = (current: unknown, depth: number): void => {
    if (++nodes > limits.maxNodes) {
      throw new SourceError(`more than ${limits.maxNodes} values once aliases are expanded`, lines.at(0), '', 'limit-exceeded');
    }
    if (depth > limits.maxDepth) throw new SourceError(`nesting deeper than ${limits.maxDepth} levels`, lines.at(0), '', 'limit-exceeded');
    if (current !== null && typeof current === 'object') {
      for (const child of Object.values(current as Record<string, unknown>)) visit(child, depth + 1);
    }
  };
  visit(value, 0);
}

/** js-yaml reports where a node's composition began: skip spaces, line breaks and comments. */
function skipInsignificant(text: string, offset: number): number {
  let i = offset;
  while (i < text.length) {
    const c = text[i];
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') i++;
    else if (c === '#') while (i < text.length && text[i] !== '\n') i++;
    else break;
  }
  return i;
}
