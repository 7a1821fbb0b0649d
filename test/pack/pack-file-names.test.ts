// Attack report 11, hole 7: pack file names with control characters were accepted
// (`policies/web/ev\nil\e[31m.rego` built, evaluated and went into provenance's pack
// file list), lint split `opa fmt --list` output on the newline, and `new pack` /
// `new gate --section` quoted their argument with a raw newline. Pack file names are
// now checked like evidence file names (src/load/file-name.ts) by every command that
// reads a pack, and refused with one escaped line.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CannotEvaluateError } from '../../src/core/errors.ts';
import { checkPackFileNames, packFileNameProblem } from '../../src/pack/pack-file-names.ts';
import { packPaths } from '../../src/pack/pack.ts';
import { AS_OF, cleanupTmp, makeTmp, REPO_ROOT, runCli } from '../support/helpers.ts';
import { cleanFailure, copyPackDir } from '../support/pack.ts';

afterAll(cleanupTmp);

const EVIL = 'ev\nil\u001b[31m.rego';
const RAW = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2028\u2029]/;

async function packWith(relative: string | Buffer, folder = 'policies/traffic'): Promise<string> {
  const pack = await copyPackDir();
  const dir = join(pack, folder);
  await mkdir(dir, { recursive: true });
  const path =
    typeof relative === 'string'
      ? join(dir, relative)
      : Buffer.concat([Buffer.from(`${dir}/`), relative]);
  await writeFile(path, 'package traffic_evil\n');
  return pack;
}

/** What a person sees: one line naming the file, escaped, never a raw control. */
function expectOneEscapedLine(text: string): void {
  expect(text).not.toMatch(RAW);
  expect(
    text
      .trim()
      .split('\n')
      .filter((l) => /pack file/.test(l)).length,
  ).toBe(1);
}

describe('checkPackFileNames', () => {
  it('accepts the shipped packs', () => {
    expect(packFileNameProblem(packPaths(REPO_ROOT))).toBeUndefined();
    expect(packFileNameProblem(packPaths(join(REPO_ROOT, 'packs/public-api-endpoint')))).toBe(
      undefined,
    );
  });

  it.each([
    ['a newline and ESC', EVIL, 'policies/traffic/ev\\nil\\u001b[31m.rego', /U\+000A/],
    ['a bidi override', 'a\u202egor.rego', 'policies/traffic/a\\u202egor.rego', /U\+202E/],
    ['a line separator', 'a\u2028b.rego', 'policies/traffic/a\\u2028b.rego', /U\+2028/],
    ['NEL', 'a\u0085b.yaml', 'policies/traffic/a\\u0085b.yaml', /U\+0085/],
    ['a backslash', 'a\\b.rego', 'policies/traffic/a\\b.rego', /backslash/],
  ])('refuses a name with %s, escaped on one line', async (_what, name, shown, problem) => {
    const paths = packPaths(await packWith(name));
    const message = packFileNameProblem(paths) ?? '';
    expect(message).toContain(`pack file ${shown}: `);
    expect(message).toMatch(problem);
    expect(message).not.toMatch(RAW);
    expect(() => checkPackFileNames(paths)).toThrow(CannotEvaluateError);
  });

  it('refuses a name that is not UTF-8, showing its bytes', async () => {
    const paths = packPaths(
      await packWith(Buffer.from([0x74, 0xed, 0x2e, 0x72, 0x65, 0x67, 0x6f])),
    );
    expect(packFileNameProblem(paths)).toMatch(
      /^pack file policies\/traffic\/t\\xED\.rego: .*not valid UTF-8/,
    );
  });

  it('refuses two names equal once normalised (NFC and NFD), and looks in schemas, templates and bundle too', async () => {
    const pack = await packWith('caf\u00e9.rego');
    await writeFile(join(pack, 'policies/traffic/cafe\u0301.rego'), 'package x\n');
    const message = packFileNameProblem(packPaths(pack)) ?? '';
    expect(message).toMatch(/^pack files .* have names a reader cannot tell apart/);
    expect(message).toContain('policies/traffic/caf\\u{E9}.rego');
    expect(message).toContain('policies/traffic/cafe\\u{301}.rego');
    for (const folder of ['schemas/evidence', 'templates', 'bundle'])
      expect(packFileNameProblem(packPaths(await packWith('x\ty.json', folder)))).toContain(
        `pack file ${folder}/x\\ty.json: `,
      );
  });
});

describe('every pack command refuses a bad pack file name', () => {
  it('build, test and evaluate: exit 2, one escaped line; lint: one finding, no tool output split', async () => {
    const pack = await packWith(EVIL);
    for (const args of [
      ['build', '--pack', pack],
      ['test', '--pack', pack, '--coverage-min', '0'],
      ['evaluate', '--pack', pack, '--env', 'prod', '--as-of', AS_OF, '--out', await makeTmp()],
    ]) {
      const run = await runCli(args);
      expect(run.exitCode, args[0]).toBe(2);
      const out = cleanFailure(run);
      expect(out, args[0]).toContain('pack file policies/traffic/ev\\nil\\u001b[31m.rego: ');
      expectOneEscapedLine(out);
    }
    const lint = await runCli(['lint', '--pack', pack]);
    expect(lint.exitCode).toBe(1);
    const out = cleanFailure(lint);
    expect(out).toContain('pack file policies/traffic/ev\\nil\\u001b[31m.rego: ');
    expect(out).toMatch(/\[file-names\]/);
    expect(out).not.toMatch(/opa-fmt|^il/m);
    expectOneEscapedLine(out);
  });
});

describe('new pack and new gate escape their arguments', () => {
  it('new pack --name and new gate --section with a newline, ESC and a bidi override: one escaped line', async () => {
    const tmp = await makeTmp();
    const created = await runCli([
      'new',
      'pack',
      join(tmp, 'p'),
      '--name',
      'x\n::error::forged\u001b[8m\u202e',
      '--env',
      'prod',
    ]);
    expect(created.exitCode).toBe(2);
    const out = cleanFailure(created);
    expect(out).toContain('cannot start pack "x\\n:\\:error:\\:forged\\u001b[8m\\u202e"');
    expect(out).not.toMatch(RAW);
    expect(out).not.toMatch(/^::error/m);

    const pack = await copyPackDir();
    const gate = await runCli([
      'new',
      'gate',
      'traffic.burst',
      '--section',
      'traffic\n::error::forged',
      '--pack',
      pack,
    ]);
    expect(gate.exitCode).toBe(2);
    const gateOut = cleanFailure(gate);
    expect(gateOut).toContain('section "traffic\\n:\\:error:\\:forged"');
    expect(gateOut).not.toMatch(RAW);
    expect(gateOut).not.toMatch(/^::error/m);
  });
});
