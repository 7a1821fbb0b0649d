import { ArtifactError, problemOf, type ArtifactProblem } from '../artifact-error.js';
import { laterDay, utcDay } from '../../core/dates.js';
import { revisionOf } from '../revision.js';
import type { FindingFact, SuppressionState } from '../facts.js';
import type { ArtifactImporter, ImportResult } from '../importer.js';
import { readJsonArtifact } from '../json-artifact.js';
import type { ArtifactLimits } from '../limits.js';

export const meta = {
  format: 'sarif',
  title: 'SARIF 2.1.0 log (any tool)',
  spec: 'https://docs.oasis-open.org/sarif/sarif/v2.1.0/sarif-v2.1.0.html',
  recognisedBy:
    'a JSON object with "runs" and "version": "2.1.0" (or a "$schema" naming sarif) anywhere in it',
  yields: [
    'every result that is a finding (kind fail, open or review; not absent from the baseline): rule id, location in the scanned code, suppression state; open unless a suppression has status accepted',
    'the tool (driver name and version), whether every run shows a successful invocation (invocations[].executionSuccessful), the revision (versionControlProvenance[].revisionId) and the date (latest invocation end time)',
  ],
  dialects: [
    'gitleaks',
    'gosec',
    'staticcheck',
    'ESLint (@microsoft/eslint-formatter-sarif)',
    'CodeQL',
    'Semgrep',
    'any SARIF 2.1.0 writer',
  ],
};

interface SarifResult {
  ruleId?: string;
  rule?: { id?: string };
  kind?: string;
  baselineState?: string;
  suppressions?: { kind: string; status?: 'accepted' | 'underReview' | 'rejected' }[];
  locations?: {
    physicalLocation?: { artifactLocation?: { uri?: string }; region?: { startLine?: number } };
  }[];
}

interface SarifRun {
  tool: { driver: { name: string; version?: string; semanticVersion?: string } };
  invocations?: { executionSuccessful: boolean; endTimeUtc?: string; startTimeUtc?: string }[];
  versionControlProvenance?: { repositoryUri: string; revisionId?: string }[];
  results?: SarifResult[];
}

/** Result kinds that are findings (SARIF §3.27.9: kind defaults to fail). */
const FINDING_KINDS = new Set(['fail', 'open', 'review']);

function recognise(text: string): boolean {
  // Writers that sort keys (gosec) put "version" and "$schema" last: look through the whole text.
  if (!/^\s*\{/.test(text.slice(0, 1024).replace(/^\uFEFF/, ''))) return false;
  return (
    /"runs"\s*:\s*\[/.test(text) &&
    (/"version"\s*:\s*"2\.1\.0"/.test(text) || /"\$schema"\s*:\s*"[^"]{0,300}sarif/i.test(text))
  );
}

function read(text: string, limits: ArtifactLimits): ImportResult {
  const problems: ArtifactProblem[] = [];
  try {
    const doc = readJsonArtifact(text, 'sarif', limits);
    const runs = (doc.data as { runs: SarifRun[] }).runs;
    const findings: FindingFact[] = [];
    const revisions = new Map<string, string>();
    let date: string | undefined;
    let executionSuccessful = true;
    runs.forEach((run, r) => {
      const invocations = run.invocations ?? [];
      if (invocations.length === 0 || invocations.some((i) => i.executionSuccessful !== true))
        executionSuccessful = false;
      for (const inv of invocations)
        date = laterDay(date, utcDay(inv.endTimeUtc ?? inv.startTimeUtc));
      (run.versionControlProvenance ?? []).forEach((vcp, v) => {
        const rev = revisionOf(vcp.revisionId);
        if (rev && !revisions.has(rev))
          revisions.set(rev, `/runs/${r}/versionControlProvenance/${v}/revisionId`);
      });
      const results = run.results ?? [];
      results.forEach((result, i) => {
        if (!FINDING_KINDS.has(result.kind ?? 'fail') || result.baselineState === 'absent') return;
        if (findings.length >= limits.maxResults) {
          throw new ArtifactError(
            'limit-exceeded',
            `more than ${limits.maxResults} results (max-results)`,
            doc.at(`/runs/${r}/results/${i}`),
            `/runs/${r}/results/${i}`,
          );
        }
        findings.push(finding(result, doc.at(`/runs/${r}/results/${i}`)));
      });
    });
    if (revisions.size > 1) {
      const [, second] = [...revisions.entries()];
      problems.push({
        severity: 'error',
        code: 'revision-conflict',
        message: `the log names more than one revision: ${[...revisions.keys()].join(', ')}`,
        ...doc.at(second?.[1] ?? ''),
        pointer: second?.[1] ?? '',
      });
    }
    const driver = runs[0]?.tool.driver;
    const names = [...new Set(runs.map((run) => run.tool.driver.name))];
    const revision = revisions.size === 1 ? [...revisions.keys()][0] : undefined;
    const version = driver?.semanticVersion ?? driver?.version;
    return {
      facts: {
        type: 'scan',
        tool: { name: names.join(', '), ...(version && names.length === 1 ? { version } : {}) },
        ...(revision ? { revision } : {}),
        ...(date ? { date } : {}),
        executionSuccessful,
        findings,
      },
      problems,
    };
  } catch (thrown) {
    if (thrown instanceof ArtifactError) return { problems: [...problems, problemOf(thrown)] };
    throw thrown;
  }
}

function finding(result: SarifResult, at: { line: number; column: number }): FindingFact {
  const physical = result.locations?.[0]?.physicalLocation;
  const uri = physical?.artifactLocation?.uri;
  const line = physical?.region?.startLine;
  const suppression = suppressionOf(result.suppressions);
  return {
    rule: result.ruleId ?? result.rule?.id ?? '(no rule id)',
    ...(uri ? { location: line ? `${uri}:${line}` : uri } : {}),
    suppression,
    open: suppression !== 'accepted',
    line: at.line,
    column: at.column,
  };
}

/** A result's suppression state: `accepted` only when every suppression is accepted (a status-less one is `unknown`, which does not close it). */
function suppressionOf(suppressions: SarifResult['suppressions']): SuppressionState {
  if (!suppressions || suppressions.length === 0) return 'none';
  // Any suppression that is rejected, under review or without a status keeps the result open.
  if (suppressions.some((s) => s.status === 'rejected')) return 'rejected';
  if (suppressions.some((s) => s.status === 'underReview')) return 'underReview';
  if (suppressions.every((s) => s.status === 'accepted')) return 'accepted';
  return 'unknown';
}

export const sarif: ArtifactImporter = { meta, recognise, read };
