// `prodgate new gate` on tmp copies of both packs: the scaffold builds, its tests pass
// under opa and opa-wasm, lint names every TODO until it is filled, and the new gate
// fails closed on evidence that lacks its field.
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { AS_OF, cleanupTmp, makeTmp, readReport, REPO_ROOT, runCli } from '../support/helpers.ts';
import { cleanFailure, copyPackDir } from '../support/pack.ts';

afterAll(cleanupTmp);

/** What an author does after scaffolding: replace each TODO with real words. */
async function fillTodos(pack: string, files: string[]): Promise<void> {
  for (const file of files) {
    const path = join(pack, file);
    await writeFile(path, (await readFile(path, 'utf8')).replace(/TODO /g, ''));
  }
}

describe('new gate in the public-api-endpoint pack', () => {
  it('scaffolds a child gate and a gate in a new section that test, lint (once filled), build and evaluate', async () => {
    const pack = await copyPackDir();
    const child = await runCli([
      'new',
      'gate',
      'traffic.limits.burst',
      '--section',
      'traffic',
      '--pack',
      pack,
    ]);
    expect(child.exitCode, cleanFailure(child)).toBe(0);
    expect(child.stdout).toContain(
      'scaffolded gate traffic.limits.burst (section traffic, reads traffic):',
    );
    expect(child.stdout).toMatch(
      /^ {2}4\. npx prodgate build --pack .* {4}compile bundle\/, then commit the sources and bundle\/ together$/m,
    );
    const decisionBefore = await readFile(join(pack, 'policies/decision.rego'), 'utf8');
    const fresh = await runCli([
      'new',
      'gate',
      'docs.reference',
      '--section',
      'docs',
      '--title',
      'Public reference docs are published',
      '--evidence',
      'docs,endpoint',
      '--pack',
      pack,
    ]);
    expect(fresh.exitCode, cleanFailure(fresh)).toBe(0);
    // A new section is a package under data.checklist: the entrypoint finds it, unedited.
    expect(fresh.stdout).toMatch(/policies\/docs\/docs\.rego +a new section with the rule/);
    expect(fresh.stdout).not.toMatch(/decision\.rego|entrypoint/);
    expect(await readFile(join(pack, 'policies/decision.rego'), 'utf8')).toBe(decisionBefore);
    expect(await readFile(join(pack, 'policies/docs/docs.rego'), 'utf8')).toMatch(
      /^package checklist\.docs$/m,
    );
    expect(fresh.stdout).toMatch(
      /schemas\/evidence\/docs\.v1\.schema\.json +the field reference \(a new evidence kind\)/,
    );

    const template = await readFile(join(pack, 'templates/checklist.md'), 'utf8');
    expect(template).toContain(
      '  - [ ] a maximum request size of at most 10 MiB (`{{traffic:/maxRequestBytes ?? -}}` bytes) <!-- gate: traffic.limits.payload -->\n  - [ ] TODO the checklist line of traffic.limits.burst <!-- gate: traffic.limits.burst -->\n',
    );
    expect(template).toMatch(
      /\n## Docs\n\n- \[ \] Public reference docs are published <!-- gate: docs.reference -->\n$/,
    );

    const test = await runCli(['test', '--pack', pack]);
    expect(test.exitCode, cleanFailure(test)).toBe(0);
    expect(test.stdout).toMatch(/^wasm: \d+ passed, 0 failed/m);

    const lint = await runCli(['lint', '--pack', pack]);
    expect(lint.exitCode).toBe(1);
    const findings = cleanFailure(lint);
    expect(findings).toMatch(
      /error: gate traffic\.limits\.burst METADATA still has TODO placeholders: title, description, rules\.prod, rules\.sandbox, remediation \[metadata\]/,
    );
    expect(findings).toMatch(
      /error: gate docs\.reference METADATA still has TODO placeholders: description, rules\.prod, rules\.sandbox, remediation \[metadata\]/,
    );
    expect(findings).toMatch(
      /^templates\/checklist\.md:\d+: error: the line of gate traffic\.limits\.burst still has a TODO placeholder \[template\]$/m,
    );
    expect(findings).toMatch(
      /schemas\/evidence\/traffic\.v1\.schema\.json:1: error: field \/limitsBurst still has a TODO description \[schemas\]/,
    );
    expect(findings).toMatch(/\(style\/todo-comment\) \[regal\]/);
    // everything else about the scaffold is already right
    expect(findings.split('\n').filter((l) => / error: /.test(l) && !/TODO/.test(l))).toEqual([]);

    await fillTodos(pack, [
      'policies/traffic/traffic.rego',
      'policies/docs/docs.rego',
      'templates/checklist.md',
      'schemas/evidence/traffic.v1.schema.json',
      'schemas/evidence/docs.v1.schema.json',
    ]);
    const clean = await runCli(['lint', '--pack', pack]);
    expect(clean.exitCode, clean.stdout).toBe(0);

    const build = await runCli(['build', '--pack', pack]);
    expect(build.exitCode, cleanFailure(build)).toBe(0);
    expect(build.stdout).toMatch(/^gates added: docs\.reference, traffic\.limits\.burst$/m);
    expect(build.stderr).toBe('');

    // the example evidence has neither new field: both new gates fail, closed
    const out = await makeTmp();
    const evaluate = await runCli([
      'evaluate',
      '--pack',
      pack,
      '--env',
      'prod',
      '--evidence',
      join(pack, 'evidence/prod'),
      '--as-of',
      AS_OF,
      '--out',
      out,
    ]);
    expect(evaluate.exitCode, cleanFailure(evaluate)).toBe(1);
    const report = await readReport(out, 'prod');
    const status = Object.fromEntries(report.gates.map((g) => [g.id, g.status]));
    expect(status).toMatchObject({
      'traffic.limits.burst': 'fail',
      'traffic.limits': 'fail',
      'docs.reference': 'fail',
      'traffic.limits.rate': 'pass',
    });
  });

  it('refuses a malformed, taken or orphaned id, changing nothing', async () => {
    const pack = await copyPackDir();
    const before = await readFile(join(pack, 'templates/checklist.md'), 'utf8');
    for (const [args, message] of [
      [
        ['Traffic.Burst', '--section', 'traffic'],
        /gate id "Traffic\.Burst" must be section\.name or section\.name\.child/,
      ],
      [
        ['traffic.limits.rate', '--section', 'traffic'],
        /gate traffic\.limits\.rate already exists \(policies\/traffic\/traffic\.rego:\d+\)/,
      ],
      [
        ['traffic.quota.daily', '--section', 'traffic'],
        /gate traffic\.quota\.daily is a child of traffic\.quota, which does not exist: scaffold it first/,
      ],
      [
        ['endpoint.cors', '--section', 'traffic'],
        /gate id endpoint\.cors must start with its section: traffic\.<name>/,
      ],
      [
        ['traffic.burst', '--section', 'traffic', '--field', 'rateLimit'],
        /already has a field rateLimit; name another with --field/,
      ],
    ] as const) {
      const run = await runCli(['new', 'gate', ...args, '--pack', pack]);
      expect(run.exitCode, args.join(' ')).toBe(2);
      expect(cleanFailure(run)).toMatch(message);
    }
    expect(await readFile(join(pack, 'templates/checklist.md'), 'utf8')).toBe(before);
  });
});

