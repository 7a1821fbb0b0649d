import { pointerTokens } from './json-pointer.js';

/**
 * The checklist template's markers:
 *   `<!-- gate: ID -->` at the end of a line ties that line to a gate; alone on a
 *     line it becomes a status line for a section without checkboxes.
 *   `<!-- prodgate:header -->` alone on a line becomes the verdict header.
 *   `{{kind:/json/pointer}}` is filled from evidence (`*` maps over a list);
 *   `{{... ?? text}}` gives the text when the value is absent; `{{...|bullets}}`
 *   repeats the line once per value; `{{@env}}` is the evaluated environment.
 */
export const GATE_MARKER = /\s*<!-- gate: ([a-z0-9.-]+) -->\s*$/;
export const HEADER_MARKER = /^\s*<!-- prodgate:header -->\s*$/;
export const FILL = /\{\{\s*([^}]+?)\s*\}\}/g;

export function templateGateIds(template: string): string[] {
  const ids: string[] = [];
  for (const line of template.split('\n')) {
    const m = GATE_MARKER.exec(line);
    if (m?.[1]) ids.push(m[1]);
  }
  return ids;
}

export interface FillSpec {
  kind: string;
  pointer: string;
  fallback?: string;
  bullets: boolean;
}

/** Parses the inside of `{{ }}`: `kind:/pointer`, an optional `?? fallback`, an optional `|bullets`. */
export function parseFill(spec: string): FillSpec | { builtin: string } {
  if (spec.startsWith('@')) return { builtin: spec.slice(1) };
  let rest = spec;
  let bullets = false;
  if (rest.endsWith('|bullets')) {
    bullets = true;
    rest = rest.slice(0, -'|bullets'.length);
  }
  let fallback: string | undefined;
  const alt = rest.indexOf('??');
  if (alt >= 0) {
    fallback = rest.slice(alt + 2).trim();
    rest = rest.slice(0, alt).trim();
  }
  const colon = rest.indexOf(':');
  return {
    kind: rest.slice(0, colon),
    pointer: rest.slice(colon + 1),
    bullets,
    ...(fallback !== undefined ? { fallback } : {}),
  };
}

/** Values at a pointer; a `*` token maps over every item of a list or object. */
export function valuesAt(data: unknown, pointer: string): unknown[] {
  const tokens = pointerTokens(pointer);
  let current: unknown[] = [data];
  for (const token of tokens) {
    const next: unknown[] = [];
    for (const value of current) {
      if (value === null || typeof value !== 'object') continue;
      if (token === '*') next.push(...Object.values(value as Record<string, unknown>));
      else if (Object.hasOwn(value, token)) next.push((value as Record<string, unknown>)[token]);
    }
    current = next;
  }
  return current.filter((v) => v !== undefined && v !== null);
}
