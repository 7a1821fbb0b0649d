import { access, constants, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PolicyOutcome } from '../evaluate/policy-outcome.js';
import { CannotEvaluateError, messageOf } from '../core/errors.js';
import type { PolicyInput } from '../evaluate/policy-input.js';
import { WasmPolicy } from '../evaluate/wasm-policy.js';
import { writeFileAtomic } from '../core/io/atomic-write.js';
import { opaBinary, runOpa } from '../pack/opa-cli.js';
import { regoLibraryOf } from '../pack/rego-library.js';
import type { LoadedPack } from '../pack/pack.js';
import { canonicalJson } from '../core/canonical-json.js';

/**
 * The policy input file: exactly the JSON text opa-wasm parses (it JSON.stringifies
 * the input), so `opa eval --input` reads the same document the wasm policy did.
 */
export function policyInputFile(input: PolicyInput): string {
  return `${JSON.stringify(input)}\n`;
}

/** Writes the policy input of an evaluation (`evaluate --emit-input FILE`). */
export async function writePolicyInput(path: string, input: PolicyInput): Promise<void> {
  await writeFileAtomic(path, policyInputFile(input));
}

/** The Rego query of a wasm entrypoint: `prodgate/decision` -> `data.prodgate.decision`. */
export function entrypointQuery(entrypoint: string): string {
  return [
    'data',
    ...entrypoint
      .split('/')
      .map((part) =>
        /^[A-Za-z_][A-Za-z0-9_]*$/.test(part) ? `.${part}` : `[${JSON.stringify(part)}]`,
      ),
  ].join('');
}

/**
 * The arguments of the stand-alone check (docs/audit.md): the stock OPA evaluating the
 * Rego sources, with the same files `opa build` compiles (tests and JSON left out).
 */
export function opaEvalArgs(
  policiesDir: string,
  inputFile: string,
  entrypoint: string,
  libraryDir?: string,
): string[] {
  return [
    'eval',
    '--format',
    'json',
    '--data',
    policiesDir,
    ...(libraryDir ? ['--data', libraryDir] : []),
    '--ignore',
    '*_test.rego',
    '--ignore',
    '*.json',
    '--input',
    inputFile,
    entrypointQuery(entrypoint),
  ];
}

/**
 * Evaluates the input with `opa eval` on the pack's Rego sources. A policy error (a
 * conflict, a failing builtin) is an outcome, like the wasm one; a missing OPA CLI
 * means the check cannot run.
 */
