// The CLI's contract: exit codes (0 GO, 1 NO-GO, 2 cannot evaluate), help, validate,
// explain and --env all; never a stack trace.
import { createHash } from 'node:crypto';
import { cp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  AS_OF,
  checklistName,
  cleanupTmp,
  copyEvidence,
  copyPack,
  editYaml,
  ENVS,
  makeTmp,
  readReport,
  REPO_ROOT,
  reportName,
  runCli,
  STACK_TRACE,
  type CliResult,
} from '../support/helpers.ts';
import { approveSignoffs } from '../support/approve.ts';

afterAll(cleanupTmp);

function expectClean(run: CliResult): void {
  expect(run.stderr).not.toMatch(STACK_TRACE);
  expect(run.stderr).not.toMatch(/internal error/);
}

/** Runs evaluate for prod into a fresh output folder with extra arguments. */
async function evaluateProd(
  extra: string[],
  cwd?: string,
): Promise<CliResult & { outDir: string }> {
  const outDir = await makeTmp('prodgate-cli-out-');
  const run = await runCli(
    ['evaluate', '--env', 'prod', '--as-of', AS_OF, '--out', outDir, ...extra],
    cwd ? { cwd } : {},
  );
  return { ...run, outDir };
}

describe('exit codes', () => {
  it('0 for prod (GO) and 1 for staging (NO-GO)', async () => {
    const [prod, staging] = await Promise.all([
      evaluateProd([]),
      runCli(['evaluate', '--env', 'staging', '--as-of', AS_OF, '--out', await makeTmp()]),
    ]);
    expect(prod.exitCode).toBe(0);
    expect(staging.exitCode).toBe(1);
    expectClean(prod);
    expectClean(staging);
  });

  it.each([
    ['an unknown --env', ['--env', 'qa'], /unknown environment "qa"/],
    [
      'a --as-of that is no date',
      ['--env', 'prod', '--as-of', 'tomorrow'],
      /--as-of must be a date YYYY-MM-DD/,
    ],
    [
      'a --as-of with month 13',
      ['--env', 'prod', '--as-of', '2026-13-01'],
      /--as-of must be a date/,
    ],
    [
      'an impossible --as-of (February 30th)',
      ['--env', 'prod', '--as-of', '2026-02-30'],
      /--as-of must be a date/,
    ],
    [
      'a --as-of in another format',
      ['--env', 'prod', '--as-of', '25.11.2026'],
      /--as-of must be a date/,
    ],
    [
      'a --as-of with a time',
      ['--env', 'prod', '--as-of', '2026-11-25T00:00:00Z'],
      /--as-of must be a date/,
    ],
    [
      'a missing evidence folder',
      ['--env', 'prod', '--evidence', 'evidence/nope'],
      /evidence folder .*nope.* cannot be read/,
    ],
    [
      'an evidence "folder" that is a file',
      ['--env', 'prod', '--evidence', 'package.json'],
      /cannot be read/,
    ],
    ['an unknown flag', ['--env', 'prod', '--frobnicate'], /unknown option '--frobnicate'/],
    [
      'no --env',
      [],
      /^prodgate: --env is required: use one of pilot, staging, prod, all \(e\.g\. --env prod\)\n$/,
    ],
    ['an unknown --format', ['--env', 'prod', '--format', 'xml'], /invalid/i],
    ['a missing pack', ['--env', 'prod', '--pack', '/nonexistent/pack'], /cannot be read/],
  ])('2 for %s, with a one-line message and no output written', async (_name, args, message) => {
    const outDir = await makeTmp('prodgate-cli-out-');
    // a later --as-of given by the case overrides the first one
    const run = await runCli(['evaluate', '--as-of', AS_OF, '--out', outDir, ...args]);
    expect(run.exitCode, run.stdout).toBe(2);
    expect(run.stderr).toMatch(message);
    expectClean(run);
    expect(await readdir(outDir)).toEqual([]);
  });

  it('2 for an unknown command', async () => {
    const run = await runCli(['evalute', '--env', 'prod']);
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toMatch(/unknown command/);
    expectClean(run);
  });

  it('2 when the bundle is missing from the pack', async () => {
    const pack = await copyPack();
    await rm(join(pack, 'bundle', 'policy.wasm'));
    const run = await evaluateProd([
      '--pack',
      pack,
      '--evidence',
      join(REPO_ROOT, 'evidence/prod'),
    ]);
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toMatch(/^prodgate: policy bundle .*policy\.wasm cannot be read/);
    expectClean(run);
    expect(await readdir(run.outDir)).toEqual([]);

    await rm(join(pack, 'bundle'), { recursive: true });
    const noBundle = await evaluateProd([
      '--pack',
      pack,
      '--evidence',
      join(REPO_ROOT, 'evidence/prod'),
    ]);
    expect(noBundle.exitCode).toBe(2);
    expect(noBundle.stderr).toMatch(/manifest/);
    expectClean(noBundle);
  });

  it('2 when policy.wasm is corrupt (digest mismatch)', async () => {
    const pack = await copyPack();
    const wasmPath = join(pack, 'bundle', 'policy.wasm');
    const wasm = await readFile(wasmPath);
    const middle = Math.floor(wasm.length / 2);
    wasm.writeUInt8((wasm.readUInt8(middle) ^ 0xff) & 0xff, middle);
    await writeFile(wasmPath, wasm);
    const run = await evaluateProd([
      '--pack',
      pack,
      '--evidence',
      join(REPO_ROOT, 'evidence/prod'),
    ]);
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toMatch(/corrupt: sha256 .* does not match/);
    expectClean(run);
  });

  it('2 when policy.wasm is not WebAssembly, even with a matching digest', async () => {
    const pack = await copyPack();
    const garbage = Buffer.from('definitely not a wasm module\n');
    await writeFile(join(pack, 'bundle', 'policy.wasm'), garbage);
    const manifestPath = join(pack, 'bundle', 'manifest.json');
    const manifest = JSON.parse(await readFile(manifestPath, 'utf8')) as {
      wasm: { sha256: string };
    };
    manifest.wasm.sha256 = createHash('sha256').update(garbage).digest('hex');
    await writeFile(manifestPath, JSON.stringify(manifest, null, 2));
    const run = await evaluateProd([
      '--pack',
      pack,
      '--evidence',
      join(REPO_ROOT, 'evidence/prod'),
    ]);
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toMatch(/policy\.wasm cannot be loaded/);
    expectClean(run);
  });

  it('2 when the manifest is not JSON or the template and policies disagree', async () => {
    const pack = await copyPack();
    const manifestPath = join(pack, 'bundle', 'manifest.json');
    const original = await readFile(manifestPath, 'utf8');
    await writeFile(manifestPath, '{ not json');
    const badJson = await evaluateProd([
      '--pack',
      pack,
      '--evidence',
      join(REPO_ROOT, 'evidence/prod'),
    ]);
    expect(badJson.exitCode).toBe(2);
    expect(badJson.stderr).toMatch(/not valid JSON/);
    expectClean(badJson);

    await writeFile(manifestPath, original);
    const templatePath = join(pack, 'templates', 'checklist.md');
    await writeFile(
      templatePath,
      (await readFile(templatePath, 'utf8')).replace(' <!-- gate: ops.slos -->', ''),
    );
    const disagree = await evaluateProd([
      '--pack',
      pack,
      '--evidence',
      join(REPO_ROOT, 'evidence/prod'),
    ]);
    expect(disagree.exitCode).toBe(2);
    expect(disagree.stderr).toMatch(
      /checklist template and policies disagree: not in the template: ops\.slos/,
    );
    expectClean(disagree);
  });

  it('a copied pack that is intact evaluates like the shipped one', async () => {
    const pack = await copyPack();
    const run = await evaluateProd([
      '--pack',
      pack,
      '--evidence',
      join(REPO_ROOT, 'evidence/prod'),
      '--repo-root',
      REPO_ROOT,
    ]);
    expect(run.exitCode, run.stderr).toBe(0);
    expect((await readReport(run.outDir, 'prod')).verdict).toBe('GO');
  });
});

