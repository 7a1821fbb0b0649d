import * as opaWasm from '@open-policy-agent/opa-wasm';
import { CannotEvaluateError, messageOf } from '../errors.js';
import type { PolicyOutcome } from '../decide/decide.js';

/** WebAssembly memory size in 64 KiB pages. */
export interface WasmMemory {
  initial: number;
  maximum: number;
}

// The ESM entry of opa-wasm exports only loadPolicy and a default; the synchronous
// loader lives on the default export (and its typings do not declare the default).
const { loadPolicySync } = (opaWasm as unknown as { default: { loadPolicySync(wasm: Uint8Array, memory: WasmMemory): LoadedWasmPolicy } }).default;

interface LoadedWasmPolicy {
  entrypoints: Record<string, number>;
  evaluate(input: unknown, entrypoint?: string | number): unknown;
}

/** 64 KiB pages: start at 2 MiB, allow up to 256 MiB before failing the evaluation. */
export const WASM_MEMORY: WasmMemory = { initial: 32, maximum: 4096 };

/** A compiled policy ready to evaluate inputs at one entrypoint. */
export class WasmPolicy {
  private constructor(
    private readonly policy: LoadedWasmPolicy,
    private readonly entrypoint: string,
  ) {}

  static load(wasm: Buffer, entrypoint: string, memory: WasmMemory = WASM_MEMORY): WasmPolicy {
    let policy: LoadedWasmPolicy;
    try {
      policy = loadPolicySync(new Uint8Array(wasm), memory);
    } catch (thrown) {
      throw new CannotEvaluateError(`policy.wasm cannot be loaded: ${messageOf(thrown)}`);
    }
    if (!(entrypoint in policy.entrypoints)) {
      throw new CannotEvaluateError(`policy.wasm has no entrypoint ${entrypoint} (it has: ${Object.keys(policy.entrypoints).join(', ') || 'none'})`);
    }
    return new WasmPolicy(policy, entrypoint);
  }

  /**
   * Evaluates, normalising every failure into an outcome: opa-wasm throws strings
   * ("var assignment conflict"), plain objects ("not implemented: built-in
   * function") and Errors (memory exhausted). An empty result set is undefined.
   */
  evaluate(input: object): PolicyOutcome {
    try {
      const resultSet = this.policy.evaluate(input, this.entrypoint);
      if (!Array.isArray(resultSet) || resultSet.length === 0) return { ok: true, result: undefined };
      if (resultSet.length > 1) return { ok: false, error: `the entrypoint gave ${resultSet.length} results, expected one` };
      return { ok: true, result: (resultSet[0] as { result?: unknown }).result };
    } catch (thrown) {
      return { ok: false, error: messageOf(thrown) };
    }
  }
}
