import { join, resolve } from 'node:path';
import { collectBundle, holdsArtifact, type BundleArtifact } from './collect/collect-bundle.js';
import { resolveArtifactLimits, type ArtifactLimits } from './collect/limits.js';
import { decide, type EvidenceState } from './decide/decide.js';
import { requireRecorded } from './decide/recorded-facts.js';
import { applyWaivers, waiversFrom, type WaiverEntry } from './decide/waivers.js';
import type { Decision, EvidenceRef } from './decide/verdict.js';
import type { Diagnostic } from './core/diagnostics.js';
import { checkAsOf } from './core/dates.js';
import { CannotEvaluateError } from './core/errors.js';
import { buildPolicyInput, type PolicyInput } from './evaluate/policy-input.js';
import { WASM_MEMORY, WASM_PAGE, WasmPolicy } from './evaluate/wasm-policy.js';
import { evidenceDigestInput } from './core/digest.js';
import { DEFAULT_LIMITS, defaultMaxNodes, limitProblems, type Limits } from './core/limits.js';
import { positionOf, type EvidenceFile } from './load/evidence-file.js';
import { loadBundle } from './load/load-bundle.js';
import { loneSurrogatePointer } from './load/unicode.js';
import { loadPack, type LoadedPack } from './pack/pack.js';
import { signoffSeparation, waiverMaxDays } from './pack/pack-options.js';
import { clampText } from './core/text/clamp.js';
import { redactSecrets } from './core/text/redact.js';
import type { SchemaRegistry } from './validate/schema-registry.js';
import { loadBundledValidators } from './validate/standalone-validators.js';
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
  /** Bounds on the evidence read; each absent field takes its default (DEFAULT_LIMITS). */
  limits?: Partial<Limits>;
  /** Bounds on each artifact read; each absent field takes its default (DEFAULT_ARTIFACT_LIMITS). */
  artifactLimits?: Partial<ArtifactLimits>;
}

/** Everything one evaluation produced, for the renderers and for provenance. */
export interface Evaluation {
  env: string;
  asOf: string;
  pack: LoadedPack;
  files: EvidenceFile[];
  /** The artifacts the evidence names, as read (path relative to the evidence folder, sha256, format). */
  artifacts: BundleArtifact[];
  /** Every diagnostic: the folder's and each file's, in file order. */
  diagnostics: Diagnostic[];
  /** Valid evidence data by kind (for filling the checklist's placeholders). */
  data: Map<string, unknown>;
  input: PolicyInput;
  decision: Decision;
  /** The bounds the evidence was read within (recorded in provenance; verify applies them). */
  limits: Limits;
  /** The bounds the artifacts were read within (recorded in provenance; verify applies them). */
  artifactLimits: ArtifactLimits;
}

/** Validates only: loads the bundle and checks every file against its schema. */
export async function validateBundle(
  options: Pick<EvaluateOptions, 'evidenceDir' | 'packDir' | 'limits' | 'artifactLimits'>,
): Promise<{ files: EvidenceFile[]; diagnostics: Diagnostic[] }> {
  const loaded = await loadAndValidate(
    options,
    await validatorsOf(await loadPack(options.packDir)),
  );
  // The artifacts the evidence names are read and checked too (format, bounds, counters).
  const { diagnostics } = await collectStage(options, loaded);
  return { files: loaded.files, diagnostics };
}

/** Reads the artifacts the valid evidence names; the folder's "not evidence" warning is dropped for the entries holding them. */
async function collectStage(
  options: Pick<EvaluateOptions, 'evidenceDir' | 'artifactLimits'>,
  loaded: Awaited<ReturnType<typeof loadAndValidate>>,
) {
  const validKinds = new Map(
    [...loaded.kinds.values()].filter((k) => k.valid).map((k) => [k.kind, k.file]),
  );
  const collected = await collectBundle(
    options.evidenceDir,
    validKinds,
    resolveArtifactLimits(options.artifactLimits),
  );
  const diagnostics = [
    ...loaded.diagnostics.filter(
      (d) => !(d.code === 'ignored-file' && holdsArtifact(d.file, collected.artifacts)),
    ),
    ...[...new Set(collected.diagnostics.map((d) => d.file))]
      .flatMap((file) => capped(collected.diagnostics.filter((d) => d.file === file)))
      .map(sanitize),
  ];
  return { collected, validKinds, diagnostics };
}

