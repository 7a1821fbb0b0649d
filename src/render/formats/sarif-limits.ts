import type { Log, Result, Run } from 'sarif';
import { lineHash, type GateLocation } from './shared.js';

/**
 * GitHub code scanning's documented SARIF limits ("SARIF results exceed limit",
 * docs.github.com, code-security/code-scanning/troubleshooting-sarif-uploads). Over a
 * hard limit the whole upload is rejected and every alert is lost; over a display limit
 * the rest is silently dropped. prodgate stays within both and says what it cut.
 */
export const SARIF_LIMITS = {
  /** Hard: more runs in one file are rejected. */
  runsPerFile: 20,
  /** Hard limit 25,000; only the top 5,000 are stored, so more than that is never seen. */
  resultsPerRun: 5000,
  /** Hard: more rules in one run are rejected. */
  rulesPerRun: 25_000,
  /** Hard 1,000; only 100 are shown. */
  locationsPerResult: 100,
  /** Hard 20; only 10 are kept. */
  tagsPerRule: 10,
  /**
   * The upload limit is 10 MB of gzip-compressed SARIF; prodgate keeps the uncompressed
   * file under it, which always fits and does not depend on a zlib version.
   */
  fileBytes: 10 * 1000 * 1000,
  /** A message longer than this is cut (GitHub shows the first lines of a message anyway). */
  messageChars: 4000,
} as const;

/** Per environment, where a note about cut results is anchored. */
export interface RunAnchor {
  environment: string;
  anchor: GateLocation;
}

const SEVERITY_RANK: Record<string, number> = { error: 0, warning: 1, note: 2, none: 3 };
const LIMIT_RULE = 'prodgate/sarif-limit';

/**
 * The log cut to SARIF_LIMITS, and a warning per cut. Results are kept by level
 * (error first, then in the order the report lists them); each run that lost results
 * ends with one note result (rule `prodgate/sarif-limit`) saying how many and why, and
 * a file over the size limit is cut further, run by run, until it fits. The JSON report
 * always has everything.
 */
export function fitSarifToLimits(log: Log, anchors: RunAnchor[]): { log: Log; warnings: string[] } {
  const warnings: string[] = [];
  let runs = log.runs;
  let runAnchors = anchors;
  if (runs.length > SARIF_LIMITS.runsPerFile) {
    const left = anchors.slice(SARIF_LIMITS.runsPerFile).map((a) => a.environment);
    warnings.push(
      `SARIF: ${left.length} environment(s) left out (${left.join(', ')}): GitHub accepts at most ${SARIF_LIMITS.runsPerFile} runs in one file; write one SARIF file per environment instead`,
    );
    runs = runs.slice(0, SARIF_LIMITS.runsPerFile);
    runAnchors = anchors.slice(0, SARIF_LIMITS.runsPerFile);
  }
  // Tried in order until the file fits: everything; only the rules that have results;
  // then half as many results per run each time.
  let cap: number = SARIF_LIMITS.resultsPerRun;
  let pruneRules = false;
  for (;;) {
    const cutWarnings: string[] = [];
    const fitted = runs.map((run, i) => fitRun(run, runAnchors[i], cap, pruneRules, cutWarnings));
    const candidate: Log = { ...log, runs: fitted };
    const size = Buffer.byteLength(JSON.stringify(candidate, null, 2), 'utf8');
    if (size <= SARIF_LIMITS.fileBytes || cap <= 1) {
      if (pruneRules)
        cutWarnings.push(
          `SARIF: rules without results left out to keep the file under ${SARIF_LIMITS.fileBytes} bytes`,
        );
      if (cap < SARIF_LIMITS.resultsPerRun)
        cutWarnings.push(
          `SARIF: results cut to ${cap} per run to keep the file under ${SARIF_LIMITS.fileBytes} bytes`,
        );
      return { log: candidate, warnings: [...warnings, ...cutWarnings] };
    }
    if (!pruneRules) pruneRules = true;
    else cap = Math.max(1, Math.floor(cap / 2));
  }
}

