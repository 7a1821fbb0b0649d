import {
  TEST_STATUS_ORDER,
  type ScanFacts,
  type TestCaseFact,
  type TestRunFacts,
  type TestStatus,
} from './facts.js';
import { globMatch } from './glob.js';

/**
 * Which test cases of a report prove a fact: every given criterion must hold (a tag in
 * the name or a tag property, a property value, a classname / file / name pattern with
 * `*`). Written in the evidence (`recordedBy`), so that src/ knows no gate id.
 */
export interface TestSelector {
  tag?: string;
  property?: { name: string; value: string };
  classname?: string;
  file?: string;
  name?: string;
}

/** A test case as the policy sees it: where it is and how it ended. */
export interface CaseRef {
  name: string;
  status: TestStatus;
  line: number;
  column: number;
}

/** The selected cases of a report, summarised: the worst outcome wins; none selected is `missing`. */
export interface TestSelection {
  matched: number;
  outcome: TestStatus | 'missing';
  counts: Record<TestStatus, number>;
  /** The first selected case with the worst outcome. */
  worst?: CaseRef;
}

export function hasCriteria(selector: TestSelector): boolean {
  return (
    selector.tag !== undefined ||
    selector.property !== undefined ||
    selector.classname !== undefined ||
    selector.file !== undefined ||
    selector.name !== undefined
  );
}

export function describeSelector(selector: TestSelector): string {
  const parts: string[] = [];
  if (selector.tag !== undefined) parts.push(`tag [${selector.tag}]`);
  if (selector.property)
    parts.push(`property ${selector.property.name}=${selector.property.value}`);
  if (selector.classname !== undefined) parts.push(`classname ${selector.classname}`);
  if (selector.file !== undefined) parts.push(`file ${selector.file}`);
  if (selector.name !== undefined) parts.push(`name ${selector.name}`);
  return parts.join(', ');
}

function matches(c: TestCaseFact, s: TestSelector): boolean {
  if (s.tag !== undefined && !c.tags.includes(s.tag)) return false;
  if (s.property && c.properties[s.property.name] !== s.property.value) return false;
  if (s.classname !== undefined && !globMatch(s.classname, c.classname ?? '')) return false;
  if (s.file !== undefined && !globMatch(s.file, c.file ?? '')) return false;
  if (s.name !== undefined && !globMatch(s.name, c.name)) return false;
  return true;
}

export function selectTests(facts: TestRunFacts, selector: TestSelector): TestSelection {
  return summarise(facts.cases.filter((c) => matches(c, selector)));
}

export function summarise(cases: Iterable<TestCaseFact>): TestSelection {
  const counts: Record<TestStatus, number> = {
    passed: 0,
    failed: 0,
    error: 0,
    skipped: 0,
    flaky: 0,
  };
  let worst: TestCaseFact | undefined;
  let matched = 0;
  for (const c of cases) {
    matched++;
    counts[c.status]++;
    if (!worst || TEST_STATUS_ORDER[c.status] > TEST_STATUS_ORDER[worst.status]) worst = c;
  }
  return {
    matched,
    outcome: worst ? worst.status : 'missing',
    counts,
    ...(worst
      ? {
          worst: { name: worst.name, status: worst.status, line: worst.line, column: worst.column },
        }
      : {}),
  };
}

/** Every tag of a report with the summary of the cases that carry it (the policy's pack default selects by tag). */
export function tagIndex(facts: TestRunFacts): Record<string, TestSelection> {
  const byTag = new Map<string, TestCaseFact[]>();
  for (const c of facts.cases) {
    for (const tag of c.tags) {
      const list = byTag.get(tag) ?? [];
      byTag.set(tag, list);
      list.push(c);
    }
  }
  const out: Record<string, TestSelection> = {};
  for (const tag of [...byTag.keys()].sort())
    out[tag] = summarise(byTag.get(tag) as TestCaseFact[]);
  return out;
}

/** A scan as the policy sees it: whether it shows it ran, and its open findings (the first few, located). */
export interface ScanSummary {
  ran: boolean;
  openFindings: number;
  findings: { rule: string; location?: string; line: number; column: number }[];
}

const FINDINGS_SHOWN = 20;

export function summariseScan(facts: ScanFacts): ScanSummary {
  const open = facts.findings.filter((f) => f.open);
  return {
    ran: facts.executionSuccessful && !!facts.tool.name && !!facts.tool.version,
    openFindings: open.length,
    findings: open.slice(0, FINDINGS_SHOWN).map((f) => ({
      rule: f.rule,
      ...(f.location ? { location: f.location } : {}),
      line: f.line,
      column: f.column,
    })),
  };
}