describe('help and version', () => {
  it.each([[[]], [['evaluate']], [['validate']], [['explain']], [['build']]])(
    '--help exits 0 for %j',
    async (command) => {
      const run = await runCli([...command, '--help']);
      expect(run.exitCode).toBe(0);
      expect(run.stdout).toMatch(/^Usage: prodgate/);
      expect(run.stderr).toBe('');
      if (command.length) expect(run.stdout).toContain(`Usage: prodgate ${command[0]}`);
      else
        for (const c of ['evaluate', 'validate', 'explain', 'build'])
          expect(run.stdout).toContain(c);
    },
  );

  it('evaluate --help documents its options', async () => {
    const run = await runCli(['evaluate', '--help']);
    for (const option of [
      '--env <env>',
      '--evidence <dir>',
      '--out <dir>',
      '--as-of <date>',
      '--format <format>',
      '--repo-root <dir>',
      '--pack <dir>',
    ]) {
      expect(run.stdout).toContain(option);
    }
  });

  it('--version prints the package version', async () => {
    const pkg = JSON.parse(await readFile(join(REPO_ROOT, 'package.json'), 'utf8')) as {
      version: string;
    };
    const run = await runCli(['--version']);
    expect(run.exitCode).toBe(0);
    expect(run.stdout.trim()).toBe(pkg.version);
  });
});

