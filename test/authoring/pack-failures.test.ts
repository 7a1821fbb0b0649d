// Broken packs (tmp copies of the public-api-endpoint pack, each with one defect) fail
// with a clear message: a non-zero exit, a line naming the defect, no stack trace.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, describe, expect, it } from 'vitest';
import { AS_OF, CLI, cleanupTmp, makeTmp, REPO_ROOT, runCli } from '../support/helpers.ts';
import { append, cleanFailure, copyPackDir, edit } from '../support/pack.ts';

afterAll(cleanupTmp);

const TRAFFIC = 'policies/traffic/traffic.rego';

describe('a gate missing from the template', () => {
  it('fails lint, is warned about by build, and evaluate refuses the pack', async () => {
    const pack = await copyPackDir();
    const template = join(pack, 'templates/checklist.md');
    const text = await readFile(template, 'utf8');
    await writeFile(template, text.replace(/^.*<!-- gate: traffic\.limits\.payload -->\n/m, ''));

    const lint = await runCli(['lint', '--pack', pack]);
    expect(lint.exitCode).toBe(1);
    expect(cleanFailure(lint)).toContain(
      'templates/checklist.md:1: error: gate traffic.limits.payload is missing from the template: add a line ending in <!-- gate: traffic.limits.payload --> [template]',
    );

    const build = await runCli(['build', '--pack', pack]);
    expect(build.exitCode).toBe(0);
    expect(cleanFailure(build)).toMatch(
      /^prodgate: warning: checklist template and policies disagree: not in the template: traffic\.limits\.payload/m,
    );

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
      await makeTmp(),
    ]);
    expect(evaluate.exitCode).toBe(2);
    expect(cleanFailure(evaluate)).toMatch(
      /^prodgate: checklist template and policies disagree: not in the template: traffic\.limits\.payload$/m,
    );
  });
});

describe('a builtin that opa-wasm does not implement (time.now_ns)', () => {
  it('fails test and lint with the file and line, and build refuses to compile', async () => {
    const pack = await copyPackDir();
    await edit(
      join(pack, TRAFFIC),
      'max_load_test_age_days := 90\n',
      'max_load_test_age_days := 90\n\nclock_ns := time.now_ns()\n',
    );

    const test = await runCli(['test', '--pack', pack]);
    expect(test.exitCode).toBe(1);
    expect(cleanFailure(test)).toMatch(
      /^ERROR the policies and tests do not compile: 1 error occurred: policies\/traffic\/traffic\.rego:\d+: rego_type_error: undefined function time\.now_ns \(not a builtin the wasm target and opa-wasm implement: see policies\/capabilities\.json\)$/m,
    );
    expect(test.stdout).toMatch(/^prodgate test: FAILED \(the tests could not run\)$/m);

    const lint = await runCli(['lint', '--pack', pack]);
    expect(lint.exitCode).toBe(1);
    expect(cleanFailure(lint)).toMatch(
      /^policies\/traffic\/traffic\.rego:\d+: error: undefined function time\.now_ns \(not a builtin .*\) \(rego_type_error\) \[opa-check\]$/m,
    );

    const build = await runCli(['build', '--pack', pack]);
    expect(build.exitCode).toBe(2);
    expect(cleanFailure(build)).toMatch(/undefined function time\.now_ns/);
  });

  it('a builtin that runs in Go but throws in opa-wasm fails only the wasm run of the same test', async () => {
    const pack = await copyPackDir();
    // OPA's Go sprintf prints null for %v; opa-wasm's sprintf-js throws on it
    await append(
      join(pack, 'policies/traffic/traffic_test.rego'),
      '\ntest_v_of_null if {\n\tsprintf("%v", [null]) == "null"\n}\n',
    );
    const test = await runCli(['test', '--pack', pack]);
    expect(test.exitCode).toBe(1);
    const out = cleanFailure(test);
    expect(out).toMatch(/^opa test: \d+ passed, 0 failed/m);
    expect(out).toMatch(
      /^FAIL wasm checklist\.traffic_test\.test_v_of_null \(policies\/traffic\/traffic_test\.rego:\d+\): error under opa-wasm: .+$/m,
    );
    expect(out).toMatch(/^wasm: \d+ passed, 1 failed/m);
  });
});

