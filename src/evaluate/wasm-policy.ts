import * as opaWasm from '@open-policy-agent/opa-wasm';
import { CannotEvaluateError, messageOf } from '../core/errors.js';
import type { PolicyOutcome } from './policy-outcome.js';

/** WebAssembly memory size in 64 KiB pages. */
export interface WasmMemory {
  initial: number;
  maximum: number;
}

/** A compiled WebAssembly module (opaque here; the TypeScript lib in use declares no WebAssembly types). */
interface CompiledModule {
  readonly compiled: unique symbol;
}
interface WasmLinearMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}
const { Module: WasmModule } = (
  globalThis as unknown as { WebAssembly: { Module: new (bytes: Uint8Array) => CompiledModule } }
).WebAssembly;

// The ESM entry of opa-wasm exports only loadPolicy and a default; the synchronous
// loader lives on the default export (and its typings do not declare the default).
// It takes the wasm bytes or an already compiled WebAssembly.Module.
const { loadPolicySync } = (
  opaWasm as unknown as {
    default: {
      loadPolicySync(wasm: Uint8Array | CompiledModule, memory: WasmMemory): LoadedWasmPolicy;
    };
  }
).default;

interface LoadedWasmPolicy {
  entrypoints: Record<string, number>;
  mem: WasmLinearMemory;
  evaluate(input: unknown, entrypoint?: string | number): unknown;
}

/** Bytes in a WebAssembly page. */
export const WASM_PAGE = 64 * 1024;

/** The most pages a 32-bit WebAssembly memory can have (4 GiB). */
const MAX_PAGES = 65_536;

/**
 * 64 KiB pages: start at 2 MiB; a policy may grow its memory to 256 MiB by default
 * (`--max-wasm-memory` raises it), and always to what its input needs (below).
 */
export const WASM_MEMORY: WasmMemory = { initial: 32, maximum: 4096 };

/**
 * Memory an evaluation needs per byte of input JSON: opa-wasm copies the text in, the
 * policy parses it into values and builds its sets and result beside them. Measured with
 * the shipped pack on the example grown 100x and 1,000x (npm run bench): the high-water
 * mark is 34 bytes per input byte. Growing the memory on demand instead costs far more
 * than its size: every growth makes V8 collect garbage over the whole JavaScript heap.
 * Pages never touched cost address space only, not resident memory.
 */
const BYTES_PER_INPUT_BYTE = 40;

/** An instance whose memory grew past this is dropped after its evaluation, not kept for the next. */
const KEEP_INSTANCE_BYTES = 64 * 1024 * 1024;

const compiledModules = new WeakMap<Uint8Array, CompiledModule>();

/**
 * A compiled policy ready to evaluate inputs at one entrypoint. The WebAssembly module
 * is compiled once per wasm buffer and process; each evaluation runs in an instance
 * whose memory is sized from its input, so that a large input does not grow the memory
 * 64 KiB at a time (each growth a garbage collection: time quadratic in the input).
 */
export class WasmPolicy {
  /** The instance kept for the next evaluation, and the ceiling its memory was made with. */
  private instance: { policy: LoadedWasmPolicy; maximum: number } | undefined;

  private constructor(
    private readonly module: CompiledModule,
    private readonly entrypoint: string,
    private readonly memory: WasmMemory,
  ) {}

  /**
   * @param wasm policy.wasm's bytes (compiled once per buffer and process)
   * @param memory pages: `initial` is the least an instance starts with, `maximum` the
   *   ceiling of its growth, raised to what an input needs (never past 4 GiB)
   * @throws CannotEvaluateError when the module cannot be compiled or instantiated, or lacks the entrypoint
   */
  static load(wasm: Uint8Array, entrypoint: string, memory: WasmMemory = WASM_MEMORY): WasmPolicy {
    let module = compiledModules.get(wasm);
    let probe: LoadedWasmPolicy;
    try {
      module ??= new WasmModule(wasm);
      compiledModules.set(wasm, module);
      probe = loadPolicySync(module, memory);
    } catch (thrown) {
      throw new CannotEvaluateError(`policy.wasm cannot be loaded: ${messageOf(thrown)}`);
    }
    if (!(entrypoint in probe.entrypoints)) {
      throw new CannotEvaluateError(
        `policy.wasm has no entrypoint ${entrypoint} (it has: ${Object.keys(probe.entrypoints).join(', ') || 'none'})`,
      );
    }
    const policy = new WasmPolicy(module, entrypoint, memory);
    policy.instance = { policy: probe, maximum: memory.maximum };
    return policy;
  }

  /** The memory an input of `inputBytes` bytes of JSON is given: where it starts, and its ceiling. */
  memoryFor(inputBytes: number): WasmMemory {
    const needed = Math.ceil((inputBytes * BYTES_PER_INPUT_BYTE) / WASM_PAGE);
    const initial = Math.min(MAX_PAGES, Math.max(this.memory.initial, needed));
    return { initial, maximum: Math.min(MAX_PAGES, Math.max(this.memory.maximum, initial)) };
  }

  /**
   * Evaluates, normalising every failure into an outcome: opa-wasm throws strings
   * ("var assignment conflict"), plain objects ("not implemented: built-in
   * function") and Errors (memory exhausted). An empty result set is undefined.
   */
  evaluate(input: object): PolicyOutcome {
    try {
      // The JSON text is what opa-wasm copies into the memory; measuring it sizes the memory.
      const text = new TextEncoder().encode(JSON.stringify(input));
      const instance = this.instanceFor(this.memoryFor(text.byteLength));
      const resultSet = instance.evaluate(text.buffer, this.entrypoint);
      if (instance.mem.buffer.byteLength > KEEP_INSTANCE_BYTES) this.instance = undefined;
      if (!Array.isArray(resultSet) || resultSet.length === 0)
        return { ok: true, result: undefined };
      if (resultSet.length > 1)
        return {
          ok: false,
          error: `the entrypoint gave ${resultSet.length} results, expected one`,
        };
      return { ok: true, result: (resultSet[0] as { result?: unknown }).result };
    } catch (thrown) {
      // A failed evaluation may leave the instance in any state: the next one starts afresh.
      this.instance = undefined;
      return { ok: false, error: messageOf(thrown) };
    }
  }

  /**
   * The kept instance when its memory is already as large as asked for, else a new one
   * made with that memory. Never grown from here: opa's allocator only uses memory it
   * grew itself, and would grow again, 64 KiB at a time, past memory grown from outside.
   */
  private instanceFor(memory: WasmMemory): LoadedWasmPolicy {
    const kept = this.instance;
    if (
      kept &&
      memory.maximum <= kept.maximum &&
      kept.policy.mem.buffer.byteLength >= memory.initial * WASM_PAGE
    )
      return kept.policy;
    const policy = loadPolicySync(this.module, memory);
    this.instance = { policy, maximum: memory.maximum };
    return policy;
  }
}
