import { cp, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { afterAll, describe, expect, it } from 'vitest';
import { approveSignoffs } from '../support/approve.js';
import {
  AS_OF,
  cleanupTmp,
  copyEvidence,
  gateOf,
  makeTmp,
  readReport,
  REPO_ROOT,
  runCli,
  STACK_TRACE,
} from '../support/helpers.js';

afterAll(cleanupTmp);

// The CLI wiring of issue #6: repeatable --format, one file per CI format, waivers
// read from the evidence folder and applied before rendering.
describe('evaluate --format (repeatable)', () => {
  it('writes every CI format for --env all, one file name pattern, and prints the verdict summary, not 100 KB of SARIF', async () => {
    const out = await makeTmp();
    const run = await runCli([
      'evaluate',
      '--env',
      'all',
      '--as-of',
      AS_OF,
      '--out',
      out,
      '--format',
      'sarif',
      '--format',
      'junit',
      '--format',
      'html',
    ]);
    expect(run.exitCode).toBe(1);
    expect(run.stderr).not.toMatch(STACK_TRACE);
    // stdout: the summary of each environment and what was written, nothing else.
    expect(run.stdout).toMatch(/^pilot \(as of 2026-11-25\): GO — /);
    expect(run.stdout).toMatch(/^staging \(as of 2026-11-25\): NO-GO — 4 fail, 0 error, 1 waived/m);
    expect(run.stdout).not.toContain('"$schema"');
    expect(run.stdout.length).toBeLessThan(4000);
    const files = (await readdir(out)).filter((f) => !f.startsWith('.')).sort();
    for (const file of files)
      expect(file).toMatch(
        /^P4_PROD_READINESS_[A-Z]+_(pilot|staging|prod|all)\.(md|json|sarif|xml|html)$/,
      );
    expect(files).toEqual(
      expect.arrayContaining([
        'P4_PROD_READINESS_SARIF_all.sarif',
        'P4_PROD_READINESS_JUNIT_all.xml',
        'P4_PROD_READINESS_HTML_all.html',
      ]),
    );
    const sarif = JSON.parse(
      await readFile(join(out, 'P4_PROD_READINESS_SARIF_all.sarif'), 'utf8'),
    ) as {
      version: string;
      runs: {
        results: {
          ruleId: string;
          locations: {
            physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } };
          }[];
        }[];
      }[];
    };
    expect(sarif.version).toBe('2.1.0');
    const cors = sarif.runs[1]?.results.find((r) => r.ruleId === 'security.cors');
    expect(cors?.locations[0]?.physicalLocation.artifactLocation.uri).toBe(
      'evidence/staging/security.yaml',
    );
    expect(cors?.locations[0]?.physicalLocation.region.startLine).toBe(25);

    const junit = new XMLParser({ ignoreAttributes: false }).parse(
      await readFile(join(out, 'P4_PROD_READINESS_JUNIT_all.xml'), 'utf8'),
    ) as { testsuites: { '@_failures': string; testsuite: unknown[] } };
    expect(junit.testsuites.testsuite).toHaveLength(3);
    expect(Number(junit.testsuites['@_failures'])).toBe(4);
    const html = await readFile(join(out, 'P4_PROD_READINESS_HTML_all.html'), 'utf8');
    expect(html).toContain('security.cors');
    expect(html).not.toMatch(/<script[^>]+src=|<link[^>]+href="http/);
    // The checklist and the JSON report are still written for every environment.
    for (const env of ['pilot', 'staging', 'prod'])
      expect((await readReport(out, env)).environment).toBe(env);
  });

  it('prints a format on stdout only when asked with --stdout', async () => {
    const out = await makeTmp();
    const run = await runCli([
      'evaluate',
      '--env',
      'all',
      '--as-of',
      AS_OF,
      '--out',
      out,
      '--format',
      'sarif',
      '--stdout',
      'sarif',
    ]);
    expect(JSON.parse(run.stdout)).toEqual(
      JSON.parse(await readFile(join(out, 'P4_PROD_READINESS_SARIF_all.sarif'), 'utf8')),
    );
    const tap = await runCli([
      'evaluate',
      '--env',
      'staging',
      '--as-of',
      AS_OF,
      '--out',
      out,
      '--stdout',
      'tap',
    ]);
    expect(tap.stdout).toMatch(/^TAP version 14\n1\.\.\d+\n/);
  });

  it('prints GitHub annotations whatever the place of github among the formats, and the summary after them', async () => {
    for (const order of [
      ['github', 'sarif'],
      ['sarif', 'junit', 'github'],
    ]) {
      const run = await runCli([
        'evaluate',
        '--env',
        'staging',
        '--as-of',
        AS_OF,
        '--out',
        await makeTmp(),
        ...order.flatMap((f) => ['--format', f]),
      ]);
      expect(run.stdout, order.join(',')).toMatch(
        /^::group::prodgate staging: NO-GO\n::error file=evidence\/staging\/security\.yaml,line=25,/,
      );
      expect(run.stdout).toMatch(/^prodgate staging: NO-GO — 4 fail, 0 error, 1 waived/m);
      expect(run.stdout).toMatch(/^staging \(as of 2026-11-25\): NO-GO/m);
    }
    const azure = await runCli([
      'evaluate',
      '--env',
      'staging',
      '--as-of',
      AS_OF,
      '--out',
      await makeTmp(),
      '--format',
      'junit',
      '--format',
      'azuredevops',
    ]);
    expect(azure.stdout).toMatch(
      /^##\[group\]prodgate staging\n##vso\[task\.logissue type=error;sourcepath=evidence\/staging\/security\.yaml;linenumber=25;/,
    );
  });

  it('rejects an unknown format with exit 2, listing the formats', async () => {
    const bad = await runCli([
      'evaluate',
      '--env',
      'prod',
      '--as-of',
      AS_OF,
      '--out',
      await makeTmp(),
      '--format',
      'pdf',
    ]);
    expect(bad.exitCode).toBe(2);
    expect(bad.stderr).toMatch(
      /Allowed choices are text, json, markdown, junit, sarif, github, azuredevops, codequality, tap, table, html/,
    );
  });
});

