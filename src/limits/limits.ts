/**
 * Bounds that keep a hostile evidence bundle from exhausting time or memory. Every
 * bound, when exceeded, becomes a `limit-exceeded` diagnostic naming the file and
 * the limit (so the verdict is NO-GO), never a crash. The defaults are generous for
 * real evidence (the schemas cap strings at 2,048 characters and lists at 500 items)
 * and small enough that the worst bundle they admit evaluates in seconds.
 */
export interface Limits {
  /** Largest evidence file read, in bytes (`--max-file-size`). */
  maxFileBytes: number;
  /** Most entries in the evidence folder (`--max-files`); a larger folder is not read at all. */
  maxFiles: number;
  /** Deepest nesting of objects and lists in one document (`--max-depth`). */
  maxDepth: number;
  /** Most YAML aliases (`*name`) in one document (`--max-aliases`). */
  maxAliases: number;
  /** Longest string, key or value, in characters (`--max-string-length`). */
  maxStringLength: number;
  /** Most bytes read over the whole bundle (`--max-bundle-size`). */
  maxBundleBytes: number;
  /** Most values in one document once aliases are expanded (bounds alias bombs); library only. */
  maxNodes: number;
}

export const DEFAULT_LIMITS: Readonly<Limits> = Object.freeze({
  maxFileBytes: 1024 * 1024,
  maxFiles: 200,
  maxDepth: 64,
  maxAliases: 100,
  maxStringLength: 16 * 1024,
  maxBundleBytes: 8 * 1024 * 1024,
  maxNodes: 100_000,
});

/** A limit as the CLI exposes it: its flag, what it bounds, and whether it is a size. */
export interface LimitFlag {
  key: keyof Limits;
  flag: string;
  description: string;
  size: boolean;
}

export const LIMIT_FLAGS: readonly LimitFlag[] = [
  { key: 'maxFileBytes', flag: '--max-file-size', description: 'largest evidence file read, in bytes (K/M suffixes allowed)', size: true },
  { key: 'maxFiles', flag: '--max-files', description: 'most entries in the evidence folder', size: false },
  { key: 'maxDepth', flag: '--max-depth', description: 'deepest nesting of objects and lists in a file', size: false },
  { key: 'maxAliases', flag: '--max-aliases', description: 'most YAML aliases (*name) in a file', size: false },
  { key: 'maxStringLength', flag: '--max-string-length', description: 'longest string or key, in characters', size: false },
  { key: 'maxBundleBytes', flag: '--max-bundle-size', description: 'most bytes read over the whole bundle (K/M suffixes allowed)', size: true },
];

const UNITS: Record<string, number> = { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 };

/**
 * Parses a limit: a positive whole number, for sizes optionally with K, M or G
 * (binary multiples). Returns undefined when the text is not one; the CLI reports it.
 */
export function parseLimit(text: string, size: boolean): number | undefined {
  const m = /^([1-9][0-9]{0,12})([kKmMgG]?)(?:i?[bB])?$/.exec(text.trim());
  if (!m || (!size && (m[2] || text.trim() !== m[1]))) return undefined;
  const value = Number(m[1]) * (UNITS[(m[2] ?? '').toLowerCase()] ?? 1);
  return Number.isSafeInteger(value) ? value : undefined;
}

/** Returns the problems of a limits object (every field a positive safe integer). */
export function limitProblems(limits: Limits): string[] {
  return (Object.keys(DEFAULT_LIMITS) as (keyof Limits)[])
    .filter((key) => !Number.isSafeInteger(limits[key]) || limits[key] < 1)
    .map((key) => `limit ${key} must be a positive whole number, got ${String(limits[key])}`);
}
