// Issue 9, part 3, for the pack-author commands: text from pack files (evidence kinds in
// METADATA, test file names) and from their flags is printed escaped for a terminal or CI
// log (src/core/text/escape.ts escapeCiLog), so it cannot run a workflow command there.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cleanupTmp, makeTmp, runCli } from '../support/helpers.ts';
import { cleanFailure, copyPackDir, edit } from '../support/pack.ts';

afterAll(cleanupTmp);

const TRAFFIC = 'policies/traffic/traffic.rego';
// What a CI runner would act on, at a line's start or (Azure, TeamCity) anywhere.
const WORKFLOW_COMMAND = /^\s*::[A-Za-z-]|^\s*##\[|##vso\[|##teamcity\[/im;
// eslint-style: an ESC or a C1 CSI would recolour or hide the terminal's text.
const ANSI = /[\u001b\u009b]/;

function expectInert(out: string): void {
  expect(out).not.toMatch(WORKFLOW_COMMAND);
  expect(out).not.toMatch(ANSI);
}

describe('pack text reaches the terminal and CI log escaped', () => {
  it('lint: an evidence kind named with a workflow command and an ANSI escape in METADATA', async () => {
    const pack = await copyPackDir();
    await edit(
      join(pack, TRAFFIC),
      '#   parent: traffic.limits\n#   evidence: [traffic]\n#   rules:\n#     default: rateLimit',
      '#   parent: traffic.limits\n#   evidence: [traffic, "::error::forged ##vso[task.setvariable variable=X]true \\e[8m"]\n#   rules:\n#     default: rateLimit',
    );
    const lint = await runCli(['lint', '--pack', pack]);
    expect(lint.exitCode).toBe(1);
    const out = cleanFailure(lint);
    expectInert(out);
    expect(out).toContain(
      ':\\:error:\\:forged #\\#vso[task.setvariable variable=X]true \\u001b[8m',
    );
  });

  it('test: a failing test in a file whose name holds workflow commands', async () => {
    const pack = await copyPackDir();
    await writeFile(
      join(pack, 'policies/traffic/::error::forged ##vso[x]_test.rego'),
      'package traffic_forged_test\n\ntest_forged if {\n\tfalse\n}\n',
    );
    const test = await runCli(['test', '--pack', pack, '--coverage-min', '0']);
    expect(test.exitCode).toBe(1);
    const out = cleanFailure(test);
    expectInert(out);
    expect(out).toMatch(
      /^FAIL opa traffic_forged_test\.test_forged \(.*:\\:error:\\:forged #\\#vso\[x\]_test\.rego:3\)/m,
    );
  });

  it('new pack and init: a folder named with a workflow command is shown escaped', async () => {
    const tmp = await makeTmp();
    const dir = join(tmp, '::warning::pack ##[error]x');
    const created = await runCli(['new', 'pack', dir, '--name', 'demo', '--env', 'prod']);
    expect(created.exitCode, cleanFailure(created)).toBe(0);
    expectInert(created.stdout);
    expect(created.stdout).toContain(':\\:warning:\\:pack #\\#[error]x');

    const out = join(tmp, '::notice::evidence\u001b[2J');
    const init = await runCli([
      'init',
      '--env',
      'prod',
      '--pack',
      await copyPackDir(),
      '--out',
      out,
    ]);
    expect(init.exitCode, cleanFailure(init)).toBe(0);
    expectInert(init.stdout);
    expect(init.stdout).toContain(':\\:notice:\\:evidence\\u001b[2J');
  });
});