describe('METADATA, evidence kinds and fail-closed', () => {
  it('a missing METADATA field fails lint and stops build', async () => {
    const pack = await copyPackDir();
    await edit(
      join(pack, TRAFFIC),
      '#   remediation: Configure a per-client rate limit at the gateway and record it in rateLimit.\n',
      '',
    );
    const lint = await runCli(['lint', '--pack', pack]);
    expect(lint.exitCode).toBe(1);
    expect(cleanFailure(lint)).toMatch(
      /^policies\/traffic\/traffic\.rego:\d+: error: gate traffic\.limits\.rate METADATA lacks remediation \[metadata\]$/m,
    );
    const build = await runCli(['build', '--pack', pack]);
    expect(build.exitCode).toBe(2);
    expect(cleanFailure(build)).toMatch(
      /^prodgate: policy METADATA is incomplete:\npolicies\/traffic\/traffic\.rego:\d+: gate traffic\.limits\.rate METADATA lacks remediation$/m,
    );
  });

  it('a rule written once (rules.default) applies to every environment; an environment it leaves without a rule, or one that repeats it, stops build', async () => {
    const pack = await copyPackDir();
    const manifest = JSON.parse(await readFile(join(pack, 'bundle/manifest.json'), 'utf8')) as {
      gates: { id: string; rules: Record<string, string> }[];
    };
    const rate = manifest.gates.find((g) => g.id === 'traffic.limits.rate');
    const once = 'rateLimit.requestsPerMinute is a positive integer and rateLimit.scope is client.';
    expect(rate?.rules).toEqual({ prod: once, sandbox: once });
    // {env} names the environment the rule is read for (release.metadata in the default pack)
    const shipped = JSON.parse(await readFile(join(REPO_ROOT, 'bundle/manifest.json'), 'utf8')) as {
      gates: { id: string; rules: Record<string, string> }[];
    };
    const metadata = shipped.gates.find((g) => g.id === 'release.metadata')?.rules ?? {};
    for (const env of ['pilot', 'staging', 'prod'])
      expect(metadata[env]).toMatch(
        new RegExp(`^At least one service/app, environment equal to ${env}, `),
      );

    await edit(
      join(pack, TRAFFIC),
      `#     default: ${once}\n`,
      `#     prod: ${once}\n#     default: ${once}\n`,
    );
    const repeated = await runCli(['build', '--pack', pack]);
    expect(repeated.exitCode).toBe(2);
    expect(cleanFailure(repeated)).toMatch(
      /gate traffic\.limits\.rate METADATA rules for prod repeat the default rule: leave them out$/m,
    );
    await edit(
      join(pack, TRAFFIC),
      `#     prod: ${once}\n#     default: ${once}\n`,
      `#     prod: ${once}\n`,
    );
    const lacking = await runCli(['build', '--pack', pack]);
    expect(lacking.exitCode).toBe(2);
    expect(cleanFailure(lacking)).toMatch(
      /gate traffic\.limits\.rate METADATA rules lack sandbox \(every environment of pack\.json needs its rule in words, or a default rule\)$/m,
    );
  });

  it('an evidence kind without a schema and a negated call on an absent field fail lint', async () => {
    const pack = await copyPackDir();
    await edit(
      join(pack, TRAFFIC),
      '#   parent: traffic.limits\n#   evidence: [traffic]\n#   rules:\n#     default: rateLimit',
      '#   parent: traffic.limits\n#   evidence: [traffic, cache]\n#   rules:\n#     default: rateLimit',
    );
    await edit(
      join(pack, TRAFFIC),
      '\tnot is_object(rate_limit)\n',
      '\tnot is_object(tr.rateLimit)\n',
    );
    const lint = await runCli(['lint', '--pack', pack]);
    expect(lint.exitCode).toBe(1);
    const out = cleanFailure(lint);
    expect(out).toMatch(
      /error: gate traffic\.limits\.rate reads evidence kind "cache", which has no schema in schemas\/evidence \(known: access, endpoint, traffic\) \[evidence-kinds\]/,
    );
    expect(out).toMatch(
      /^policies\/traffic\/traffic\.rego:\d+: error: not f\(x\.field\): when the field is absent .* \[fail-closed\]$/m,
    );
  });

  it('a gate that passes on empty evidence fails the fail-closed check of test', async () => {
    const pack = await copyPackDir();
    // the evidence kinds forgotten, and only violations kept: nothing says "missing"
    await edit(
      join(pack, TRAFFIC),
      'gates["traffic.limits.payload"] := lib.decide(["traffic"], payload_reasons)',
      'gates["traffic.limits.payload"] := lib.decide([], {r | some r in payload_reasons; r.code == "violation"})',
    );
    const test = await runCli(['test', '--pack', pack]);
    expect(test.exitCode).toBe(1);
    expect(cleanFailure(test)).toMatch(
      /^FAIL fail-closed prod: gate traffic\.limits\.payload passes with no evidence at all: it must fail closed/m,
    );
  });
});

