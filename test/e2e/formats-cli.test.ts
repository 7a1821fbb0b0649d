import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { afterAll, describe, expect, it } from 'vitest';
import { approveSignoffs } from '../provenance/support/approve.js';
import { AS_OF, cleanupTmp, copyEvidence, editYaml, gateOf, makeTmp, readReport, REPO_ROOT, runCli, STACK_TRACE } from '../helpers.js';

afterAll(cleanupTmp);

// The CLI wiring of issue #6: repeatable --format, one file per CI format, waivers
// read from the evidence folder and applied before rendering.
describe('evaluate --format (repeatable)', () => {
  it('writes JUnit, SARIF, GitHub and HTML for --env all and prints the first', async () => {
    const out = await makeTmp();
    const run = await runCli(['evaluate', '--env', 'all', '--as-of', AS_OF, '--out', out, '--format', 'sarif', '--format', 'junit', '--format', 'github', '--format', 'html']);
    expect(run.exitCode).toBe(1);
    expect(run.stderr).not.toMatch(STACK_TRACE);
    const sarif = JSON.parse(await readFile(join(out, 'P4_PROD_READINESS_all.sarif'), 'utf8')) as { version: string; runs: { results: { ruleId: string; locations: { physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } } }[] }[] }[] };
    expect(JSON.parse(run.stdout)).toEqual(sarif); // the first format is printed
    expect(sarif.version).toBe('2.1.0');
    const cors = sarif.runs[0]?.results.find((r) => r.ruleId === 'security.cors');
    expect(cors?.locations[0]?.physicalLocation.artifactLocation.uri).toBe('evidence/staging/security.yaml');
    expect(cors?.locations[0]?.physicalLocation.region.startLine).toBe(25);

    const junit = new XMLParser({ ignoreAttributes: false }).parse(await readFile(join(out, 'P4_PROD_READINESS_JUNIT_all.xml'), 'utf8')) as { testsuites: { '@_failures': string; testsuite: unknown[] } };
    expect(junit.testsuites.testsuite).toHaveLength(3);
    expect(Number(junit.testsuites['@_failures'])).toBeGreaterThan(0);

    const github = await readFile(join(out, 'P4_PROD_READINESS_GITHUB_all.txt'), 'utf8');
    expect(github).toMatch(/^::error file=evidence\/staging\/security\.yaml,line=25,/m);
    const html = await readFile(join(out, 'P4_PROD_READINESS_REPORT_all.html'), 'utf8');
    expect(html).toContain('security.cors');
    expect(html).not.toMatch(/<script[^>]+src=|<link[^>]+href="http/);
    // The checklist and the JSON report are still written for every environment.
    for (const env of ['pilot', 'staging', 'prod']) expect((await readReport(out, env)).environment).toBe(env);
  });

  it('rejects an unknown format with exit 2', async () => {
    const bad = await runCli(['evaluate', '--env', 'prod', '--as-of', AS_OF, '--out', await makeTmp(), '--format', 'pdf']);
    expect(bad.exitCode).toBe(2);
    expect(bad.stderr).toMatch(/Allowed choices are text, json, markdown, junit, sarif, github, html/);
  });
});

describe('waivers through the CLI', () => {
  it('a valid waiver turns a staging failure into waived; the verdict still follows the other failures', async () => {
    const dir = await copyEvidence('staging');
    const { out, run } = await evaluateWithWaiver(dir, 'staging', { gate: 'security.cors', justification: 'preview origins until the auth proxy ships', expires: '2026-12-31' });
    expect(run.exitCode).toBe(1);
    const report = await readReport(out, 'staging');
    expect(gateOf(report, 'security.cors').status).toBe('waived');
    expect(gateOf(report, 'tenancy.isolation.embeddings').status).toBe('fail');
    const checklist = await readFile(join(out, 'P4_PROD_READINESS_CHECKLIST_staging.md'), 'utf8');
    expect(checklist).toMatch(/\*\*WAIVED\*\* `security\.cors`: waived by Sam Okafor until 2026-12-31/);
  });

  it('an expired waiver has no effect and is reported', async () => {
    const dir = await copyEvidence('staging');
    const { out, run } = await evaluateWithWaiver(dir, 'staging', { gate: 'security.cors', justification: 'too late', expires: '2026-11-24' });
    expect(run.exitCode).toBe(1);
    expect(gateOf(await readReport(out, 'staging'), 'security.cors').status).toBe('fail');
    expect(run.stdout).toMatch(/waivers\.yaml:\d+:\d+: warning: .*expired/);
  });

  it('security.secrets is non-waivable in prod: the waiver is reported and the gate stays fail', async () => {
    const dir = await copyEvidence('prod');
    await editYaml(dir, 'security.yaml', (doc) => {
      doc['secrets'].secretScan.openFindings = 2;
    });
    const { out, run } = await evaluateWithWaiver(dir, 'prod', { gate: 'security.secrets', justification: 'rotating the leaked key next week', expires: '2026-12-31' });
    expect(run.exitCode).toBe(1);
    expect(gateOf(await readReport(out, 'prod'), 'security.secrets').status).toBe('fail');
    expect(run.stdout).toMatch(/waivers\.yaml:\d+:\d+: warning: .*(non-waivable|not waivable|cannot be waived)/i);
  });
});

/** Writes a one-waiver waivers.yaml (approved by Sam Okafor), re-approves the sign-offs, and evaluates. */
async function evaluateWithWaiver(dir: string, env: string, waiver: { gate: string; justification: string; expires: string }) {
  const yaml = ['kind: waivers', 'schemaVersion: 1', 'waivers:', `  - gate: ${waiver.gate}`, `    justification: ${waiver.justification}`, '    approver: Sam Okafor', `    expires: "${waiver.expires}"`, ''];
  await writeFile(join(dir, 'waivers.yaml'), yaml.join('\n'));
  await approveSignoffs(dir); // the waivers are evidence: the sign-offs approve them
  const out = await makeTmp();
  const run = await runCli(['evaluate', '--env', env, '--evidence', dir, '--repo-root', REPO_ROOT, '--as-of', AS_OF, '--out', out]);
  return { out, run };
}
