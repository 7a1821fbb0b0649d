// Credentials in evidence are never echoed: not in diagnostics, reasons, filled
// placeholders, the checklist, the JSON report, the summary, validate or explain.
// Each secret is placed where some output would quote it.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AS_OF,
  checklistName,
  cleanupTmp,
  copyEvidence,
  editYaml,
  makeTmp,
  REPO_ROOT,
  reportName,
  runCli,
  type CliResult,
} from '../support/helpers.ts';

// The distinctive part of each secret is what must never appear (markup escaping could
// split a longer form, so these avoid Markdown characters).
const SECRETS = {
  githubToken: 'ghp_Q7mZk2Lr9VtX4bWn8Hs3Jd6Fy1Pc5Ga0Ee7R',
  urlPassword: 'Hunter2Secret',
  awsKey: 'AKIAIOSFODNN7QWERTYZ',
  password: 'CorrectHorseBattery',
  bearer: 'Zq8Xv2Lm4Nb6Kc9Jd1Hf3Gs5',
  privateKey: 'b3BlbnNzaC1rZXktdjEAAAAABG5vbmU',
  slack: 'xoxb-2048-4096-ZkQwErTyUiOp',
  jwt: 'eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4ifQ',
};
const CORES = [
  SECRETS.githubToken.slice(4),
  SECRETS.urlPassword,
  SECRETS.awsKey,
  SECRETS.password,
  SECRETS.bearer,
  SECRETS.privateKey,
  SECRETS.slack.slice(5),
  SECRETS.jwt,
];

const outputs: Record<string, string> = {};
let evaluateRun: CliResult;

beforeAll(async () => {
  const dir = await copyEvidence('prod');
  // Placeholders of the checklist: the release owner and the product sign-off name.
  await editYaml(
    dir,
    'release.yaml',
    (d) => (d['owner'] = `platform-team (${SECRETS.githubToken})`),
  );
  await editYaml(
    dir,
    'signoff.yaml',
    (d) => (d['product'].name = `Maya eyJhbGciOiJIUzI1NiJ9.${SECRETS.jwt}.c2lnbmF0dXJl`),
  );
  // A link the policy quotes in its reason.
  await editYaml(
    dir,
    'runbook.yaml',
    (d) => (d['primary'] = `https://deploy:${SECRETS.urlPassword}@wiki.todox.example/runbook`),
  );
  // A value the policy quotes: a plain-file secret in prod.
  await editYaml(dir, 'ops.yaml', (d) => d['secretsManager'].plainFileSecrets.push(SECRETS.awsKey));
  // Keys and values the diagnostics quote: an unknown field, an unknown kind, a bad schemaVersion.
  await editYaml(dir, 'security.yaml', (d) => (d[`password=${SECRETS.password}`] = true));
  await writeFile(join(dir, 'extra.yaml'), `kind: "Authorization: Bearer ${SECRETS.bearer}"\n`);
  await writeFile(
    join(dir, 'key.yaml'),
    `kind: |\n  -----BEGIN OPENSSH PRIVATE KEY-----\n  ${SECRETS.privateKey}\n  -----END OPENSSH PRIVATE KEY-----\n`,
  );
  await editYaml(dir, 'topology.yaml', (d) => (d['schemaVersion'] = SECRETS.slack));

  const outDir = await makeTmp('prodgate-secrets-out-');
  const common = ['--env', 'prod', '--evidence', dir, '--as-of', AS_OF, '--repo-root', REPO_ROOT];
  const runs = await Promise.all([
    runCli(['evaluate', ...common, '--out', outDir]),
    runCli([
      'evaluate',
      ...common,
      '--out',
      await makeTmp('prodgate-secrets-json-'),
      '--stdout',
      'json',
    ]),
    runCli(['validate', '--env', 'prod', '--evidence', dir]),
    runCli(['explain', 'runbook.primary', ...common]),
    runCli(['explain', 'ops.secrets-manager', ...common]),
    runCli(['explain', 'security.cors', ...common]),
  ]);
  evaluateRun = runs[0] as CliResult;
  [
    'evaluate',
    'evaluate --stdout json',
    'validate',
    'explain runbook.primary',
    'explain ops.secrets-manager',
    'explain security.cors',
  ].forEach((name, i) => {
    const run = runs[i] as CliResult;
    outputs[name] = `${run.stdout}\n${run.stderr}`;
  });
  outputs['checklist'] = await readFile(join(outDir, checklistName('prod')), 'utf8');
  outputs['report'] = await readFile(join(outDir, reportName('prod')), 'utf8');
}, 120_000);
afterAll(cleanupTmp);

describe('no secret echo', () => {
  it('the evaluation is NO-GO, with the secrets in its evidence', () => {
    expect(evaluateRun.exitCode, evaluateRun.stderr).toBe(1);
  });

  it.each([
    'evaluate',
    'evaluate --stdout json',
    'validate',
    'explain runbook.primary',
    'explain ops.secrets-manager',
    'explain security.cors',
    'checklist',
    'report',
  ])('%s never prints a credential, and shows where one was redacted', (name) => {
    const text = outputs[name] ?? '';
    for (const core of CORES) expect(text, `${name} echoes ${core}`).not.toContain(core);
    expect(text).toMatch(/\\?\[REDACTED\\?\]/);
  });

  it('redacts in place, keeping what is not secret', () => {
    const checklist = outputs['checklist'] ?? '';
    expect(checklist).toContain('platform-team ([REDACTED])');
    expect(outputs['evaluate']).toContain(
      'link "https://[REDACTED]@wiki.todox.example/runbook" is not usable: the URL carries credentials',
    );
    expect(outputs['validate']).toMatch(
      /security\.yaml:\d+:\d+: error: unknown field "password=\[REDACTED\]" \(at \/password=\[REDACTED\]\) \[schema-violation\]/,
    );
    expect(outputs['validate']).toMatch(/key\.yaml:1:1: error: unknown kind "\[REDACTED\]/);
  });
});
