// The real pipeline for the format, waiver and browser tests: evaluateEnvironment on the
// example evidence, buildReport, and waivers applied as the engine will apply them.
import { cp } from 'node:fs/promises';
import { join } from 'node:path';
import { decide, type EvidenceState } from '../../src/decide/decide.ts';
import { applyWaivers, waiversFrom, type OwnDecision, type WaiverFinding } from '../../src/decide/waivers.ts';
import { evaluateEnvironment, type Evaluation } from '../../src/engine.ts';
import { WasmPolicy } from '../../src/evaluate/wasm-policy.ts';
import { positionOf } from '../../src/load/evidence-file.ts';
import { loadPack, type LoadedPack } from '../../src/pack/pack.ts';
import { buildReport, type Report } from '../../src/render/report.ts';
import { AS_OF, copyEvidence, editYaml, ENVS, REPO_ROOT, type Env } from '../helpers.ts';

let pack: Promise<LoadedPack> | undefined;

/** The shipped pack, loaded once per test file. */
export function shippedPack(): Promise<LoadedPack> {
  pack ??= loadPack();
  return pack;
}

/** Evaluates an evidence folder (evidence/<env> of the repository by default) as of AS_OF. */
export async function evaluate(env: Env, evidenceDir = join(REPO_ROOT, 'evidence', env)): Promise<Evaluation> {
  return evaluateEnvironment({ env, evidenceDir, asOf: AS_OF, repoRoot: REPO_ROOT, pack: await shippedPack() });
}

/** The three example environments' reports, in pilot, staging, prod order. */
export async function exampleReports(): Promise<Report[]> {
  return Promise.all(ENVS.map(async (env) => buildReport(await evaluate(env))));
}

/** Where the engine's evidence state puts a reference: the file's line and column for the pointer. */
function evidenceState(evaluation: Evaluation): EvidenceState {
  const byPath = new Map(evaluation.files.map((f) => [f.path, f]));
  return {
    errorCount: evaluation.diagnostics.filter((d) => d.severity === 'error').length,
    invalidKinds: new Set(Object.entries(evaluation.input.evidence).filter(([, e]) => !e.valid).map(([kind]) => kind)),
    locate(ref) {
      const file = byPath.get(ref.file);
      return file ? { ...ref, ...positionOf(file, ref.pointer) } : ref;
    },
  };
}

/**
 * Every gate's own decision (before parents are aggregated). Until decide() exposes it,
 * the test gets it as decide() would: the same policy answer, decided over the catalog
 * with the parent links removed, so that nothing is aggregated.
 */
export function ownDecisions(evaluation: Evaluation): Map<string, OwnDecision> {
  const policy = WasmPolicy.load(evaluation.pack.wasm, evaluation.pack.manifest.entrypoint);
  const flat = evaluation.pack.gates.map(({ parent: _parent, ...g }) => g);
  const own = decide(flat, policy.evaluate(evaluation.input), evaluation.env, evidenceState(evaluation));
  return new Map(own.gates.map((g) => [g.id, { status: g.status, reasons: g.reasons }]));
}

/** The evaluation with the bundle's waivers file applied, and the findings about it. */
export function withWaivers(evaluation: Evaluation): { evaluation: Evaluation; findings: WaiverFinding[] } {
  const file = evaluation.files.find((f) => f.kind === 'waivers')?.path;
  const release = evaluation.data.get('release') as { owner?: unknown } | undefined;
  const { decision, findings } = applyWaivers(evaluation.decision, waiversFrom(evaluation.data.get('waivers')), {
    gates: evaluation.pack.gates,
    env: evaluation.env,
    asOf: evaluation.asOf,
    releaseOwner: typeof release?.owner === 'string' ? release.owner : undefined,
    own: ownDecisions(evaluation),
    ...(file ? { file } : {}),
    locate: evidenceState(evaluation).locate,
  });
  return { evaluation: { ...evaluation, decision }, findings };
}

/** staging with test/fixtures/formats/staging-waivers.yaml: two failures waived, the rest still failing. */
export async function waivedStagingReport(): Promise<Report> {
  const dir = await copyEvidence('staging');
  await cp(join(REPO_ROOT, 'test/fixtures/formats/staging-waivers.yaml'), join(dir, 'waivers.yaml'));
  const { evaluation, findings } = withWaivers(await evaluate('staging', dir));
  if (findings.length) throw new Error(`the waivers fixture has findings: ${findings.map((f) => f.message).join('; ')}`);
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
