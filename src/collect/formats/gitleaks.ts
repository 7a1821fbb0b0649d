import { ArtifactError, problemOf } from '../artifact-error.js';
import type { ArtifactImporter, ImportResult } from '../importer.js';
import { readJsonArtifact } from '../json-artifact.js';
import type { ArtifactLimits } from '../limits.js';

export const meta = {
  format: 'gitleaks',
  title: 'gitleaks JSON report',
  spec: 'https://github.com/gitleaks/gitleaks#reporting (--report-format json)',
  recognisedBy: 'a JSON list whose first item has "RuleID" and "Fingerprint", or an empty list []',
  yields: [
    'every finding: rule id, file and line in the scanned repository, always open (gitleaks reports only what no allowlist or gitleaks:allow closed)',
    'nothing that shows the scan ran: the report has no tool version, revision or exit status, so an empty report is never a clean scan (use SARIF with invocations for that)',
  ],
  dialects: ['gitleaks 8 (detect, git, dir)'],
};

interface GitleaksFinding {
  RuleID: string;
  File: string;
  StartLine: number;
}

function recognise(text: string): boolean {
  const head = text.slice(0, 4096).replace(/^\uFEFF/, '');
  return (
    /^\s*\[\s*\]\s*$/.test(text.length < 4096 ? head : '') ||
    (/^\s*\[\s*\{/.test(head) &&
      /"RuleID"\s*:/.test(head) &&
      /"Fingerprint"\s*:/.test(text.slice(0, 65536)))
  );
}

function read(text: string, limits: ArtifactLimits): ImportResult {
  try {
    const doc = readJsonArtifact(text, 'gitleaks', limits);
    const list = doc.data as GitleaksFinding[];
    if (list.length > limits.maxResults)
      throw new ArtifactError(
        'limit-exceeded',
        `more than ${limits.maxResults} findings (max-results)`,
        doc.at(''),
        '',
      );
    return {
      facts: {
        type: 'scan',
        tool: { name: 'gitleaks' },
        executionSuccessful: false,
        findings: list.map((f, i) => ({
          rule: f.RuleID,
          location: `${f.File}:${f.StartLine}`,
          suppression: 'none',
          open: true,
          ...doc.at(`/${i}`),
        })),
      },
      problems: [],
    };
  } catch (thrown) {
    if (thrown instanceof ArtifactError) return { problems: [problemOf(thrown)] };
    throw thrown;
  }
}

export const gitleaks: ArtifactImporter = { meta, recognise, read };
