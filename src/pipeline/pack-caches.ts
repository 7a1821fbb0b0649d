import { join } from 'node:path';
import { WASM_MEMORY, WASM_PAGE, WasmPolicy } from '../evaluate/wasm-policy.js';
import type { LoadedPack } from '../pack/pack.js';
import type { SchemaRegistry } from '../validate/schema-registry.js';
import { loadBundledValidators } from '../validate/standalone-validators.js';

// What a loaded pack compiles once and every evaluation with it reuses: keyed by the
// pack object, so a pack loaded afresh (verify) compiles afresh.

const policies = new WeakMap<LoadedPack, Map<number, WasmPolicy>>();

/**
 * The pack's policy with a memory ceiling, loaded once per pack object and ceiling: the
 * WebAssembly module is compiled once, and its instance is reused while it fits the input.
 */
export function policyOf(pack: LoadedPack, maxWasmMemory: number): WasmPolicy {
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
export function validatorsOf(pack: LoadedPack): Promise<SchemaRegistry> {
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
