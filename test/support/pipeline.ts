// The real pipeline for the format, waiver and browser tests: evaluateEnvironment on the
// example evidence, buildReport, and waivers applied as the engine will apply them.
import { cp } from 'node:fs/promises';
import { join } from 'node:path';
import type { EvidenceFinding } from '../../src/core/finding.ts';
import { evaluateEnvironment, type Evaluation } from '../../src/engine.ts';
import { loadPack, type LoadedPack } from '../../src/pack/pack.ts';
import { buildReport, type Report } from '../../src/render/report.ts';
import { AS_OF, copyEvidence, editYaml, ENVS, REPO_ROOT, type Env } from './helpers.ts';
import { approveSignoffs } from './approve.ts';

let pack: Promise<LoadedPack> | undefined;

/** The shipped pack, loaded once per test file. */
export function shippedPack(): Promise<LoadedPack> {
  pack ??= loadPack();
  return pack;
}

/** Evaluates an evidence folder (evidence/<env> of the repository by default) as of AS_OF. */
export async function evaluate(
  env: Env,
  evidenceDir = join(REPO_ROOT, 'evidence', env),
): Promise<Evaluation> {
  return evaluateEnvironment({
    env,
    evidenceDir,
    asOf: AS_OF,
    repoRoot: REPO_ROOT,
    pack: await shippedPack(),
  });
}

/** The three example environments' reports, in pilot, staging, prod order. */
export async function exampleReports(): Promise<Report[]> {
  return Promise.all(ENVS.map(async (env) => buildReport(await evaluate(env))));
}

/**
 * The evaluation with the bundle's waivers applied, and the findings about them. The
 * engine applies waivers itself (src/engine.ts); its findings are the waiver-coded
 * warnings among the diagnostics.
 */
export function withWaivers(evaluation: Evaluation): {
  evaluation: Evaluation;
  findings: EvidenceFinding[];
} {
  return {
    evaluation,
    findings: evaluation.diagnostics.filter((d) => d.code.startsWith('waiver-')),
  };
}

/** staging with test/fixtures/formats/staging-waivers.yaml: two failures waived, the rest still failing. */
export async function waivedStagingReport(): Promise<Report> {
  const dir = await copyEvidence('staging');
  await cp(
    join(REPO_ROOT, 'test/fixtures/formats/staging-waivers.yaml'),
    join(dir, 'waivers.yaml'),
  );
  await approveSignoffs(dir); // the waivers are evidence: the sign-offs approve them
  const { evaluation, findings } = withWaivers(await evaluate('staging', dir));
  if (findings.length)
    throw new Error(
      `the waivers fixture has findings: ${findings.map((f) => f.message).join('; ')}`,
    );
  return buildReport(evaluation);
}

/** prod with a schema-invalid security.yaml: the gates reading it are error, the release NO-GO. */
export async function brokenProdReport(): Promise<Report> {
  const dir = await copyEvidence('prod');
  await editYaml(dir, 'security.yaml', (doc) => {
    doc['cors'] = { ...doc['cors'], allowCredentialz: true };
  });
  return buildReport(await evaluate('prod', dir));
}
