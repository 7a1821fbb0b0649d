/**
 * Bounds on reading one artifact, like the evidence limits (src/core/limits.ts):
 * exceeding one is a located `limit-exceeded` error on the artifact, never a crash.
 * The defaults admit a 100,000-test JUnit report and keep the worst one admitted
 * inside seconds and well under a GiB (docs/performance.md, scripts/bench-collect.mjs).
 */
export interface ArtifactLimits {
  /** Largest artifact read, in bytes (`--max-artifact-size`). */
  maxArtifactBytes: number;
  /** Most XML elements or JSON values in one artifact (`--max-artifact-nodes`). */
  maxArtifactNodes: number;
  /** Most test cases in one test report (`--max-test-cases`). */
  maxTestCases: number;
  /** Most results (findings) in one scan report (`--max-results`). */
  maxResults: number;
  /** Deepest nesting of elements or values. */
  maxArtifactDepth: number;
  /** Longest attribute or JSON string kept, in characters. */
  maxArtifactString: number;
}

export const DEFAULT_ARTIFACT_LIMITS: Readonly<ArtifactLimits> = Object.freeze({
  maxArtifactBytes: 64 * 1024 * 1024,
  maxArtifactNodes: 2_000_000,
  maxTestCases: 200_000,
  maxResults: 100_000,
  maxArtifactDepth: 64,
  maxArtifactString: 1024 * 1024,
});

/** The CLI flags of the artifact limits. */
export const ARTIFACT_LIMIT_FLAGS: readonly {
  key: keyof ArtifactLimits;
  flag: string;
  description: string;
  size: boolean;
}[] = [
  {
    key: 'maxArtifactBytes',
    flag: '--max-artifact-size',
    description: 'largest artifact read, in bytes (K/M/G suffixes allowed)',
    size: true,
  },
  {
    key: 'maxArtifactNodes',
    flag: '--max-artifact-nodes',
    description: 'most XML elements or JSON values in one artifact',
    size: false,
  },
  {
    key: 'maxTestCases',
    flag: '--max-test-cases',
    description: 'most test cases in one test report',
    size: false,
  },
  {
    key: 'maxResults',
    flag: '--max-results',
    description: 'most results in one scan report',
    size: false,
  },
];

export function resolveArtifactLimits(given: Partial<ArtifactLimits> = {}): ArtifactLimits {
  const out: ArtifactLimits = { ...DEFAULT_ARTIFACT_LIMITS };
  for (const key of Object.keys(out) as (keyof ArtifactLimits)[]) {
    const v = given[key];
    if (v !== undefined) out[key] = v;
  }
  return out;
}