function fitRun(
  run: Run,
  anchor: RunAnchor | undefined,
  cap: number,
  pruneRules: boolean,
  warnings: string[],
): Run {
  const env = anchor?.environment ?? String(run.properties?.['environment'] ?? '');
  const results = (run.results ?? []).map(fitResult);
  const rules = (run.tool.driver.rules ?? []).map((rule) => {
    const tags = rule.properties?.tags;
    return tags && tags.length > SARIF_LIMITS.tagsPerRule
      ? {
          ...rule,
          properties: { ...rule.properties, tags: tags.slice(0, SARIF_LIMITS.tagsPerRule) },
        }
      : rule;
  });
  let kept = results;
  const notes: Result[] = [];
  if (results.length > cap) {
    const room = cap - 1; // the note is a result too
    const order = results
      .map((r, i) => ({ r, i }))
      .sort((a, b) => rank(a.r) - rank(b.r) || a.i - b.i);
    const keep = new Set(order.slice(0, room).map((x) => x.i));
    kept = results.filter((_, i) => keep.has(i));
    const dropped = results.length - kept.length;
    const text = `[${env}] ${dropped} of ${results.length} results are not in this SARIF file: GitHub code scanning stores at most ${SARIF_LIMITS.resultsPerRun} results per run and rejects a file over its limits. The most severe are kept; the JSON report and the checklist list every gate.`;
    warnings.push(
      `SARIF: ${env}: ${dropped} of ${results.length} results left out to stay within GitHub's code-scanning limits`,
    );
    notes.push({
      ruleId: LIMIT_RULE,
      level: 'warning',
      kind: 'informational',
      message: { text },
      locations: anchor?.anchor.line
        ? [
            {
              physicalLocation: {
                artifactLocation: {
                  uri: anchor.anchor.uri.split('/').map(encodeURIComponent).join('/'),
                },
                region: { startLine: anchor.anchor.line, startColumn: 1 },
              },
            },
          ]
        : [],
      partialFingerprints: { primaryLocationLineHash: lineHash(env, LIMIT_RULE) },
      properties: { environment: env },
    });
  }
  let ruleList = rules;
  if (notes.length) ruleList = [...ruleList, limitRule()];
  if (pruneRules || ruleList.length > SARIF_LIMITS.rulesPerRun) {
    const used = new Set([...kept, ...notes].map((r) => r.ruleId));
    const before = ruleList.length;
    ruleList = ruleList.filter((rule) => used.has(rule.id));
    if (!pruneRules)
      warnings.push(
        `SARIF: ${env}: ${before - ruleList.length} rules without results left out (GitHub accepts at most ${SARIF_LIMITS.rulesPerRun} per run)`,
      );
  }
  const indexOf = new Map(ruleList.map((rule, i) => [rule.id, i]));
  const withIndex = [...kept, ...notes].map((r) => {
    const { ruleIndex: _old, ...rest } = r;
    const index = r.ruleId === undefined ? undefined : indexOf.get(r.ruleId);
    return index === undefined ? rest : { ...rest, ruleIndex: index };
  });
  return {
    ...run,
    tool: { ...run.tool, driver: { ...run.tool.driver, rules: ruleList } },
    results: withIndex,
  };
}

function rank(result: Result): number {
  const suppressed = result.suppressions?.length ? 10 : 0;
  return suppressed + (SEVERITY_RANK[result.level ?? 'warning'] ?? 1);
}

function fitResult(result: Result): Result {
  const text = result.message.text ?? '';
  const message =
    text.length > SARIF_LIMITS.messageChars
      ? { ...result.message, text: `${text.slice(0, SARIF_LIMITS.messageChars - 1)}…` }
      : result.message;
  const locations =
    result.locations && result.locations.length > SARIF_LIMITS.locationsPerResult
      ? result.locations.slice(0, SARIF_LIMITS.locationsPerResult)
      : result.locations;
  const related =
    result.relatedLocations && result.relatedLocations.length > SARIF_LIMITS.locationsPerResult
      ? result.relatedLocations.slice(0, SARIF_LIMITS.locationsPerResult)
      : result.relatedLocations;
  return {
    ...result,
    message,
    ...(locations ? { locations } : {}),
    ...(related ? { relatedLocations: related } : {}),
  };
}

function limitRule(): NonNullable<Run['tool']['driver']['rules']>[number] {
  return {
    id: LIMIT_RULE,
    name: 'SarifLimit',
    shortDescription: { text: 'Some results are not in this SARIF file' },
    fullDescription: {
      text: 'prodgate kept this SARIF file within GitHub code scanning limits and left the least severe results out; the JSON report lists every gate.',
    },
    helpUri: 'https://prodgate.dev/ci#sarif-limits',
    defaultConfiguration: { level: 'warning' },
    properties: {
      tags: ['release-readiness'],
      precision: 'very-high',
      'problem.severity': 'warning',
    },
  };
}
