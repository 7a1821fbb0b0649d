// Exhausted wasm memory, in-process: the real bundle given too little memory for the
// prod example. The failure becomes an outcome, every gate error, the verdict NO-GO.
// (faults.test.ts does the same through the CLI with a policy that outgrows 256 MiB.)
import { describe, expect, it } from 'vitest';
import { decide } from '../../src/decide/decide.ts';
import { evaluateEnvironment } from '../../src/engine.ts';
import { WasmPolicy } from '../../src/evaluate/wasm-policy.ts';
import { loadPack } from '../../src/pack/pack.ts';
import { AS_OF, REPO_ROOT } from '../support/helpers.ts';

describe('wasm memory exhausted', () => {
  it('is an error outcome, never a throw, and decides every gate error', async () => {
    const pack = await loadPack();
    const evaluation = await evaluateEnvironment({
      env: 'prod',
      evidenceDir: `${REPO_ROOT}/evidence/prod`,
      asOf: AS_OF,
      pack,
      repoRoot: REPO_ROOT,
    });
    expect(evaluation.decision.verdict).toBe('GO');

    // 3 pages (192 KiB) is the least the module instantiates with; the prod input needs more.
    // Memory is sized from the input's JSON (40 bytes a byte), never below what that asks
    // for. The prod input without its normalised copies of the evidence text is small
    // enough that evaluating it still outgrows the memory sized for it: a real exhaustion.
    const starved = WasmPolicy.load(pack.wasm, pack.manifest.entrypoint, {
      initial: 3,
      maximum: 4,
    });
    const { normalised: _normalised, ...withoutNormalised } = evaluation.input;
    const outcome = starved.evaluate(withoutNormalised);
    expect(outcome).toEqual({
      ok: false,
      error: expect.stringMatching(/opa_malloc: failed|Maximum memory size exceeded/),
    });

    const decision = decide(pack.gates, outcome, 'prod', {
      invalidKinds: new Set(),
      missingKinds: new Set(),
      errorCount: 0,
      locate: (ref) => ref,
    });
    expect(decision.verdict).toBe('NO-GO');
    expect(decision.gates.every((g) => g.status === 'error')).toBe(true);
    expect(decision.problems[0]).toMatch(/^policy evaluation failed: /);
  });
});
