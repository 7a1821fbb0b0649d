/**
 * The pieces every artifact fact shares (src/collect/facts.ts re-exports them), apart so
 * that the configuration facts (config/config-facts.ts) import them without a cycle.
 */

/** A place in an artifact: 1-based line and column. */
export interface ArtifactPosition {
  line: number;
  column: number;
}

export interface ToolFact {
  name?: string;
  version?: string;
}
