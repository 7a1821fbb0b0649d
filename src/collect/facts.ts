/**
 * What the collect stage reads from an artifact: facts, each at the line and column of
 * the artifact it came from. Two shapes: a test run (JUnit, CTRF) and a scan (SARIF,
 * gitleaks). Every shape is plain data so that it can go into the policy input.
 */
import type { ConfigFacts as ObservedConfigFacts } from './config/config-facts.js';
import type { ArtifactPosition, ToolFact } from './fact-parts.js';

export type { ArtifactPosition, ToolFact } from './fact-parts.js';

/** A test's result as prodgate counts it; only `passed` is a pass (docs/artifacts.md). */
export type TestStatus = 'passed' | 'failed' | 'error' | 'skipped' | 'flaky';

/** How bad a status is: the worse of two results of the same test wins. */
export const TEST_STATUS_ORDER: Record<TestStatus, number> = {
  passed: 0,
  skipped: 1,
  flaky: 2,
  failed: 3,
  error: 4,
};

export function worseStatus(a: TestStatus, b: TestStatus): TestStatus {
  return TEST_STATUS_ORDER[b] > TEST_STATUS_ORDER[a] ? b : a;
}

/** One test case (the same test reported twice is one case, with the worse result). */
export interface TestCaseFact extends ArtifactPosition {
  /** The test's full name, enclosing suite names first ("suite > test"). */
  name: string;
  classname?: string;
  /** The test's source file, as the tool wrote it. */
  file?: string;
  status: TestStatus;
  /** Tags in the test's or its suites' names (`[org-iso:embeddings]` gives `org-iso:embeddings`) and tag properties. */
  tags: string[];
  /** name -> value of the test's and its suites' properties (JUnit `<property>`). */
  properties: Record<string, string>;
  /** How many times the test is reported in the artifact (re-runs, duplicates). */
  reported: number;
}

/** What a test report yields. */
export interface TestRunFacts {
  type: 'tests';
  tool: ToolFact;
  /** The commit the run tested, when the artifact names it. */
  revision?: string;
  /** The UTC day the run ended (the latest timestamp in the artifact), YYYY-MM-DD. */
  date?: string;
  cases: TestCaseFact[];
}

/** A finding's suppression state: only `accepted` closes a finding. */
export type SuppressionState = 'none' | 'accepted' | 'underReview' | 'rejected' | 'unknown';

export interface FindingFact extends ArtifactPosition {
  rule: string;
  /** Where in the scanned code (`path:line`), when the tool says. */
  location?: string;
  suppression: SuppressionState;
  /** True unless an accepted suppression closes it. */
  open: boolean;
}

/** What a scan report yields. */
export interface ScanFacts {
  type: 'scan';
  tool: ToolFact;
  revision?: string;
  date?: string;
  /** True only when the artifact itself shows a successful execution (SARIF invocations). */
  executionSuccessful: boolean;
  findings: FindingFact[];
}

/**
 * What a configuration file yields (a workflow, Kubernetes manifests): what the format's
 * importer found, as plain data the policy reads under `config`, each item located in
 * the file. A configuration is of the revision it was read at (or that its entry names).
 */
export interface ConfigFacts {
  type: 'config';
  tool: ToolFact;
  revision?: string;
  date?: string;
  /** How many YAML documents the file holds. */
  documents: number;
  /** The importer's findings (format-specific, documented in its meta). */
  config: Record<string, unknown>;
}

export type ArtifactFacts = TestRunFacts | ScanFacts | ConfigFacts | ObservedConfigFacts;

/** Properties as a plain object: a test's own and those it inherits from its suites (the JUnit reader shares them by prototype). */
export function flatProperties(properties: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  const keys: string[] = [];
  for (const key in properties) keys.push(key);
  for (const key of keys.sort()) out[key] = properties[key] as string;
  return out;
}

/** The facts as plain JSON data (for printing and for the policy input). */
export function plainFacts(facts: ArtifactFacts): ArtifactFacts {
  if (facts.type !== 'tests') return facts;
  return {
    ...facts,
    cases: facts.cases.map((c) => ({ ...c, properties: flatProperties(c.properties) })),
  };
}
