import { ArtifactError, problemOf, type ArtifactProblem } from '../artifact-error.js';
import { laterDay, utcDay } from '../../core/dates.js';
import { revisionOf } from '../revision.js';
import {
  worseStatus,
  type ArtifactPosition,
  type TestCaseFact,
  type TestStatus,
} from '../facts.js';
import type { ArtifactImporter, ImportResult } from '../importer.js';
import type { ArtifactLimits } from '../limits.js';
import { TAG_PROPERTIES, tagsIn, tagsOfProperty } from '../tags.js';
import { readXml, type XmlElement } from '../xml.js';

export const meta = {
  format: 'junit',
  title: 'JUnit XML test report',
  spec: 'https://github.com/testmoapp/junitxml (the de-facto schema; Maven Surefire XSD for rerun/flaky elements)',
  recognisedBy: 'the first element is <testsuites> or <testsuite>',
  yields: [
    "every test case: full name, classname, file, status (passed, failed, error, skipped, flaky), tags in its and its suites' names, properties, line and column",
    "the run's date (latest suite timestamp, UTC) and revision (a revision/commit property), when present",
  ],
  dialects: [
    'vitest',
    'jest-junit',
    'mocha-junit-reporter',
    'gotestsum / go-junit-report',
    'pytest',
    'Maven Surefire / Failsafe',
    'Playwright',
  ],
};

/** Child elements of <testcase> and the status each one means. */
const RESULT_ELEMENTS: Record<string, TestStatus> = {
  failure: 'failed',
  error: 'error',
  skipped: 'skipped',
  // Maven Surefire: flaky* = failed, then passed on a rerun; rerun* = failed every rerun (beside <failure>/<error>).
  flakyFailure: 'flaky',
  flakyError: 'flaky',
  rerunFailure: 'failed',
  rerunError: 'failed',
};

/** Property names that carry the tested commit. */
const REVISION_PROPERTIES = new Set([
  'revision',
  'commit',
  'git.commit',
  'git.sha',
  'git_commit',
  'git.revision',
  'vcs.revision',
  'sha',
]);

interface SuiteFrame extends ArtifactPosition {
  element: 'testsuites' | 'testsuite';
  name: string;
  attributes: Record<string, string>;
  properties: Record<string, string>;
  tags: Set<string>;
  counted: { tests: number; failures: number; errors: number; skipped: number };
  parent?: SuiteFrame;
}

interface OpenCase extends ArtifactPosition {
  name: string;
  classname?: string;
  file?: string;
  status: TestStatus;
  properties: Record<string, string>;
  suite: SuiteFrame;
}

function recognise(text: string): boolean {
  return /^\uFEFF?\s*(<\?xml[^>]{0,200}\?>\s*)?(<!--[\s\S]{0,2000}?-->\s*)*<(testsuites|testsuite)[\s>/]/.test(
    text.slice(0, 4096),
  );
}

function read(text: string, limits: ArtifactLimits): ImportResult {
  const state = new JUnitReader(limits);
  try {
    readXml(text, limits, state);
    return state.result();
  } catch (thrown) {
    if (thrown instanceof ArtifactError)
      return { problems: [...state.problems, problemOf(thrown)] };
    throw thrown;
  }
}

/** The tags of a test: in its name and classname, its tag properties, and its suites'. */
function tagsOfCase(c: OpenCase): string[] {
  const own = c.properties !== c.suite.properties;
  if (
    c.suite.tags.size === 0 &&
    c.name.indexOf('[') < 0 &&
    (c.classname ?? '').indexOf('[') < 0 &&
    !own
  )
    return [];
  const tags = new Set(c.suite.tags);
  tagsIn(c.name, tags);
  tagsIn(c.classname, tags);
  if (own)
    for (const key of TAG_PROPERTIES)
      if (Object.hasOwn(c.properties, key)) tagsOfProperty(c.properties[key] as string, tags);
  return [...tags].sort();
}

