// The evidence kinds that hold waivers, name the release owner and hold sign-offs are the
// pack's to declare (pack.json `evidenceKinds`), never names in src/: a pack that keeps its
// waivers in another kind gets them applied, and one that names no waivers kind reads none.
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evaluateEnvironment, type Evaluation } from '../../src/engine.ts';
import { loadPack } from '../../src/pack/pack.ts';
import {
  AS_OF,
  cleanupTmp,
  copyEvidence,
  copyPack,
  REPO_ROOT,
  runCli,
} from '../support/helpers.ts';

afterAll(cleanupTmp);

/** The shipped pack, copied, with its pack.json `evidenceKinds` replaced, and built. */
async function packWith(
  evidenceKinds: Record<string, string>,
  edit?: (pack: string) => Promise<void>,
): Promise<string> {
  const pack = await copyPack();
  const config = JSON.parse(await readFile(join(pack, 'pack.json'), 'utf8'));
  await writeFile(join(pack, 'pack.json'), `${JSON.stringify({ ...config, evidenceKinds })}\n`);
  if (edit) await edit(pack);
  const built = await runCli(['build', '--pack', pack]);
  expect(built.exitCode, built.stderr).toBe(0);
  return pack;
}

/** The waivers schema re-declared as kind `exceptions` (same document shape). */
async function exceptionsSchema(pack: string): Promise<void> {
  const from = join(pack, 'schemas/evidence/waivers.v1.schema.json');
  const schema = JSON.parse(await readFile(from, 'utf8'));
  schema.$id = 'urn:prodgate:evidence:exceptions:v1';
  schema.properties.kind.const = 'exceptions';
  schema.properties.kind.maxLength = 10;
  await rm(from);
  await writeFile(
    join(pack, 'schemas/evidence/exceptions.v1.schema.json'),
    `${JSON.stringify(schema, null, 2)}\n`,
  );
}

function evaluate(packDir: string, evidenceDir: string): Promise<Evaluation> {
  return evaluateEnvironment({
    env: 'staging',
    evidenceDir,
    asOf: AS_OF,
    repoRoot: REPO_ROOT,
    packDir,
  });
}

const waived = (e: Evaluation): string[] =>
  e.decision.gates.filter((g) => g.status === 'waived').map((g) => g.id);
const waiverFindings = (e: Evaluation): string[] =>
  e.diagnostics.filter((d) => d.code.startsWith('waiver-')).map((d) => `${d.file} ${d.code}`);

describe('pack-declared evidence kinds', () => {
  let shipped: Evaluation;
  beforeAll(async () => {
    shipped = await evaluate(REPO_ROOT, join(REPO_ROOT, 'evidence/staging'));
    // The example staging evidence holds a waiver that applies and one that has expired.
    expect(waived(shipped).length).toBeGreaterThan(0);
    expect(waiverFindings(shipped)).toContain('waivers.yaml waiver-expired');
  });

  it('the shipped pack declares today’s kinds; the example pack declares none of them', async () => {
    expect((await loadPack()).manifest.evidenceKinds).toEqual({
      waivers: 'waivers',
      releaseOwner: 'release',
      signoffs: 'signoff',
    });
    const example = await loadPack(join(REPO_ROOT, 'packs/public-api-endpoint'));
    expect(example.manifest.evidenceKinds).toEqual({});
  });

  it('applies waivers from the kind the pack names, end to end', async () => {
    const pack = await packWith(
      { waivers: 'exceptions', releaseOwner: 'release', signoffs: 'signoff' },
      exceptionsSchema,
    );
    const dir = await copyEvidence('staging');
    const text = await readFile(join(dir, 'waivers.yaml'), 'utf8');
    await rm(join(dir, 'waivers.yaml'));
    await writeFile(
      join(dir, 'exceptions.yaml'),
      text.replace(/^kind: waivers$/m, 'kind: exceptions'),
    );
    const renamed = await evaluate(pack, dir);
    expect(waived(renamed)).toEqual(waived(shipped));
    expect(renamed.decision.verdict).toBe(shipped.decision.verdict);
    expect(waiverFindings(renamed)).toEqual(
      waiverFindings(shipped).map((f) => f.replace(/^waivers\.yaml/, 'exceptions.yaml')),
    );

    // The CLI's outputs say the same: the checklist shows the gates waived.
    const out = join(dir, '..', 'out-exceptions');
    const run = await runCli([
      'evaluate',
      '--env',
      'staging',
      '--evidence',
      dir,
      '--pack',
      pack,
      '--as-of',
      AS_OF,
      '--out',
      out,
      '--format',
      'sarif',
    ]);
    expect(run.exitCode, run.stderr).toBe(1);
    const report = JSON.parse(
      await readFile(join(out, 'P4_PROD_READINESS_REPORT_staging.json'), 'utf8'),
    ) as { counts: { waived: number } };
    expect(report.counts.waived).toBe(waived(shipped).length);
  });

  it('reads no waiver when the pack names no waivers kind, even a valid waivers file', async () => {
    const pack = await packWith({ releaseOwner: 'release', signoffs: 'signoff' });
    const none = await evaluate(pack, join(REPO_ROOT, 'evidence/staging'));
    expect(waived(none)).toEqual([]);
    expect(waiverFindings(none)).toEqual([]);
    for (const id of waived(shipped))
      expect(none.decision.gates.find((g) => g.id === id)?.status).toBe('fail');
  });

  it('refuses an evidenceKinds entry that is not a part prodgate knows, or not a kind name', async () => {
    for (const [kinds, message] of [
      [{ waiver: 'waivers' }, /"waiver" is not one/],
      [{ waivers: 'Waivers!' }, /evidenceKinds\.waivers must be an evidence kind name/],
    ] as const) {
      const pack = await copyPack();
      const config = JSON.parse(await readFile(join(pack, 'pack.json'), 'utf8'));
      await writeFile(
        join(pack, 'pack.json'),
        `${JSON.stringify({ ...config, evidenceKinds: kinds })}\n`,
      );
      const run = await runCli(['build', '--pack', pack]);
      expect(run.exitCode).toBe(2);
      expect(run.stderr).toMatch(message);
      expect(run.stderr.trim().split('\n')).toHaveLength(1);
    }
  });
});

describe('prodgate lint and the declared kinds', () => {
  it('reports a declared kind that no schema declares, at pack.json', async () => {
    const { lintPack } = await import('../../src/authoring/lint-pack.ts');
    const pack = await copyPack();
    const config = JSON.parse(await readFile(join(pack, 'pack.json'), 'utf8'));
    await writeFile(
      join(pack, 'pack.json'),
      `${JSON.stringify({ ...config, evidenceKinds: { ...config.evidenceKinds, waivers: 'exceptions' } })}\n`,
    );
    const { findings } = await lintPack(pack);
    expect(findings.filter((f) => f.code === 'evidence-kinds' && f.file === 'pack.json')).toEqual([
      expect.objectContaining({
        severity: 'error',
        message:
          'evidenceKinds.waivers names the kind "exceptions", but no schema in schemas/evidence/ declares it',
      }),
    ]);
  });
});