describe('waivers through the CLI', () => {
  it('a valid waiver turns a staging failure into waived; the verdict still follows the other failures', async () => {
    const dir = await copyEvidence('staging');
    const { out, run } = await evaluateWithWaiver(dir, 'staging', {
      gate: 'security.cors',
      justification: 'preview origins until the auth proxy ships',
      expires: '2026-12-31',
    });
    expect(run.exitCode).toBe(1);
    const report = await readReport(out, 'staging');
    expect(gateOf(report, 'security.cors').status).toBe('waived');
    expect(gateOf(report, 'tenancy.isolation.embeddings').status).toBe('fail');
    const checklist = await readFile(join(out, 'P4_PROD_READINESS_CHECKLIST_staging.md'), 'utf8');
    expect(checklist).toMatch(
      /\*\*WAIVED\*\* `security\.cors`: waived by Sam Okafor until 2026-12-31/,
    );
  });

  it('an expired waiver has no effect and is reported', async () => {
    const dir = await copyEvidence('staging');
    const { out, run } = await evaluateWithWaiver(dir, 'staging', {
      gate: 'security.cors',
      justification: 'too late',
      expires: '2026-11-24',
    });
    expect(run.exitCode).toBe(1);
    expect(gateOf(await readReport(out, 'staging'), 'security.cors').status).toBe('fail');
    expect(run.stdout).toMatch(/waivers\.yaml:\d+:\d+: warning: .*expired/);
  });

  it('security.secrets is non-waivable in prod: the waiver is reported and the gate stays fail', async () => {
    const dir = await copyEvidence('prod');
    // the recorded secret scan now reports the webapp's leaked keys
    await cp(
      join(REPO_ROOT, 'test/fixtures/artifacts/secret-scan/gitleaks-webapp.sarif'),
      join(dir, 'artifacts/gitleaks.sarif'),
    );
    const { out, run } = await evaluateWithWaiver(dir, 'prod', {
      gate: 'security.secrets',
      justification: 'rotating the leaked key next week',
      expires: '2026-12-31',
    });
    expect(run.exitCode).toBe(1);
    expect(gateOf(await readReport(out, 'prod'), 'security.secrets').status).toBe('fail');
    expect(run.stdout).toMatch(
      /waivers\.yaml:\d+:\d+: warning: .*(non-waivable|not waivable|cannot be waived)/i,
    );
  });
});