describe('coverage', () => {
  it('under the minimum fails with the least covered file; a lower --coverage-min passes', async () => {
    const pack = await copyPackDir();
    // 30 rule lines no test reaches
    const untested = Array.from(
      { length: 30 },
      (_, i) => `\nuntested_${i}(x) := y if {\n\ty := x + ${i}\n}\n`,
    ).join('');
    await append(join(pack, TRAFFIC), untested);
    const test = await runCli(['test', '--pack', pack]);
    expect(test.exitCode).toBe(1);
    const out = cleanFailure(test);
    expect(out).toMatch(
      /^coverage: (\d+\.\d)% of \d+ policy lines \(minimum 90%\) UNDER THE MINIMUM; least covered: policies\/traffic\/traffic\.rego \d+\.\d% \(lines /m,
    );
    expect(out).toMatch(/^prodgate test: FAILED \(coverage \d+\.\d% is under the minimum 90%\)$/m);
    const lower = await runCli(['test', '--pack', pack, '--coverage-min', '50']);
    expect(lower.exitCode, lower.stdout).toBe(0);
    const bad = await runCli(['test', '--pack', pack, '--coverage-min', 'most']);
    expect(bad.exitCode).toBe(2);
    expect(cleanFailure(bad)).toMatch(/--coverage-min.*must be a percentage from 0 to 100/);
  });
});

describe('cannot test or lint at all (exit 2)', () => {
  it('a missing OPA or Regal binary, or an invalid pack.json', async () => {
    const pack = await copyPackDir();
    const run = async (args: string[], env: Record<string, string>) => {
      const r = await execa('node', [CLI, ...args], {
        reject: false,
        env: { PRODGATE_DEBUG: '', ...env },
      });
      return { exitCode: r.exitCode ?? -1, stdout: String(r.stdout), stderr: String(r.stderr) };
    };
    const noOpa = await run(['test', '--pack', pack], { OPA_BIN: '/nonexistent/opa' });
    expect(noOpa.exitCode).toBe(2);
    expect(cleanFailure(noOpa)).toMatch(
      /^prodgate: OPA CLI not found at \/nonexistent\/opa: run npm run setup:opa or set OPA_BIN$/m,
    );
    const noRegal = await run(['lint', '--pack', pack], { REGAL_BIN: '/nonexistent/regal' });
    expect(noRegal.exitCode).toBe(2);
    expect(cleanFailure(noRegal)).toMatch(
      /^prodgate: Regal not found at \/nonexistent\/regal: run bash scripts\/setup-regal\.sh or set REGAL_BIN$/m,
    );

    await edit(join(pack, 'pack.json'), '"environments"', '"environment"');
    const badConfig = await runCli(['test', '--pack', pack]);
    expect(badConfig.exitCode).toBe(2);
    expect(cleanFailure(badConfig)).toMatch(
      /^prodgate: pack manifest .*pack\.json is invalid: unknown key "environment" .*; environments must be a non-empty list of lowercase names$/m,
    );
  });
});
