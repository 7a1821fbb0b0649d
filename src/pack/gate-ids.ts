import { escapeTerminal } from '../core/text/escape.js';

/**
 * Gate ids: `section.name` or `section.name.child`, lowercase letters, digits and
 * hyphens. The id is the contract between the template, the policies, the report and
 * waivers, so its shape is checked everywhere it is written.
 */
export const GATE_ID = /^[a-z][a-z0-9]*(?:-[a-z0-9]+)*(?:\.[a-z0-9]+(?:-[a-z0-9]+)*){1,2}$/;

export const SEVERITIES = ['critical', 'high', 'medium', 'low'] as const;

/** Why an id breaks the naming convention, or undefined when it follows it. */
export function gateIdProblem(id: string): string | undefined {
  if (GATE_ID.test(id)) return undefined;
  return `gate id "${escapeTerminal(id)}" must be section.name or section.name.child: lowercase letters, digits and single hyphens, the section starting with a letter`;
}

export function sectionOf(id: string): string {
  return id.split('.')[0] ?? id;
}

/** The parent a child id implies (`ops.dr.tabletop` -> `ops.dr`); undefined for a top-level gate. */
export function impliedParent(id: string): string | undefined {
  const segments = id.split('.');
  return segments.length === 3 ? segments.slice(0, 2).join('.') : undefined;
}