/** Writes a one-waiver waivers.yaml (approved by Sam Okafor), re-approves the sign-offs, and evaluates. */
async function evaluateWithWaiver(
  dir: string,
  env: string,
  waiver: { gate: string; justification: string; expires: string },
) {
  const yaml = [
    'kind: waivers',
    'schemaVersion: 1',
    'waivers:',
    `  - gate: ${waiver.gate}`,
    `    justification: ${waiver.justification}`,
    '    approver: Sam Okafor',
    `    expires: "${waiver.expires}"`,
    '',
  ];
  await writeFile(join(dir, 'waivers.yaml'), yaml.join('\n'));
  await approveSignoffs(dir); // the waivers are evidence: the sign-offs approve them
  const out = await makeTmp();
  const run = await runCli([
    'evaluate',
    '--env',
    env,
    '--evidence',
    dir,
    '--repo-root',
    REPO_ROOT,
    '--as-of',
    AS_OF,
    '--out',
    out,
  ]);
  return { out, run };
}

// Attack report 11, hole 4: a waiver justification with line breaks, forged workflow
// commands, ANSI, a bidi override, U+2028 and NEL reached stdout raw through
// `--stdout azuredevops` and `--format github`.
describe('hostile waiver text on stdout through the CLI', () => {
  const justification =
    'x\n::error file=a.ts::FORGED1\r##vso[task.setvariable variable=GO]true\u2028::error::FORGED2\u0085::error::FORGED3 \u001b[8mHIDDEN\u001b[0m \u202eRTL';
  const RAW = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069\u2028\u2029]/;
  it.each([
    [['--stdout', 'azuredevops']],
    [['--format', 'github']],
    [['--stdout', 'junit']],
    [['--stdout', 'codequality']],
    [['--stdout', 'sarif']],
  ])('%j: no raw control character and no forged command line', async (flags) => {
    const dir = await copyEvidence('staging');
    await writeFile(
      join(dir, 'waivers.yaml'),
      [
        'kind: waivers',
        'schemaVersion: 1',
        'waivers:',
        '  - gate: security.cors',
        `    justification: ${JSON.stringify(justification)}`,
        '    approver: Sam Okafor',
        '    expires: "2026-12-31"',
        '',
      ].join('\n'),
    );
    await approveSignoffs(dir);
    const out = await makeTmp();
    const run = await runCli(
      ['evaluate', '--env', 'staging', '--evidence', dir, '--repo-root', REPO_ROOT]
        .concat(['--as-of', AS_OF, '--out', out, '--no-ci-context'])
        .concat(flags),
    );
    expect(run.stderr).not.toMatch(STACK_TRACE);
    expect(gateOf(await readReport(out, 'staging'), 'security.cors').status).toBe('waived');
    // Code Quality lists only what fails: the waived gate is not among its issues.
    if (flags[1] !== 'codequality') expect(run.stdout).toContain('FORGED1');
    expect(run.stdout).not.toMatch(RAW);
    expect(run.stdout).not.toMatch(/^::error file=a\.ts|^##vso\[task\.setvariable/m);
    expect(run.stdout).not.toMatch(/##vso\[task\.setvariable/);
  });
});
