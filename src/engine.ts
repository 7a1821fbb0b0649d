import { resolve } from 'node:path';
import { decide, type EvidenceState } from './decide/decide.js';
import type { Decision, EvidenceRef } from './decide/verdict.js';
import type { Diagnostic } from './diagnostics.js';
import { CannotEvaluateError } from './errors.js';
import { buildPolicyInput, type PolicyInput } from './evaluate/policy-input.js';
import { WasmPolicy } from './evaluate/wasm-policy.js';
import { positionOf, type EvidenceFile } from './load/evidence-file.js';
import { DEFAULT_LOAD_LIMITS, loadBundle, type LoadLimits } from './load/load-bundle.js';
import { loadPack, packPaths, type LoadedPack } from './pack/pack.js';
import { SchemaRegistry } from './validate/schema-registry.js';
import { validateEvidence, type KindEvidence } from './validate/validate-evidence.js';

export interface EvaluateOptions {
  env: string;
  /** The evidence folder. */
  evidenceDir: string;
  /** The as-of date, YYYY-MM-DD: every time-relative rule is judged at this date. */
  asOf: string;
  /** Root of the policy pack; the shipped pack when absent. */
  packDir?: string;
  /** The pack, when the caller has loaded it already. */
  pack?: LoadedPack;
  /** Where repository-relative links resolve; the current directory when absent. */
  repoRoot?: string;
  limits?: LoadLimits;
}

/** Everything one evaluation produced, for the renderers and for provenance. */
export interface Evaluation {
  env: string;
  asOf: string;
  pack: LoadedPack;
  files: EvidenceFile[];
  /** Every diagnostic: the folder's and each file's, in file order. */
  diagnostics: Diagnostic[];
  /** Valid evidence data by kind (for filling the checklist's placeholders). */
  data: Map<string, unknown>;
  input: PolicyInput;
  decision: Decision;
}

const DATE = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;

export function checkAsOf(asOf: string): void {
  // Date rolls 2026-02-30 over to March: require the date to survive the round trip.
  const date = new Date(`${asOf}T00:00:00Z`);
  if (!DATE.test(asOf) || Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== asOf) {
    throw new CannotEvaluateError(`--as-of must be a date YYYY-MM-DD, got "${asOf}"`);
  }
}

/** Today in UTC, the default as-of date. */
export function todayUtc(now: Date = new Date()): string {
  return now.toISOString().slice(0, 10);
}

/** Validates only: loads the bundle and checks every file against its schema. */
export async function validateBundle(options: Pick<EvaluateOptions, 'evidenceDir' | 'packDir' | 'limits'>): Promise<{ files: EvidenceFile[]; diagnostics: Diagnostic[] }> {
  const { files, diagnostics } = await loadAndValidate(options, await SchemaRegistry.load(packPaths(options.packDir).schemas));
  return { files, diagnostics };
}

/** The whole pipeline for one environment: load -> validate -> evaluate -> decide. */
export async function evaluateEnvironment(options: EvaluateOptions): Promise<Evaluation> {
  checkAsOf(options.asOf);
  const pack = options.pack ?? (await loadPack(options.packDir));
  if (!pack.manifest.environments.includes(options.env)) {
    throw new CannotEvaluateError(`unknown environment "${options.env}"; the pack knows: ${pack.manifest.environments.join(', ')}`);
  }
  const policy = WasmPolicy.load(pack.wasm, pack.manifest.entrypoint);
  const registry = await SchemaRegistry.load(pack.paths.schemas);
  const { files, diagnostics, kinds } = await loadAndValidate(options, registry);

  const input = await buildPolicyInput(options.env, options.asOf, kinds, resolve(options.repoRoot ?? '.'));
  const outcome = policy.evaluate(input);
  const decision = decide(pack.gates, outcome, options.env, evidenceState(files, kinds, diagnostics));
  const data = new Map([...kinds.values()].filter((k) => k.valid).map((k) => [k.kind, k.file.data]));
  return { env: options.env, asOf: options.asOf, pack, files, diagnostics, data, input, decision };
}

async function loadAndValidate(options: Pick<EvaluateOptions, 'evidenceDir' | 'limits'>, registry: SchemaRegistry) {
  const bundle = await loadBundle(options.evidenceDir, options.limits ?? DEFAULT_LOAD_LIMITS);
  const kinds = validateEvidence(bundle.files, registry);
  const diagnostics = [...bundle.diagnostics, ...bundle.files.flatMap((f) => f.diagnostics)];
  return { files: bundle.files, diagnostics, kinds };
}

function evidenceState(files: EvidenceFile[], kinds: Map<string, KindEvidence>, diagnostics: Diagnostic[]): EvidenceState {
  const byPath = new Map(files.map((f) => [f.path, f]));
  return {
    errorCount: diagnostics.filter((d) => d.severity === 'error').length,
    invalidKinds: new Set([...kinds.values()].filter((k) => !k.valid).map((k) => k.kind)),
    locate(ref: EvidenceRef): EvidenceRef {
      const file = byPath.get(ref.file);
      if (!file) return ref;
      const { line, column } = positionOf(file, ref.pointer);
      return { ...ref, line, column };
    },
  };
}
