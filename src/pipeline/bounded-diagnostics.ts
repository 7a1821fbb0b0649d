import type { EvidenceFinding } from '../core/finding.js';
import { clampText } from '../core/text/clamp.js';
import { redactSecrets } from '../core/text/redact.js';

/** The most diagnostics kept per file: a file with 100,000 unknown keys is not 100,000 findings' worth of output. */
const MAX_PER_FILE = 100;

/** The first diagnostics of a file, and one that says how many more there were. */
export function capped(diagnostics: EvidenceFinding[]): EvidenceFinding[] {
  if (diagnostics.length <= MAX_PER_FILE) return diagnostics;
  const kept = diagnostics.slice(0, MAX_PER_FILE - 1);
  const first = diagnostics[0] as EvidenceFinding;
  const more = diagnostics.length - kept.length;
  return [
    ...kept,
    {
      ...first,
      severity: 'error',
      code: 'limit-exceeded',
      pointer: '',
      message: `and ${more} more problems in this file, not listed (at most ${MAX_PER_FILE} per file)`,
    },
  ];
}

/** The longest diagnostic message kept: messages quote evidence, which may be huge. */
const MAX_MESSAGE = 1000;

/**
 * EvidenceFinding messages quote evidence (an unknown key, a bad value, a duplicate key),
 * so credentials are redacted where the message is made, not only when printed:
 * the policy sees these messages too, and may quote them in its reasons.
 */
export function sanitize(d: EvidenceFinding): EvidenceFinding {
  return { ...d, message: clampText(redactSecrets(d.message), MAX_MESSAGE) };
}