export async function evaluateWithOpa(
  input: PolicyInput,
  pack: Pick<LoadedPack, 'paths' | 'manifest'>,
): Promise<PolicyOutcome> {
  try {
    await access(opaBinary(), constants.X_OK);
  } catch {
    throw new CannotEvaluateError(
      `OPA CLI not found at ${opaBinary()}: run npm run setup:opa or set OPA_BIN`,
    );
  }
  const work = await mkdtemp(join(tmpdir(), 'prodgate-opa-'));
  try {
    const inputFile = join(work, 'input.json');
    await writeFile(inputFile, policyInputFile(input));
    let stdout: string;
    try {
      // A pack without its own library is read with prodgate's shared one, as it was built.
      const library = regoLibraryOf(pack.paths);
      stdout = await runOpa(
        opaEvalArgs(
          pack.paths.policies,
          inputFile,
          pack.manifest.entrypoint,
          library.shared ? library.dir : undefined,
        ),
      );
    } catch (thrown) {
      return { ok: false, error: messageOf(thrown) };
    }
    const output = JSON.parse(stdout) as { result?: { expressions?: { value?: unknown }[] }[] };
    const results = output.result ?? [];
    if (results.length === 0) return { ok: true, result: undefined };
    if (results.length > 1)
      return { ok: false, error: `opa eval gave ${results.length} results, expected one` };
    return { ok: true, result: results[0]?.expressions?.[0]?.value };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

/** Evaluates the input with the pack's policy.wasm, as the engine does, and keeps the raw answer. */
export function evaluateWithWasm(
  input: PolicyInput,
  pack: Pick<LoadedPack, 'wasm' | 'manifest'>,
): PolicyOutcome {
  return WasmPolicy.load(pack.wasm, pack.manifest.entrypoint).evaluate(input);
}

/** One gate's raw decision, comparable across engines: the status and the sorted set of reasons. */
export interface RawGate {
  status: unknown;
  /** Each reason's canonical JSON, sorted: Rego sets have no order engines share. */
  reasons: string[];
}

export interface EngineComparison {
  agree: boolean;
  /** How many gates both engines decided. */
  gates: number;
  differences: string[];
}

/** Compares two engines' raw answers gate by gate; the differences say which gate and how. */
export function compareOutcomes(wasm: PolicyOutcome, opa: PolicyOutcome): EngineComparison {
  if (!wasm.ok || !opa.ok) {
    if (!wasm.ok && !opa.ok) return { agree: true, gates: 0, differences: [] };
    const [failed, error] = !wasm.ok
      ? ['policy.wasm', wasm.error]
      : ['opa eval', (opa as { error: string }).error];
    return {
      agree: false,
      gates: 0,
      differences: [`${failed} failed where the other engine decided: ${error}`],
    };
  }
  const a = rawGates(wasm.result);
  const b = rawGates(opa.result);
  if (typeof a === 'string' || typeof b === 'string') {
    const same = canonicalJson(wasm.result ?? null) === canonicalJson(opa.result ?? null);
    return same
      ? { agree: true, gates: 0, differences: [] }
      : {
          agree: false,
          gates: 0,
          differences: [`policy.wasm: ${describe(a)}; opa eval: ${describe(b)}`],
        };
  }
  const differences: string[] = [];
  const ids = [...new Set([...a.keys(), ...b.keys()])].sort();
  for (const id of ids) {
    const x = a.get(id);
    const y = b.get(id);
    if (!x || !y) {
      differences.push(`gate ${id}: decided only by ${x ? 'policy.wasm' : 'opa eval'}`);
      continue;
    }
    if (x.status !== y.status)
      differences.push(
        `gate ${id}: policy.wasm says ${String(x.status)}, opa eval says ${String(y.status)}`,
      );
    const onlyWasm = x.reasons.filter((r) => !y.reasons.includes(r));
    const onlyOpa = y.reasons.filter((r) => !x.reasons.includes(r));
    if (onlyWasm.length || onlyOpa.length || x.reasons.length !== y.reasons.length) {
      differences.push(
        `gate ${id}: reasons differ; only policy.wasm: [${onlyWasm.join(', ')}]; only opa eval: [${onlyOpa.join(', ')}]`,
      );
    }
  }
  const rest = (r: unknown): string =>
    canonicalJson({ ...(r as Record<string, unknown>), gates: null });
  if (rest(wasm.result) !== rest(opa.result))
    differences.push(
      `the results differ outside gates: policy.wasm ${rest(wasm.result)}, opa eval ${rest(opa.result)}`,
    );
  return { agree: differences.length === 0, gates: ids.length, differences };
}

/**
 * The other engine's verdict on an evaluation's exact input: policy.wasm (as the
 * engine runs it) and `opa eval` on the Rego sources must give the same raw decision
 * for every gate.
 */
export async function crossCheckWithOpa(evaluation: {
  input: PolicyInput;
  pack: Pick<LoadedPack, 'paths' | 'manifest' | 'wasm'>;
}): Promise<EngineComparison> {
  const wasm = evaluateWithWasm(evaluation.input, evaluation.pack);
  const opa = await evaluateWithOpa(evaluation.input, evaluation.pack);
  return compareOutcomes(wasm, opa);
}

function rawGates(result: unknown): Map<string, RawGate> | string {
  const gates = (result as { gates?: unknown } | null | undefined)?.gates;
  if (result === undefined) return 'undefined';
  if (!gates || typeof gates !== 'object' || Array.isArray(gates)) return 'no gates object';
  const map = new Map<string, RawGate>();
  for (const [id, value] of Object.entries(gates as Record<string, unknown>)) {
    const { status, reasons } = (value ?? {}) as { status?: unknown; reasons?: unknown };
    map.set(id, {
      status,
      reasons: Array.isArray(reasons)
        ? reasons.map((r) => canonicalJson(r)).sort()
        : [`(reasons: ${canonicalJson(reasons ?? null)})`],
    });
  }
  return map;
}

function describe(gates: Map<string, RawGate> | string): string {
  return typeof gates === 'string' ? gates : `${gates.size} gate(s)`;
}
