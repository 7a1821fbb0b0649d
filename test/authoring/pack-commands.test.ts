// The authoring commands (build, test, lint, init) and the evaluating ones, run by the
// built CLI on the default pack and on the second example pack: nothing in src/ knows
// either pack's gates.
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { cp, readdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import yaml from 'js-yaml';
import { afterAll, describe, expect, it } from 'vitest';
import { AS_OF, cleanupTmp, makeTmp, readReport, REPO_ROOT, runCli } from '../support/helpers.ts';
import { API_PACK, cleanFailure, copyPackDir } from '../support/pack.ts';

afterAll(cleanupTmp);

const PACKS = [
  { name: 'the default pack', dir: REPO_ROOT, gates: 54 },
  { name: 'public-api-endpoint', dir: API_PACK, gates: 8 },
] as const;

describe.each(PACKS)('$name', ({ dir, gates }) => {
  it('build reproduces the committed bundle from a copy of the pack', async () => {
    const copy = await copyPackDir(dir);
    const committed = JSON.parse(await readFile(join(dir, 'bundle/manifest.json'), 'utf8')) as {
      wasm: { sha256: string };
    };
    const run = await runCli(['build', '--pack', copy]);
    expect(run.exitCode, cleanFailure(run)).toBe(0);
    expect(run.stdout).toMatch(
      new RegExp(`^built \\S+ \\d+\\.\\d+\\.\\d+: ${gates} gates, OPA \\d+\\.\\d+\\.\\d+`),
    );
    expect(run.stdout).toContain(`policy.wasm sha256 ${committed.wasm.sha256} (unchanged)`);
    expect(run.stdout).not.toMatch(/gates (added|removed|changed)/);
    expect(run.stderr).toBe('');
  });

  it('test passes opa test, coverage, the same tests under opa-wasm and the fail-closed check', async () => {
    const run = await runCli(['test', '--pack', dir]);
    expect(run.exitCode, cleanFailure(run)).toBe(0);
    const opa = /^opa test: (\d+) passed, 0 failed/m.exec(run.stdout);
    const wasm = /^wasm: (\d+) passed, 0 failed/m.exec(run.stdout);
    expect(Number(opa?.[1])).toBeGreaterThan(20);
    expect(wasm?.[1], 'every opa test also ran under opa-wasm').toBe(opa?.[1]);
    const coverage = /^coverage: (\d+\.\d)% of \d+ policy lines \(minimum 90%\)/m.exec(run.stdout);
    expect(Number(coverage?.[1])).toBeGreaterThanOrEqual(90);
    expect(run.stdout).toMatch(
      /^fail-closed: with no evidence, no gate passes in any environment$/m,
    );
    expect(run.stdout).toMatch(/^prodgate test: ok$/m);
  });

  it('lint is clean: opa fmt, opa check --strict, Regal and the pack checks', async () => {
    const run = await runCli(['lint', '--pack', dir]);
    expect(run.exitCode, cleanFailure(run)).toBe(0);
    expect(run.stdout).toMatch(
      /^lint: 0 error\(s\), 0 warning\(s\) \(opa fmt, opa check --strict with OPA \S+, Regal \S+, pack checks\)$/m,
    );
  });
});

describe('the Rego library is shared, not copied', () => {
  it('public-api-endpoint carries no policies/lib; its report digests the shared library where OPA reads it', async () => {
    expect(existsSync(join(API_PACK, 'policies/lib'))).toBe(false);
    const out = await makeTmp();
    const run = await runCli([
      'evaluate',
      '--pack',
      API_PACK,
      '--env',
      'prod',
      '--evidence',
      join(API_PACK, 'evidence/prod'),
      '--as-of',
      AS_OF,
      '--out',
      out,
    ]);
    expect(run.exitCode, cleanFailure(run)).toBe(0);
    const report = (await readReport(out, 'prod')) as unknown as {
      provenance: { pack: { files: { path: string; role: string; sha256: string }[] } };
    };
    const library = report.provenance.pack.files.filter((f) => f.path.startsWith('policies/lib/'));
    expect(library.map((f) => [f.path, f.role])).toEqual([
      ['policies/lib/config.rego', 'policy'],
      ['policies/lib/lib.rego', 'policy'],
      ['policies/lib/recorded.rego', 'policy'],
    ]);
    for (const f of library)
      expect(f.sha256, f.path).toBe(
        createHash('sha256')
          .update(await readFile(join(REPO_ROOT, f.path)))
          .digest('hex'),
      );
  });

  it('a pack that still carries a copy uses its own; lint warns when the copy differs', async () => {
    const pack = await copyPackDir();
    await cp(join(REPO_ROOT, 'policies/lib'), join(pack, 'policies/lib'), { recursive: true });
    const clean = await runCli(['lint', '--pack', pack]);
    expect(clean.exitCode, cleanFailure(clean)).toBe(0);
    await writeFile(
      join(pack, 'policies/lib/lib.rego'),
      `${await readFile(join(pack, 'policies/lib/lib.rego'), 'utf8')}\nextra := 1\n`,
    );
    const drift = await runCli(['lint', '--pack', pack]);
    expect(drift.stdout).toMatch(
      /^policies\/lib\/lib\.rego:1: warning: differs from prodgate's policies\/lib\/lib\.rego: delete policies\/lib to use prodgate's shared library/m,
    );
  });
});

describe('the public-api-endpoint pack evaluates like any pack', () => {
  const evidence = (env: string): string => join(API_PACK, 'evidence', env);
  const evaluate = async (env: string, evidenceEnv = env) => {
    const out = await makeTmp('prodgate-api-out-');
    const run = await runCli([
      'evaluate',
      '--pack',
      API_PACK,
      '--env',
      env,
      '--evidence',
      evidence(evidenceEnv),
      '--as-of',
      AS_OF,
      '--out',
      out,
    ]);
    return {
      run,
      report: await readReport(out, env),
      checklist: await readFile(
        join(out, (await readdir(out)).find((f) => f.endsWith('.md')) ?? ''),
        'utf8',
      ),
    };
  };

  it('its example evidence is GO in prod and in the sandbox, where the load test is N/A', async () => {
    const [prod, sandbox] = await Promise.all([evaluate('prod'), evaluate('sandbox')]);
    expect(prod.run.exitCode, cleanFailure(prod.run)).toBe(0);
    expect(prod.report.verdict).toBe('GO');
    expect(prod.report.gates.map((g) => g.status)).toEqual(Array(8).fill('pass'));
    expect(prod.checklist).toContain('# Public API Endpoint Release Checklist (prod)');
    expect(sandbox.run.exitCode).toBe(0);
    expect(sandbox.report.gates.find((g) => g.id === 'traffic.load-test')?.status).toBe('na');
  });

  it("the sandbox's evidence is NO-GO in prod: an API key and a beta endpoint, with pointers", async () => {
    const { run, report } = await evaluate('prod', 'sandbox');
    expect(run.exitCode).toBe(1);
    const failing = report.gates.filter((g) => g.status === 'fail');
    expect(failing.map((g) => g.id).sort()).toEqual([
      'access.authn',
      'endpoint.versioning',
      'traffic.load-test',
    ]);
    const authn = failing.find((g) => g.id === 'access.authn');
    expect(authn?.reasons[0]?.evidence[0]).toMatchObject({
      file: 'access.yaml',
      pointer: '/authentication/scheme',
      line: 6,
    });
  });

  it('validate and explain take --pack too; an environment the pack lacks is refused', async () => {
    const validate = await runCli([
      'validate',
      '--pack',
      API_PACK,
      '--env',
      'prod',
      '--evidence',
      evidence('prod'),
    ]);
    expect(validate.exitCode, cleanFailure(validate)).toBe(0);
    const explain = await runCli([
      'explain',
      'traffic.load-test',
      '--pack',
      API_PACK,
      '--env',
      'sandbox',
      '--evidence',
      evidence('sandbox'),
      '--as-of',
      AS_OF,
    ]);
    expect(explain.exitCode, cleanFailure(explain)).toBe(0);
    expect(explain.stdout).toContain('a load test is required for prod only');
    const staging = await runCli([
      'evaluate',
      '--pack',
      API_PACK,
      '--env',
      'staging',
      '--as-of',
      AS_OF,
      '--out',
      await makeTmp(),
    ]);
    expect(staging.exitCode).toBe(2);
    expect(cleanFailure(staging)).toMatch(/unknown environment "staging"/);
  });
});

describe('init writes starter evidence linked to the schemas', () => {
  it.each(PACKS)(
    'for $name: one documented file per kind, which fails closed until filled in',
    async ({ dir }) => {
      const out = join(await makeTmp('prodgate-init-'), 'prod');
      const run = await runCli(['init', '--env', 'prod', '--pack', dir, '--out', out]);
      expect(run.exitCode, cleanFailure(run)).toBe(0);
      const manifest = JSON.parse(await readFile(join(dir, 'bundle/manifest.json'), 'utf8')) as {
        gates: { evidence: string[] }[];
      };
      const kinds = [...new Set(manifest.gates.flatMap((g) => g.evidence))].sort();
      expect((await readdir(out)).sort()).toEqual([
        '.gitattributes',
        ...kinds.map((k) => `${k}.yaml`),
      ]);
      // evidence checked out on Windows (core.autocrlf=true) keeps LF line ends
      expect(await readFile(join(out, '.gitattributes'), 'utf8')).toMatch(
        /^\*\.yaml text eol=lf$/m,
      );
      for (const kind of kinds) {
        const text = await readFile(join(out, `${kind}.yaml`), 'utf8');
        const modeline = /^# yaml-language-server: \$schema=(\S+)$/m.exec(
          text.split('\n')[0] ?? '',
        );
        expect(modeline, kind).not.toBeNull();
        const schemaPath = resolve(out, modeline?.[1] ?? '');
        expect(existsSync(schemaPath), schemaPath).toBe(true);
        const schema = JSON.parse(await readFile(schemaPath, 'utf8')) as {
          properties: Record<string, { description: string }>;
        };
        const doc = yaml.load(text, { schema: yaml.CORE_SCHEMA }) as Record<string, unknown>;
        expect(doc).toMatchObject({ kind, schemaVersion: 1 });
        // every field of the schema is there, with its description as a comment above it
        for (const [field, prop] of Object.entries(schema.properties)) {
          if (field === '$schema' || field === 'kind' || field === 'schemaVersion') continue;
          expect(Object.keys(doc), `${kind}.${field}`).toContain(field);
          const firstWords = prop.description.split(/\s+/).slice(0, 4).join(' ');
          expect(text.replace(/\n# /g, ' '), `${kind}.${field} is documented`).toContain(
            firstWords,
          );
        }
      }
      // empty values are null: the schema rejects them, so nothing passes until filled in
      const validate = await runCli([
        'validate',
        '--pack',
        dir,
        '--env',
        'prod',
        '--evidence',
        out,
      ]);
      expect(validate.exitCode).toBe(1);
      expect(validate.stdout).not.toMatch(
        /\[(parse-error|unknown-kind|duplicate-key|unknown-schema-version)\]/,
      );
      // every key written is a field of its schema (signoff.security is a oneOf, where ajv
      // reports the keys of the first branch as unknown to the second)
      const unknown = validate.stdout
        .split('\n')
        .filter((l) => /unknown field/.test(l) && !/signoff\.yaml:.*\/security\//.test(l));
      expect(unknown).toEqual([]);
    },
  );

  it('refuses to overwrite evidence unless --force, and rejects an environment the pack lacks', async () => {
    const out = join(await makeTmp('prodgate-init-'), 'sandbox');
    expect(
      (await runCli(['init', '--env', 'sandbox', '--pack', API_PACK, '--out', out])).exitCode,
    ).toBe(0);
    const again = await runCli(['init', '--env', 'sandbox', '--pack', API_PACK, '--out', out]);
    expect(again.exitCode).toBe(2);
    expect(cleanFailure(again)).toMatch(/already exist.*--force/);
    expect(
      (await runCli(['init', '--env', 'sandbox', '--pack', API_PACK, '--out', out, '--force']))
        .exitCode,
    ).toBe(0);
    const unknown = await runCli([
      'init',
      '--env',
      'pilot',
      '--pack',
      API_PACK,
      '--out',
      join(dirname(out), 'x'),
    ]);
    expect(unknown.exitCode).toBe(2);
    expect(cleanFailure(unknown)).toMatch(
      /unknown environment "pilot"; the pack knows: sandbox, prod/,
    );
  });
});