class JUnitReader {
  readonly problems: ArtifactProblem[] = [];
  private suite: SuiteFrame | undefined;
  private current: OpenCase | undefined;
  private inProperties: 'suite' | 'case' | undefined;
  private rootSeen = false;
  private readonly cases = new Map<string, { fact: TestCaseFact; suite: SuiteFrame }>();
  private caseCount = 0;
  private date: string | undefined;
  private revisions = new Map<string, ArtifactPosition>();

  constructor(private readonly limits: ArtifactLimits) {}

  open(el: XmlElement): void {
    if (!this.rootSeen) {
      this.rootSeen = true;
      if (el.name !== 'testsuites' && el.name !== 'testsuite') {
        throw new ArtifactError(
          'unknown-format',
          `the root element is <${el.name}>, not <testsuites> or <testsuite>`,
          el,
        );
      }
    }
    switch (el.name) {
      case 'testsuites':
      case 'testsuite':
        this.openSuite(el);
        return;
      case 'testcase':
        this.openCase(el);
        return;
      case 'properties':
        this.inProperties = this.current ? 'case' : 'suite';
        return;
      case 'property':
        this.property(el);
        return;
      default: {
        const status = RESULT_ELEMENTS[el.name];
        if (status && this.current) this.current.status = worseStatus(this.current.status, status);
      }
    }
  }

  close(name: string): void {
    if (name === 'testcase') this.closeCase();
    else if (name === 'testsuite' || name === 'testsuites') this.closeSuite();
    else if (name === 'properties') this.inProperties = undefined;
  }

  private openSuite(el: XmlElement): void {
    if (this.current)
      throw new ArtifactError('parse-error', `<${el.name}> inside a <testcase>`, el);
    const frame: SuiteFrame = {
      element: el.name as SuiteFrame['element'],
      name: el.attributes['name'] ?? '',
      attributes: el.attributes,
      properties: Object.create(this.suite?.properties ?? null) as Record<string, string>,
      tags: new Set(this.suite?.tags ?? []),
      counted: { tests: 0, failures: 0, errors: 0, skipped: 0 },
      line: el.line,
      column: el.column,
      ...(this.suite ? { parent: this.suite } : {}),
    };
    if (el.name === 'testsuite') tagsIn(frame.name, frame.tags);
    this.date = laterDay(this.date, utcDay(el.attributes['timestamp']));
    this.suite = frame;
  }

  private openCase(el: XmlElement): void {
    if (!this.suite) throw new ArtifactError('parse-error', '<testcase> outside a <testsuite>', el);
    if (this.current) throw new ArtifactError('parse-error', '<testcase> inside a <testcase>', el);
    if (++this.caseCount > this.limits.maxTestCases) {
      throw new ArtifactError(
        'limit-exceeded',
        `more than ${this.limits.maxTestCases} test cases (max-test-cases)`,
        el,
      );
    }
    const a = el.attributes;
    this.current = {
      name: a['name'] ?? '',
      ...(a['classname'] !== undefined ? { classname: a['classname'] } : {}),
      ...(a['file'] !== undefined ? { file: a['file'] } : {}),
      status: 'passed',
      properties: this.suite.properties,
      suite: this.suite,
      line: el.line,
      column: el.column,
    };
  }

  private property(el: XmlElement): void {
    const name = el.attributes['name'];
    if (name === undefined) return;
    const value = el.attributes['value'] ?? '';
    if (this.inProperties === 'case' && this.current) {
      if (this.current.properties === this.current.suite.properties)
        this.current.properties = Object.create(this.current.suite.properties) as Record<
          string,
          string
        >;
      this.current.properties[name] = value;
    } else if (this.suite) {
      this.suite.properties[name] = value;
      if (TAG_PROPERTIES.has(name)) tagsOfProperty(value, this.suite.tags);
      const revision = REVISION_PROPERTIES.has(name.toLowerCase()) ? revisionOf(value) : undefined;
      if (revision && !this.revisions.has(revision))
        this.revisions.set(revision, { line: el.line, column: el.column });
    }
  }

