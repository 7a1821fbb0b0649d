// The wasm policy's memory: sized from the input (a ceiling below what the input needs
// does not starve it), one compiled module per wasm buffer, an instance reused across
// evaluations with the same results.
import { beforeAll, describe, expect, it } from 'vitest';
import { evaluateEnvironment, type Evaluation } from '../../src/engine.ts';
import { WASM_PAGE, WasmPolicy } from '../../src/evaluate/wasm-policy.ts';
import { loadPack, type LoadedPack } from '../../src/pack/pack.ts';
import { AS_OF, REPO_ROOT } from '../support/helpers.ts';

let pack: LoadedPack;
let evaluation: Evaluation;
beforeAll(async () => {
  pack = await loadPack();
  evaluation = await evaluateEnvironment({
    env: 'prod',
    evidenceDir: `${REPO_ROOT}/evidence/prod`,
    asOf: AS_OF,
    pack,
    repoRoot: REPO_ROOT,
  });
});

describe('WasmPolicy memory', () => {
  it('starts an input with memory in proportion to its size, and lifts the ceiling to it', () => {
    const policy = WasmPolicy.load(pack.wasm, pack.manifest.entrypoint, {
      initial: 32,
      maximum: 64,
    });
    expect(policy.memoryFor(1000)).toEqual({ initial: 32, maximum: 64 });
    const big = policy.memoryFor(34 * 1024 * 1024);
    expect(big.initial * WASM_PAGE).toBeGreaterThanOrEqual(4 * 34 * 1024 * 1024);
    expect(big.maximum).toBe(big.initial);
    expect(policy.memoryFor(2 ** 40).maximum).toBe(65_536);
  });

  it('gives an input 40 bytes of memory per byte, in whole pages, within 4 GiB', () => {
    const policy = WasmPolicy.load(pack.wasm, pack.manifest.entrypoint, {
      initial: 32,
      maximum: 64,
    });
    // 32 pages hold the needs of 52,428 bytes (32 x 65,536 / 40); one byte more needs a 33rd.
    expect(policy.memoryFor(52_428)).toEqual({ initial: 32, maximum: 64 });
    expect(policy.memoryFor(52_429)).toEqual({ initial: 33, maximum: 64 });
    expect(policy.memoryFor(0)).toEqual({ initial: 32, maximum: 64 });
    // 34 MiB of JSON: 34 x 2^20 x 40 / 2^16 = 21,760 pages, the ceiling lifted to them.
    expect(policy.memoryFor(34 * 1024 * 1024)).toEqual({ initial: 21_760, maximum: 21_760 });
    expect(policy.memoryFor(2 ** 40)).toEqual({ initial: 65_536, maximum: 65_536 });
    const roomy = WasmPolicy.load(pack.wasm, pack.manifest.entrypoint, {
      initial: 16,
      maximum: 65_536,
    });
    expect(roomy.memoryFor(10)).toEqual({ initial: 16, maximum: 65_536 });
  });

  it('evaluates an input larger than the ceiling alone would allow, with the same result', () => {
    const policy = WasmPolicy.load(pack.wasm, pack.manifest.entrypoint, {
      initial: 32,
      maximum: 64,
    });
    const padded = { ...evaluation.input, padding: 'x'.repeat(8 * 1024 * 1024) };
    const outcome = policy.evaluate(padded);
    expect(outcome.ok).toBe(true);
    expect(outcome).toEqual(policy.evaluate(evaluation.input));
  });

  it('gives the same outcome on every evaluation of a reused instance and across loads of one buffer', () => {
    const first = WasmPolicy.load(pack.wasm, pack.manifest.entrypoint);
    const outcomes = [
      first.evaluate(evaluation.input),
      first.evaluate({ ...evaluation.input, env: 'staging' }),
      first.evaluate(evaluation.input),
    ];
    expect(outcomes[0]).toEqual(outcomes[2]);
    expect(outcomes[0]).not.toEqual(outcomes[1]);
    expect(WasmPolicy.load(pack.wasm, pack.manifest.entrypoint).evaluate(evaluation.input)).toEqual(
      outcomes[0],
    );
  });
});
