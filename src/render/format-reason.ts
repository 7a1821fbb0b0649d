import type { EvidenceRef, GateStatus, GateVerdict, Reason } from '../decide/verdict.js';

export const STATUS_LABEL: Record<GateStatus, string> = { pass: 'PASS', fail: 'FAIL', na: 'N/A', waived: 'WAIVED', error: 'ERROR' };

/** `security.yaml:12:5 /cors/trustedOrigins/0`: where a reason's evidence is. */
export function formatRef(ref: EvidenceRef): string {
  const at = ref.line ? `${ref.file}:${ref.line}:${ref.column ?? 1}` : ref.file;
  return ref.pointer ? `${at} ${ref.pointer}` : at;
}

export function formatReason(reason: Reason): string {
  const refs = reason.evidence.map(formatRef);
  return refs.length ? `${reason.message} (${refs.join(', ')})` : reason.message;
}

/** The first reasons of a gate, and how many more there are. */
export function leadingReasons(gate: GateVerdict, limit = 2): { shown: Reason[]; more: number } {
  return { shown: gate.reasons.slice(0, limit), more: Math.max(0, gate.reasons.length - limit) };
}

/** Plain text safe inside a Markdown line: no line breaks, markup characters escaped. */
export function markdownText(text: string): string {
  return text.replace(/\s*[\r\n]+\s*/g, ' ').replace(/([\\`*_[\]<>|#])/g, '\\$1');
}
