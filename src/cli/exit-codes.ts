/** The exit codes CI gates on. */
export const EXIT = {
  /** Every applicable gate passed (or is waived). */
  GO: 0,
  /** A gate failed or errored, or the evidence is invalid. */
  NO_GO: 1,
  /** prodgate could not evaluate: bad flag, unknown environment, missing folder, missing or corrupt bundle. */
  CANNOT_EVALUATE: 2,
} as const;