describe('a section added by hand', () => {
  it('is decided by the entrypoint with no edit of policies/decision.rego', async () => {
    const pack = await copyPackDir();
    const decision = await readFile(join(pack, 'policies/decision.rego'), 'utf8');
    await mkdir(join(pack, 'policies/docs'));
    await writeFile(
      join(pack, 'policies/docs/docs.rego'),
      [
        '# METADATA',
        '# title: Docs',
        '# description: The docs gates.',
        'package checklist.docs',
        '',
        'import data.prodgate.lib',
        '',
        '# METADATA',
        '# title: Reference docs are published',
        '# description: The endpoint records that its reference docs are published.',
        '# custom:',
        '#   id: docs.published',
        '#   section: docs',
        '#   severity: low',
        '#   evidence: [endpoint]',
        '#   rules:',
        '#     default: docsPublished is true.',
        '#   remediation: Publish the reference docs and set docsPublished.',
        'gates["docs.published"] := lib.decide(["endpoint"], lib.flag_reasons("endpoint", "/docsPublished", object.get(lib.evidence("endpoint"), "docsPublished", null), "the reference docs are published"))',
        '',
      ].join('\n'),
    );
    const template = join(pack, 'templates/checklist.md');
    await writeFile(
      template,
      `${await readFile(template, 'utf8')}\n## Docs\n\n- [ ] Reference docs are published <!-- gate: docs.published -->\n`,
    );
    const build = await runCli(['build', '--pack', pack]);
    expect(build.exitCode, cleanFailure(build)).toBe(0);
    expect(build.stdout).toMatch(/^gates added: docs\.published$/m);
    expect(await readFile(join(pack, 'policies/decision.rego'), 'utf8')).toBe(decision);

    const out = await makeTmp();
    const evaluate = await runCli([
      'evaluate',
      '--pack',
      pack,
      '--env',
      'prod',
      '--evidence',
      join(pack, 'evidence/prod'),
      '--as-of',
      AS_OF,
      '--out',
      out,
    ]);
    expect(evaluate.exitCode, cleanFailure(evaluate)).toBe(1);
    const gate = (await readReport(out, 'prod')).gates.find((g) => g.id === 'docs.published');
    expect(gate?.status).toBe('fail');
    expect(gate?.reasons.map((r) => r.message)).toEqual([
      'not recorded whether the reference docs are published',
    ]);
  });
});

