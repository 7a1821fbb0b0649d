/** A git commit id as artifacts write it: 7 to 64 hex digits (SHA-1 or SHA-256), lower-cased. */
export function revisionOf(value: unknown): string | undefined {
  return typeof value === 'string' && /^[0-9a-fA-F]{7,64}$/.test(value.trim())
    ? value.trim().toLowerCase()
    : undefined;
}
