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
  /**
   * Most values in one document once aliases are expanded (bounds alias bombs)
   * (`--max-nodes`). When not given, it grows with the file size limit (defaultMaxNodes).
   */
  maxNodes: number;
  /**
   * Ceiling of the policy's WebAssembly memory, in bytes (`--max-wasm-memory`): how far a
   * policy may grow it. An input always gets the memory its size needs, even above this
   * (the input is bounded by the size limits); at most 4 GiB, WebAssembly's own bound.
   */
  maxWasmMemory: number;
}

export const DEFAULT_LIMITS: Readonly<Limits> = Object.freeze({
  maxFileBytes: 1024 * 1024,
  maxFiles: 200,
  maxDepth: 64,
  maxAliases: 100,
  maxStringLength: 16 * 1024,
  maxBundleBytes: 8 * 1024 * 1024,
  maxNodes: 100_000,
  maxWasmMemory: 256 * 1024 * 1024,
});

/**
 * The node bound when none is given: the default per default file size (100,000 values
 * per MiB), scaled with `--max-file-size` when that is raised, so that raising the file
 * size alone admits a file of that size. An alias bomb still cannot expand past a fixed
 * multiple of the largest file admitted.
 */
export function defaultMaxNodes(maxFileBytes: number): number {
  return Math.max(
    DEFAULT_LIMITS.maxNodes,
    Math.floor((DEFAULT_LIMITS.maxNodes * maxFileBytes) / DEFAULT_LIMITS.maxFileBytes),
  );
}

/** WebAssembly's 32-bit memory bound. */
const WASM_MEMORY_BOUND = 4 * 1024 ** 3;

/** A limit as the CLI exposes it: its flag, what it bounds, and whether it is a size. */
export interface LimitFlag {
  key: keyof Limits;
  flag: string;
  description: string;
  size: boolean;
  /** For a bound whose default depends on another: the default as --help says it (the flag then has no fixed default). */
  derivedDefault?: string;
}

export const LIMIT_FLAGS: readonly LimitFlag[] = [
  {
    key: 'maxFileBytes',
    flag: '--max-file-size',
    description: 'largest evidence file read, in bytes (K/M suffixes allowed)',
    size: true,
  },
  {
    key: 'maxFiles',
    flag: '--max-files',
    description: 'most entries in the evidence folder',
    size: false,
  },
  {
    key: 'maxDepth',
    flag: '--max-depth',
    description: 'deepest nesting of objects and lists in a file',
    size: false,
  },
  {
    key: 'maxAliases',
    flag: '--max-aliases',
    description: 'most YAML aliases (*name) in a file',
    size: false,
  },
  {
    key: 'maxStringLength',
    flag: '--max-string-length',
    description: 'longest string or key, in characters',
    size: false,
  },
  {
    key: 'maxBundleBytes',
    flag: '--max-bundle-size',
    description: 'most bytes read over the whole bundle (K/M suffixes allowed)',
    size: true,
  },
  {
    key: 'maxNodes',
    flag: '--max-nodes',
    description: 'most values (keys and values) in a file once YAML aliases are expanded',
    size: false,
    derivedDefault: `${DEFAULT_LIMITS.maxNodes} per MiB of --max-file-size, at least ${DEFAULT_LIMITS.maxNodes}`,
  },
  {
    key: 'maxWasmMemory',
    flag: '--max-wasm-memory',
    description:
      "ceiling of the policy's WebAssembly memory (K/M/G suffixes allowed); an input always gets what its size needs, up to 4G",
    size: true,
  },
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
  const problems = (Object.keys(DEFAULT_LIMITS) as (keyof Limits)[])
    .filter((key) => !Number.isSafeInteger(limits[key]) || limits[key] < 1)
    .map((key) => `limit ${key} must be a positive whole number, got ${String(limits[key])}`);
  if (limits.maxWasmMemory > WASM_MEMORY_BOUND)
    problems.push(
      `limit maxWasmMemory must be at most 4 GiB (${WASM_MEMORY_BOUND}), got ${limits.maxWasmMemory}`,
    );
  return problems;
}
