// Renders an evidence schema as a starter YAML file: every field, each documented
// above it from the schema's description, with an empty value. Empty is null, which
// the schema rejects, so a starter file can never pass a gate until it is filled in.

import { escapeTerminal } from '../core/text/escape.js';

/** The parts of a JSON Schema node the starter reads. */
export interface SchemaNode {
  title?: string;
  description?: string;
  type?: string | string[];
  const?: unknown;
  enum?: unknown[];
  format?: string;
  pattern?: string;
  $ref?: string;
  properties?: Record<string, SchemaNode>;
  required?: string[];
  items?: SchemaNode;
  oneOf?: SchemaNode[];
  anyOf?: SchemaNode[];
  /** A fact that may be claimed (else) or recorded from an artifact (then, when recordedBy is given). */
  else?: SchemaNode;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  'x-prodgate-link'?: boolean;
  $defs?: Record<string, SchemaNode>;
}

const WIDTH = 100;
const MAX_DEPTH = 8;

export interface StarterOptions {
  kind: string;
  /** The schema's path relative to the file being written, for the modeline. */
  schemaRef: string;
  /** The command that wrote it, for the header. */
  command: string;
}

export function renderStarter(schema: SchemaNode, options: StarterOptions): string {
  const out: string[] = [`# yaml-language-server: $schema=${options.schemaRef}`];
  if (schema.title) out.push(...comment(schema.title, ''));
  if (schema.description) out.push(...comment(schema.description, ''));
  out.push(
    '#',
    ...comment(
      `Written by \`${options.command}\`. Every field is documented from its schema. An empty value is null, which the schema rejects: prodgate reports this file invalid (and the gates that read it as error) until each field is filled in, or an optional one deleted.`,
      '',
    ),
  );
  const defs = schema.$defs ?? {};
  const required = new Set(schema.required ?? []);
  for (const [name, prop] of Object.entries(schema.properties ?? {})) {
    if (name === '$schema') continue;
    if (name === 'kind' || name === 'schemaVersion') {
      out.push(`${name}: ${yamlValue(prop.const ?? (name === 'kind' ? options.kind : 1))}`);
      continue;
    }
    out.push('');
    out.push(...field(name, prop, required.has(name), '', defs, 0));
  }
  return `${out.join('\n')}\n`;
}

/** One field: its documentation, then `name:` and, for an object or a list of objects, its fields. */
function field(
  name: string,
  raw: SchemaNode,
  required: boolean,
  indent: string,
  defs: Record<string, SchemaNode>,
  depth: number,
): string[] {
  const node = resolve(raw, defs);
  const doc = [
    node.description ?? '',
    hint(node, defs),
    required ? '(required)' : '(optional: delete it if it does not apply)',
  ]
    .filter(Boolean)
    .join(' ');
  const lines = comment(doc, indent);
  const key = `${indent}${yamlKey(name)}:`;
  if (node.const !== undefined) return [...lines, `${key} ${yamlValue(node.const)}`];
  const object = objectShape(node, defs);
  if (object && depth < MAX_DEPTH)
    return [...lines, key, ...fields(object, `${indent}  `, defs, depth + 1)];
  const items = node.items ? resolve(node.items, defs) : undefined;
  const itemObject = items ? objectShape(items, defs) : undefined;
  if (items && itemObject && depth < MAX_DEPTH) {
    const entry = fields(itemObject, `${indent}    `, defs, depth + 1);
    // `- # comment` then the entry's keys, indented under the dash
    return [
      ...lines,
      key,
      ...comment(`each entry: ${items.description ?? 'one item'}`, `${indent}  `),
      `${indent}  - # one entry; repeat the block for each`,
      ...entry,
    ];
  }
  if (items)
    return [
      ...lines,
      ...comment(
        `a list, one "- value" line per entry: ${items.description ?? ''}${hint(items, defs) ? ` ${hint(items, defs)}` : ''}`.trim(),
        indent,
      ),
      key,
    ];
  return [...lines, key];
}

