/**
 * The UTC day of a timestamp an artifact carries: ISO 8601 with or without an offset
 * (no offset is read as UTC, as JUnit writers that omit it run in UTC on CI), or
 * milliseconds since the epoch (CTRF). Undefined when it is not one.
 */
export function utcDay(value: unknown): string | undefined {
  let date: Date;
  if (typeof value === 'number' && Number.isFinite(value)) date = new Date(value);
  else if (
    typeof value === 'string' &&
    /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/.test(value.trim())
  ) {
    const text = value.trim();
    const zoned = /T/.test(text) && !/(Z|[+-]\d{2}:?\d{2})$/.test(text) ? `${text}Z` : text;
    date = new Date(zoned);
  } else return undefined;
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString().slice(0, 10);
}

/** The later of two YYYY-MM-DD days (either may be absent). */
export function laterDay(a: string | undefined, b: string | undefined): string | undefined {
  if (!a) return b;
  if (!b) return a;
  return b > a ? b : a;
}

/** A git commit id as artifacts write it: 7 to 64 hex digits (SHA-1 or SHA-256), lower-cased. */
export function revisionOf(value: unknown): string | undefined {
  return typeof value === 'string' && /^[0-9a-fA-F]{7,64}$/.test(value.trim())
    ? value.trim().toLowerCase()
    : undefined;
}
