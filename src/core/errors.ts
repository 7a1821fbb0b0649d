/**
 * Raised when prodgate cannot evaluate at all (bad option, missing evidence folder,
 * missing or corrupt policy bundle). The CLI maps it to exit code 2; everything that
 * is wrong *inside* evidence is a diagnostic instead, and ends in NO-GO, never here.
 */
export class CannotEvaluateError extends Error {
  override readonly name = 'CannotEvaluateError';
}

/** Turns anything thrown (opa-wasm throws strings and plain objects) into a message. */
export function messageOf(thrown: unknown): string {
  if (thrown instanceof Error) return thrown.message;
  if (typeof thrown === 'string') return thrown;
  if (thrown && typeof thrown === 'object') {
    const { message } = thrown as { message?: unknown };
    if (typeof message === 'string') return message;
    try {
      return JSON.stringify(thrown);
    } catch {
      return Object.prototype.toString.call(thrown);
    }
  }
  return String(thrown);
}