/** The whole pipeline for one environment: load -> validate -> evaluate -> decide. */
export async function evaluateEnvironment(options: EvaluateOptions): Promise<Evaluation> {
  checkAsOf(options.asOf);
  const pack = options.pack ?? (await loadPack(options.packDir));
  if (!pack.manifest.environments.includes(options.env)) {
    throw new CannotEvaluateError(
      `unknown environment "${options.env}"; the pack knows: ${pack.manifest.environments.join(', ')}`,
    );
  }
  const limits = resolveLimits(options.limits);
  const policy = policyOf(pack, limits.maxWasmMemory);
  const registry = await validatorsOf(pack);
  const loaded = await loadAndValidate({ ...options, limits }, registry);
  const { files, kinds } = loaded;
  const artifactLimits = resolveArtifactLimits(options.artifactLimits);
  const { collected, validKinds, diagnostics } = await collectStage(
    { ...options, artifactLimits },
    loaded,
  );

  const base = await buildPolicyInput(
    options.env,
    options.asOf,
    kinds,
    resolve(options.repoRoot ?? '.'),
    {
      signoff_separation: signoffSeparation(pack.manifest, options.env),
    },
  );
  // The digests go in after the evidence map they are keyed by: a sign-off compares the
  // digest it approved with input.bundle_digest_without.signoff (policies/signoff). The
  // artifacts are in it, so a swapped test report invalidates the approvals.
  const digested = [
    ...files,
    ...collected.artifacts.map((a) => ({ path: a.path, sha256: a.sha256 })),
  ];
  const input: PolicyInput = {
    ...base,
    ...evidenceDigestInput(digested, base.evidence),
    artifacts: collected.policyArtifacts,
    recorded: collected.recorded,
  };
  const notUnicode = loneSurrogatePointer(input);
  if (notUnicode !== undefined)
    throw new CannotEvaluateError(
      `the policy input holds a string that is not Unicode text (a lone surrogate) at ${notUnicode}; OPA cannot read it`,
    );
  const outcome = policy.evaluate(input);
  const state = evidenceState(
    files,
    kinds,
    diagnostics,
    pack.gates.flatMap((gate) => gate.evidence),
  );
  const decided = requireRecorded(decide(pack.gates, outcome, options.env, state), {
    gates: pack.gates,
    env: options.env,
    evidenceOf: (kind) =>
      validKinds.has(kind)
        ? {
            file: (validKinds.get(kind) as EvidenceFile).path,
            data: (validKinds.get(kind) as EvidenceFile).data,
          }
        : undefined,
    locate: state.locate,
    recorded: collected.recorded,
  });
  const { decision, findings } = applyWaivers(decided, waiversOf(kinds), {
    gates: pack.gates,
    env: options.env,
    asOf: options.asOf,
    maxDays: waiverMaxDays(pack.manifest, options.env),
    releaseOwner: releaseOwnerOf(kinds),
    own: decided.own,
    ...(kinds.get(WAIVERS_KIND) ? { file: kinds.get(WAIVERS_KIND)?.file.path as string } : {}),
    locate: state.locate,
  });
  // Waiver findings are warnings: a void waiver has no effect, it does not block by itself.
  diagnostics.push(...findings.map(({ gate: _gate, ...finding }) => finding));
  const data = new Map(
    [...kinds.values()].filter((k) => k.valid).map((k) => [k.kind, k.file.data]),
  );
  return {
    env: options.env,
    asOf: options.asOf,
    pack,
    files,
    artifacts: collected.artifacts,
    diagnostics,
    data,
    input,
    decision,
    limits,
    artifactLimits,
  };
}

/** The limits of an evaluation: the defaults, overridden field by field; invalid ones refused. */
export function resolveLimits(limits: Partial<Limits> = {}): Limits {
  const resolved: Limits = { ...DEFAULT_LIMITS };
  for (const key of Object.keys(DEFAULT_LIMITS) as (keyof Limits)[]) {
    const value = limits[key];
    if (value !== undefined) resolved[key] = value;
  }
  if (limits.maxNodes === undefined) resolved.maxNodes = defaultMaxNodes(resolved.maxFileBytes);
  const problems = limitProblems(resolved);
  if (problems.length) throw new CannotEvaluateError(problems.join('; '));
  return resolved;
}

async function loadAndValidate(
  options: Pick<EvaluateOptions, 'evidenceDir' | 'limits'>,
  registry: SchemaRegistry,
) {
  const bundle = await loadBundle(options.evidenceDir, resolveLimits(options.limits));
  const kinds = validateEvidence(bundle.files, registry);
  // Before anything reads them (the policy input takes its problems from here).
  for (const file of bundle.files) file.diagnostics = capped(file.diagnostics).map(sanitize);
  const diagnostics = [
    ...bundle.diagnostics.map(sanitize),
    ...bundle.files.flatMap((f) => f.diagnostics),
  ];
  return { files: bundle.files, diagnostics, kinds };
}