describe('new gate in the default pack', () => {
  it('adds a gate to an existing section whose scaffolded tests pass under opa and opa-wasm', async () => {
    const pack = await copyPackDir(REPO_ROOT);
    const run = await runCli([
      'new',
      'gate',
      'runbook.status-page',
      '--section',
      'runbook',
      '--title',
      'Status page',
      '--severity',
      'medium',
      '--pack',
      pack,
    ]);
    expect(run.exitCode, cleanFailure(run)).toBe(0);
    const tests = await readFile(join(pack, 'policies/runbook/runbook_test.rego'), 'utf8');
    // the existing import is used, as Regal wants
    expect(tests).toContain(
      'gate := runbook.gates["runbook.status-page"] with input as status_page_input({"done": true})',
    );
    const template = await readFile(join(pack, 'templates/checklist.md'), 'utf8');
    expect(template).toContain(
      '<!-- gate: runbook.known-issues -->\n- [ ] Status page <!-- gate: runbook.status-page -->\n',
    );
    const test = await runCli(['test', '--pack', pack]);
    expect(test.exitCode, cleanFailure(test)).toBe(0);
    expect(test.stdout).toMatch(
      /^fail-closed: with no evidence, no gate passes in any environment$/m,
    );
  });
});

describe('new pack: a team starts its own checklist', () => {
  it('new pack, two gates, test, lint, build, init, evaluate: GO only once the evidence is filled in', async () => {
    const pack = join(await makeTmp('prodgate-newpack-'), 'vendor-onboarding');
    const start = await runCli([
      'new',
      'pack',
      pack,
      '--env',
      'review,prod',
      '--description',
      'Onboarding a new vendor',
    ]);
    expect(start.exitCode, cleanFailure(start)).toBe(0);
    // The Rego library is prodgate's shared one, not a copy in the pack.
    expect(start.stdout).not.toMatch(/lib\.rego/);
    expect(existsSync(join(pack, 'policies/lib'))).toBe(false);
    for (const args of [
      ['contract.dpa', '--section', 'contract', '--title', 'A data processing agreement is signed'],
      ['contract.sla', '--section', 'contract', '--title', 'The SLA is agreed'],
    ]) {
      const run = await runCli(['new', 'gate', ...args, '--pack', pack]);
      expect(run.exitCode, cleanFailure(run)).toBe(0);
    }
    const test = await runCli(['test', '--pack', pack]);
    expect(test.exitCode, cleanFailure(test)).toBe(0);
    await fillTodos(pack, [
      'policies/contract/contract.rego',
      'schemas/evidence/contract.v1.schema.json',
    ]);
    const lint = await runCli(['lint', '--pack', pack]);
    expect(lint.exitCode, lint.stdout).toBe(0);
    const build = await runCli(['build', '--pack', pack]);
    expect(build.exitCode, cleanFailure(build)).toBe(0);
    expect(build.stdout).toMatch(/^built vendor-onboarding 0\.1\.0: 2 gates/m);

    const evidence = join(pack, 'evidence/prod');
    const init = await runCli(['init', '--env', 'prod', '--pack', pack, '--out', evidence]);
    expect(init.exitCode, cleanFailure(init)).toBe(0);
    expect(existsSync(join(pack, 'policies/lib'))).toBe(false);
    const evaluate = (out: string) =>
      runCli([
        'evaluate',
        '--pack',
        pack,
        '--env',
        'prod',
        '--evidence',
        evidence,
        '--as-of',
        AS_OF,
        '--out',
        out,
      ]);
    const starter = await evaluate(await makeTmp());
    expect(starter.exitCode, 'starter evidence never passes').toBe(1);
    expect(starter.stdout).toMatch(/NO-GO — 0 fail, 2 error, 0 waived, 0 pass, 0 n\/a/);

    const file = join(evidence, 'contract.yaml');
    await writeFile(file, (await readFile(file, 'utf8')).replace(/^(\s+)done:$/gm, '$1done: true'));
    const filled = await evaluate(await makeTmp());
    expect(filled.exitCode, filled.stdout).toBe(0);
  });
});