function fields(
  node: SchemaNode,
  indent: string,
  defs: Record<string, SchemaNode>,
  depth: number,
): string[] {
  const required = new Set(node.required ?? []);
  return Object.entries(node.properties ?? {}).flatMap(([name, prop]) =>
    field(name, prop, required.has(name), indent, defs, depth),
  );
}

/** The object a node describes: itself, its claimed form (if/then/else), or the first branch of a oneOf/anyOf of objects. */
function objectShape(node: SchemaNode, defs: Record<string, SchemaNode>): SchemaNode | undefined {
  if (node.properties) return node;
  if (node.else) return objectShape(resolve(node.else, defs), defs);
  const branch = (node.oneOf ?? node.anyOf ?? [])
    .map((b) => resolve(b, defs))
    .find((b) => b.properties);
  return branch;
}

function resolve(node: SchemaNode, defs: Record<string, SchemaNode>): SchemaNode {
  if (!node.$ref) return node;
  const target = defs[node.$ref.replace('#/$defs/', '')] ?? {};
  // the property's own words win over the shared definition's
  return { ...target, ...node, description: node.description ?? target.description ?? '' };
}

/** What kind of value to write, in words: the enum, a date, a link, a number... */
function hint(node: SchemaNode, defs: Record<string, SchemaNode>): string {
  const alternatives = node.oneOf ?? node.anyOf;
  if (alternatives && alternatives.length > 1) {
    return `One of: ${alternatives.map((b, i) => `(${i + 1}) ${resolve(b, defs).description ?? 'see the schema'}`).join(' ')} The fields below are the first.`;
  }
  if (node.enum) return `One of: ${node.enum.map((v) => String(v)).join(', ')}.`;
  if (node['x-prodgate-link'])
    return 'A repository-relative path to an existing file, or an https URL.';
  if (node.format === 'date' || /\[0-9\]\{4\}-/.test(node.pattern ?? ''))
    return 'A date, YYYY-MM-DD.';
  const type = Array.isArray(node.type) ? node.type[0] : node.type;
  if (type === 'boolean') return 'true or false.';
  if (type === 'integer') return 'A whole number.';
  if (type === 'number') return 'A number.';
  return '';
}

/** Wraps text into `# ` comment lines at an indent. */
export function comment(text: string, indent: string): string[] {
  // Schema text is pack text, and a pack may come from elsewhere: a control, bidi or
  // separator character (ESC, U+202E, NEL, U+2028) would reach the starter file and
  // every terminal and editor that shows it raw. Each becomes a visible `\u....` escape.
  const words = escapeTerminal(text.replace(/\s+/g, ' ').trim()).split(' ');
  const lines: string[] = [];
  let line = '';
  for (const word of words) {
    if (line && indent.length + 2 + line.length + 1 + word.length > WIDTH) {
      lines.push(`${indent}# ${line}`);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(`${indent}# ${line}`);
  return lines;
}

function yamlKey(name: string): string {
  return /^[A-Za-z_][A-Za-z0-9_-]*$/.test(name) ? name : yamlQuoted(name);
}

function yamlValue(value: unknown): string {
  return typeof value === 'string' && /^[A-Za-z][A-Za-z0-9_-]*$/.test(value)
    ? value
    : yamlQuoted(value);
}

// What JSON.stringify leaves raw but a reader must not see raw: DEL, C1 controls (NEL),
// format characters (bidi controls, zero-width, tag characters), line and paragraph separators.
const RAW_IN_JSON = /[\u007f-\u009f\p{Cf}\u2028\u2029]/gu;

/**
 * A YAML 1.2 double-quoted scalar with the same value: JSON's escapes (valid YAML), and
 * the characters above as `\uXXXX` / `\UXXXXXXXX` escapes, so the key or value loads as
 * the schema wrote it and reads as it is.
 */
function yamlQuoted(value: unknown): string {
  return (JSON.stringify(value) ?? 'null').replace(RAW_IN_JSON, (c) => {
    const code = c.codePointAt(0) ?? 0;
    return code > 0xffff
      ? `\\U${code.toString(16).padStart(8, '0')}`
      : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}