describe('evaluate --stdout json', () => {
  it('prints exactly the report it writes', async () => {
    const run = await evaluateProd(['--stdout', 'json']);
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toBe(await readFile(join(run.outDir, reportName('prod')), 'utf8'));
    expect(JSON.parse(run.stdout).verdict).toBe('GO');
  });
});

describe('evaluate --env all', () => {
  it('evaluates the three environments, writes six files and exits 1 because staging is NO-GO', async () => {
    const outDir = await makeTmp('prodgate-all-');
    const run = await runCli(['evaluate', '--env', 'all', '--as-of', AS_OF, '--out', outDir]);
    expect(run.exitCode, run.stderr).toBe(1);
    expectClean(run);
    expect((await readdir(outDir)).sort()).toEqual(
      ENVS.flatMap((e) => [checklistName(e), reportName(e)]).sort(),
    );
    for (const env of ENVS) {
      const report = await readReport(outDir, env);
      expect(report.environment).toBe(env);
      expect(report.verdict).toBe(env === 'staging' ? 'NO-GO' : 'GO');
      expect(await readFile(join(outDir, reportName(env)))).toEqual(
        await readFile(join(REPO_ROOT, 'outputs', reportName(env))),
      );
    }
    expect(run.stdout).toMatch(/^pilot \(as of 2026-11-25\): GO/m);
    expect(run.stdout).toMatch(/^staging \(as of 2026-11-25\): NO-GO/m);
    expect(run.stdout).toMatch(/^prod \(as of 2026-11-25\): GO/m);
  });

  it('exits 0 when every environment is GO', async () => {
    const root = await makeTmp('prodgate-all-go-');
    for (const env of ENVS) {
      await cp(join(REPO_ROOT, 'evidence', 'prod'), join(root, env), { recursive: true });
      await editYaml(join(root, env), 'release.yaml', (d) => (d['environment'] = env));
      await approveSignoffs(join(root, env)); // the sign-offs approve the edited evidence
    }
    const outDir = await makeTmp('prodgate-all-go-out-');
    const run = await runCli([
      'evaluate',
      '--env',
      'all',
      '--evidence',
      root,
      '--repo-root',
      REPO_ROOT,
      '--as-of',
      AS_OF,
      '--out',
      outDir,
    ]);
    expect(run.stdout.match(/: GO — /g)).toHaveLength(3);
    expect(run.exitCode, run.stdout).toBe(0);
  });
});

