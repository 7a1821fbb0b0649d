import { describe, expect, it } from 'vitest';
import { resolveLimits } from '../../src/engine.ts';
import { CannotEvaluateError } from '../../src/core/errors.ts';
import { DEFAULT_LIMITS, LIMIT_FLAGS, limitProblems, parseLimit } from '../../src/core/limits.ts';
import { numberProblem } from '../../src/load/numbers.ts';

describe('limits', () => {
  it('parses sizes with K, M and G suffixes, and counts as plain whole numbers', () => {
    expect(parseLimit('1048576', true)).toBe(1048576);
    expect(parseLimit('512K', true)).toBe(512 * 1024);
    expect(parseLimit('2M', true)).toBe(2 * 1024 * 1024);
    expect(parseLimit('1MiB', true)).toBe(1024 * 1024);
    expect(parseLimit('1g', true)).toBe(1024 ** 3);
    expect(parseLimit('64', false)).toBe(64);
    for (const bad of ['0', '-1', '1.5', 'deep', '', '1e3', '0x10', '99999999999999K'])
      expect(parseLimit(bad, true), bad).toBeUndefined();
    expect(parseLimit('2K', false)).toBeUndefined();
  });

  it('every limit has a flag, a positive default and no problem', () => {
    expect(LIMIT_FLAGS.map((f) => f.flag)).toEqual([
      '--max-file-size',
      '--max-files',
      '--max-depth',
      '--max-aliases',
      '--max-string-length',
      '--max-bundle-size',
      '--max-nodes',
      '--max-wasm-memory',
    ]);
    expect(LIMIT_FLAGS.map((f) => f.key).sort()).toEqual(Object.keys(DEFAULT_LIMITS).sort());
    expect(limitProblems({ ...DEFAULT_LIMITS })).toEqual([]);
  });

  it('scales the node bound with --max-file-size unless --max-nodes is given', () => {
    expect(resolveLimits({}).maxNodes).toBe(100_000);
    expect(resolveLimits({ maxFileBytes: 512 * 1024 }).maxNodes).toBe(100_000);
    expect(resolveLimits({ maxFileBytes: 64 * 1024 * 1024 }).maxNodes).toBe(6_400_000);
    expect(resolveLimits({ maxFileBytes: 64 * 1024 * 1024, maxNodes: 10 }).maxNodes).toBe(10);
  });

  it('refuses a wasm memory ceiling above 4 GiB', () => {
    expect(resolveLimits({ maxWasmMemory: 4 * 1024 ** 3 }).maxWasmMemory).toBe(4 * 1024 ** 3);
    expect(() => resolveLimits({ maxWasmMemory: 4 * 1024 ** 3 + 1 })).toThrow(
      /maxWasmMemory must be at most 4 GiB/,
    );
  });

  it('resolves partial limits over the defaults and refuses invalid ones', () => {
    expect(resolveLimits({ maxDepth: 5 })).toEqual({ ...DEFAULT_LIMITS, maxDepth: 5 });
    expect(() => resolveLimits({ maxFiles: 0 })).toThrow(CannotEvaluateError);
    expect(() => resolveLimits({ maxFileBytes: Number.NaN })).toThrow(
      /maxFileBytes must be a positive whole number/,
    );
  });
});

describe('numberProblem: a number is accepted only when its double is what its text says', () => {
  it.each([
    ['0', 0],
    ['-0', -0],
    ['42', 42],
    ['0.1', 0.1],
    ['1.5e3', 1500],
    ['1.0', 1],
    ['100e-2', 1],
    ['9007199254740991', 9007199254740991],
    ['0x1F', 31],
    ['0.000', 0],
  ])('accepts %s', (literal, value) => {
    expect(numberProblem(literal, value)).toBeUndefined();
  });

  it.each([
    ['9007199254740993', Number('9007199254740993'), /beyond 2\^53/],
    ['18446744073709551616', Number('18446744073709551616'), /beyond 2\^53/],
    ['1e400', Infinity, /infinity/],
    ['.nan', NaN, /NaN/],
    ['1e-400', 0, /too small/],
    ['1.0000000000000001', 1, /not a whole number but reads as 1/],
    ['4.00000000000000001e0', 4, /not a whole number/],
  ])('refuses %s', (literal, value, problem) => {
    expect(numberProblem(literal, value)).toMatch(problem);
  });
});

describe('raising --max-file-size alone admits a file of that size', () => {
  it('reads a file of 300,000 values once only maxFileBytes is raised, and refuses it with the default node bound', async () => {
    const { mkdtemp, writeFile, rm } = await import('node:fs/promises');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const { loadBundle } = await import('../../src/load/load-bundle.ts');
    const dir = await mkdtemp(join(tmpdir(), 'prodgate-nodes-'));
    try {
      const items = Array.from({ length: 100_000 }, (_, i) => ({ n: i % 10 }));
      await writeFile(
        join(dir, 'release.json'),
        JSON.stringify({ kind: 'release', schemaVersion: 1, items }),
      );
      const raised = await loadBundle(
        dir,
        resolveLimits({ maxFileBytes: 4 * 1024 * 1024, maxBundleBytes: 8 * 1024 * 1024 }),
      );
      expect(raised.files[0]?.diagnostics).toEqual([]);
      const fixed = await loadBundle(
        dir,
        resolveLimits({ maxFileBytes: 4 * 1024 * 1024, maxNodes: 100_000 }),
      );
      expect(fixed.files[0]?.diagnostics.map((d) => d.code)).toEqual(['limit-exceeded']);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