  private closeCase(): void {
    const c = this.current;
    if (!c) return;
    this.current = undefined;
    for (let s: SuiteFrame | undefined = c.suite; s; s = s.parent) {
      s.counted.tests++;
      if (c.status === 'failed') s.counted.failures++;
      else if (c.status === 'error') s.counted.errors++;
      else if (c.status === 'skipped') s.counted.skipped++;
    }
    const fullName = c.name;
    const key = `${c.file ?? ''}\u0000${c.classname ?? ''}\u0000${fullName}`;
    const earlier = this.cases.get(key);
    if (earlier) {
      // The same test twice (a rerun, a duplicate): the worse result wins, located there.
      const worse = worseStatus(earlier.fact.status, c.status);
      earlier.fact.reported++;
      if (worse !== earlier.fact.status)
        Object.assign(earlier.fact, { status: worse, line: c.line, column: c.column });
      // Failed once and passed on a rerun is flaky: still not a pass, and never better than failed.
      return;
    }
    this.cases.set(key, {
      suite: c.suite,
      fact: {
        name: fullName,
        ...(c.classname !== undefined ? { classname: c.classname } : {}),
        ...(c.file !== undefined ? { file: c.file } : {}),
        status: c.status,
        tags: tagsOfCase(c),
        properties: c.properties,
        reported: 1,
        line: c.line,
        column: c.column,
      },
    });
  }

  private closeSuite(): void {
    const s = this.suite;
    if (!s) return;
    this.checkCounters(s);
    this.suite = s.parent;
  }

  /** The suite's own counters against the test cases inside it (docs/artifacts.md §counters). */
  private checkCounters(s: SuiteFrame): void {
    const where = `<${s.element}${s.name ? ` name=${JSON.stringify(s.name)}` : ''}>`;
    for (const [attr, counted] of [
      ['failures', s.counted.failures],
      ['errors', s.counted.errors],
      ['skipped', s.counted.skipped],
    ] as const) {
      const given = s.attributes[attr];
      if (given === undefined) continue;
      if (!/^\d+$/.test(given.trim()) || Number(given) !== counted) {
        this.problem(
          'error',
          `${where} says ${attr}="${given}", but ${counted} test case(s) inside it are ${attr === 'failures' ? 'failed' : attr === 'errors' ? 'errors' : 'skipped'}`,
          s,
        );
      }
    }
    const tests = s.attributes['tests'];
    if (tests === undefined) return;
    if (!/^\d+$/.test(tests.trim()) || Number(tests) < s.counted.tests) {
      this.problem(
        'error',
        `${where} says tests="${tests}", but holds ${s.counted.tests} test case(s)`,
        s,
      );
    } else if (Number(tests) > s.counted.tests) {
      // pytest counts subtests and mocha-junit-reporter failing hooks in tests= without a <testcase>:
      // nothing that passed is hidden by it, so it is reported, not fatal.
      this.problem(
        'warning',
        `${where} says tests="${tests}", but holds ${s.counted.tests} test case(s) (subtests or hooks the tool counts without a test case?)`,
        s,
      );
    }
  }

  private problem(
    severity: ArtifactProblem['severity'],
    message: string,
    at: ArtifactPosition,
  ): void {
    this.problems.push({
      severity,
      code: 'counter-mismatch',
      message,
      line: at.line,
      column: at.column,
      pointer: '',
    });
  }

  result(): ImportResult {
    if (!this.rootSeen)
      return {
        problems: [
          ...this.problems,
          problemOf(new ArtifactError('parse-error', 'the document has no root element')),
        ],
      };
    if (this.revisions.size > 1) {
      const [first, second] = [...this.revisions.entries()];
      this.problems.push({
        severity: 'error',
        code: 'revision-conflict',
        message: `the report names two revisions: ${first?.[0]} and ${second?.[0]}`,
        line: second?.[1].line ?? 1,
        column: second?.[1].column ?? 1,
        pointer: '',
      });
    }
    const revision = this.revisions.size === 1 ? [...this.revisions.keys()][0] : undefined;
    return {
      facts: {
        type: 'tests',
        tool: {},
        ...(revision ? { revision } : {}),
        ...(this.date ? { date: this.date } : {}),
        cases: [...this.cases.values()].map((c) => c.fact),
      },
      problems: this.problems,
    };
  }
}

export const junit: ArtifactImporter = { meta, recognise, read };