/** The most diagnostics kept per file: a file with 100,000 unknown keys is not 100,000 findings' worth of output. */
const MAX_PER_FILE = 100;

/** The first diagnostics of a file, and one that says how many more there were. */
function capped(diagnostics: Diagnostic[]): Diagnostic[] {
  if (diagnostics.length <= MAX_PER_FILE) return diagnostics;
  const kept = diagnostics.slice(0, MAX_PER_FILE - 1);
  const first = diagnostics[0] as Diagnostic;
  const more = diagnostics.length - kept.length;
  return [
    ...kept,
    {
      ...first,
      severity: 'error',
      code: 'limit-exceeded',
      pointer: '',
      message: `and ${more} more problems in this file, not listed (at most ${MAX_PER_FILE} per file)`,
    },
  ];
}

/** The longest diagnostic message kept: messages quote evidence, which may be huge. */
const MAX_MESSAGE = 1000;

/**
 * Diagnostic messages quote evidence (an unknown key, a bad value, a duplicate key),
 * so credentials are redacted where the message is made, not only when printed:
 * the policy sees these messages too, and may quote them in its reasons.
 */
function sanitize(d: Diagnostic): Diagnostic {
  return { ...d, message: clampText(redactSecrets(d.message), MAX_MESSAGE) };
}

const policies = new WeakMap<LoadedPack, Map<number, WasmPolicy>>();

/**
 * The pack's policy with a memory ceiling, loaded once per pack object and ceiling: the
 * WebAssembly module is compiled once, and its instance is reused while it fits the input.
 */
function policyOf(pack: LoadedPack, maxWasmMemory: number): WasmPolicy {
  const byCeiling = policies.get(pack) ?? new Map<number, WasmPolicy>();
  policies.set(pack, byCeiling);
  let policy = byCeiling.get(maxWasmMemory);
  if (!policy) {
    const maximum = Math.max(1, Math.floor(maxWasmMemory / WASM_PAGE));
    policy = WasmPolicy.load(pack.wasm, pack.manifest.entrypoint, {
      initial: Math.min(WASM_MEMORY.initial, maximum),
      maximum,
    });
    byCeiling.set(maxWasmMemory, policy);
  }
  return policy;
}

const validators = new WeakMap<LoadedPack, Promise<SchemaRegistry>>();

/**
 * The evidence validators of a loaded pack, compiled when the pack was built and
 * loaded once per pack object: an evaluation compiles no schema. Loading checks them
 * against the manifest and the schema files (a stale validator is an error).
 */
function validatorsOf(pack: LoadedPack): Promise<SchemaRegistry> {
  const cached = validators.get(pack);
  if (cached) return cached;
  const { path, sha256, schemas } = pack.manifest.validators;
  const registry = loadBundledValidators({
    path: join(pack.paths.bundle, path),
    sha256,
    schemaDir: pack.paths.schemas,
    schemas,
  });
  validators.set(pack, registry);
  registry.catch(() => validators.get(pack) === registry && validators.delete(pack));
  return registry;
}

function evidenceState(
  files: EvidenceFile[],
  kinds: Map<string, KindEvidence>,
  diagnostics: Diagnostic[],
  readKinds: string[],
): EvidenceState {
  const byPath = new Map(files.map((f) => [f.path, f]));
  return {
    errorCount: diagnostics.filter((d) => d.severity === 'error').length,
    invalidKinds: new Set([...kinds.values()].filter((k) => !k.valid).map((k) => k.kind)),
    missingKinds: new Set(readKinds.filter((kind) => !kinds.has(kind))),
    locate(ref: EvidenceRef): EvidenceRef {
      const file = byPath.get(ref.file);
      if (!file) return ref;
      const { line, column } = positionOf(file, ref.pointer);
      return { ...ref, line, column };
    },
  };
}

/** The evidence kind that holds waivers, and the kind whose owner may not approve them. */
const WAIVERS_KIND = 'waivers';
const RELEASE_KIND = 'release';

function waiversOf(kinds: Map<string, KindEvidence>): WaiverEntry[] {
  const entry = kinds.get(WAIVERS_KIND);
  return entry?.valid ? waiversFrom(entry.file.data) : [];
}

function releaseOwnerOf(kinds: Map<string, KindEvidence>): string | undefined {
  const entry = kinds.get(RELEASE_KIND);
  const owner = entry?.valid ? (entry.file.data as { owner?: unknown }).owner : undefined;
  return typeof owner === 'string' ? owner : undefined;
}
