import type { EvidenceRef, GateStatus, GateVerdict, Reason } from '../decide/verdict.js';
import { escapeMarkdown, flattenLines } from '../core/text/escape.js';
import { clampText } from '../core/text/clamp.js';
import { redactSecrets } from '../core/text/redact.js';

export const STATUS_LABEL: Record<GateStatus, string> = {
  pass: 'PASS',
  fail: 'FAIL',
  na: 'N/A',
  waived: 'WAIVED',
  error: 'ERROR',
};

/** `security.yaml:12:5 /cors/trustedOrigins/0`: where a reason's evidence is. */
export function formatRef(ref: EvidenceRef): string {
  const at = ref.line ? `${ref.file}:${ref.line}:${ref.column ?? 1}` : ref.file;
  return ref.pointer ? `${at} ${ref.pointer}` : at;
}

/** A reason on one line, credentials redacted, long evidence values cut short. */
export function formatReason(reason: Reason): string {
  const refs = reason.evidence.map(formatRef);
  const text = refs.length ? `${reason.message} (${refs.join(', ')})` : reason.message;
  return clampText(singleLine(redactSecrets(text)), MAX_LINE);
}

/** Text on one line: a whitespace run holding a line break becomes one space, other controls are escaped. */
export function singleLine(text: string): string {
  return flattenLines(text);
}

/** The longest reason a checklist line or a terminal line shows; the report has it whole. */
const MAX_LINE = 2000;

/** The first reasons of a gate, and how many more there are. */
export function leadingReasons(gate: GateVerdict, limit = 2): { shown: Reason[]; more: number } {
  return { shown: gate.reasons.slice(0, limit), more: Math.max(0, gate.reasons.length - limit) };
}

/** Plain text safe inside a Markdown line: credentials redacted, then escaped for Markdown (src/core/text/escape.ts). */
export function markdownText(text: string): string {
  return escapeMarkdown(redactSecrets(text));
}