describe('prodgate validate', () => {
  it('exits 0 for the prod example', async () => {
    const run = await runCli(['validate', '--env', 'prod']);
    expect(run.exitCode, run.stderr).toBe(0);
    expect(run.stdout).toBe('prod: 9 file(s), 0 error(s)\n');
  });

  it('exits 1 on an invalid copy, printing each diagnostic as file:line:col', async () => {
    const dir = await copyEvidence('prod');
    await editYaml(dir, 'security.yaml', (d) => (d['cors'].allowAll = true));
    await editYaml(dir, 'topology.yaml', (d) => (d['decision'] = 'hybrid'));
    const run = await runCli(['validate', '--env', 'prod', '--evidence', dir]);
    expect(run.exitCode).toBe(1);
    expectClean(run);
    const lines = run.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(
      new RegExp(
        `^${dir}/security\\.yaml:\\d+:3: error: unknown field "allowAll" \\(at /cors/allowAll\\) \\[schema-violation\\]$`,
      ),
    );
    expect(lines[1]).toMatch(
      new RegExp(
        `^${dir}/topology\\.yaml:\\d+:1: error: must be one of "single-node", "multi-node" \\(at /decision\\) \\[schema-violation\\]$`,
      ),
    );
    expect(lines[2]).toBe('prod: 9 file(s), 2 error(s)');
  });

  it('exits 2 for a missing folder', async () => {
    const run = await runCli([
      'validate',
      '--env',
      'prod',
      '--evidence',
      join(await makeTmp(), 'missing'),
    ]);
    expect(run.exitCode).toBe(2);
    expectClean(run);
  });
});

describe('prodgate explain', () => {
  it('explains a failing staging gate: title, staging rule, FAIL and the located reason', async () => {
    const run = await runCli(['explain', 'security.cors', '--env', 'staging', '--as-of', AS_OF]);
    expect(run.exitCode).toBe(1);
    expectClean(run);
    const manifest = JSON.parse(
      await readFile(join(REPO_ROOT, 'bundle/manifest.json'), 'utf8'),
    ) as { gates: { id: string; title: string; rules: Record<string, string> }[] };
    const meta = manifest.gates.find((g) => g.id === 'security.cors');
    expect(run.stdout.split('\n')[0]).toBe(`security.cors: ${meta?.title}`);
    expect(run.stdout).toContain(`  rule (staging): ${meta?.rules['staging']}\n`);
    expect(meta?.rules['staging']).not.toBe(meta?.rules['prod']);
    expect(run.stdout).toContain('  status: FAIL (as of 2026-11-25)\n');
    expect(run.stdout).toMatch(
      / {4}- \[violation\] origin "https:\/\/\*\.preview\.todox\.example": a wildcard origin together with allowCredentials: true is never allowed\n/,
    );
    expect(run.stdout).toContain('      at security.yaml:25:7 /cors/trustedOrigins/1\n');
    expect(run.stdout).toContain('    - security: security.yaml\n');
  });

  it('explains a passing gate with exit 0', async () => {
    const run = await runCli(['explain', 'security.cors', '--env', 'prod', '--as-of', AS_OF]);
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toContain('  status: PASS (as of 2026-11-25)\n');
    expect(run.stdout).not.toContain('remediation:');
  });

  it.each([
    [
      'an unknown gate id',
      ['explain', 'security.nope', '--env', 'staging', '--as-of', AS_OF],
      /unknown gate "security\.nope"/,
    ],
    [
      '--env all',
      ['explain', 'security.cors', '--env', 'all', '--as-of', AS_OF],
      /one environment/,
    ],
    [
      'an unknown environment',
      ['explain', 'security.cors', '--env', 'qa', '--as-of', AS_OF],
      /unknown environment/,
    ],
    ['no gate id', ['explain', '--env', 'prod'], /missing required argument/],
  ])('exits 2 for %s', async (_name, args, message) => {
    const run = await runCli(args);
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toMatch(message);
    expectClean(run);
  });
});
