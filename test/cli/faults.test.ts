// Injected faults in the policy bundle, evaluated through the built CLI on the GO example
// (evidence/prod): a corrupt or truncated policy.wasm, a missing entrypoint, a runtime
// conflict, a result missing gates or holding an unknown status, an undefined result,
// exhausted wasm memory. Each must end in exit 2, or in error for the affected gates
// and NO-GO; never GO. Faulty policies are real: fixture Rego compiled by the pinned OPA.
import { createHash } from 'node:crypto';
import { copyFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AS_OF,
  cleanupTmp,
  copyPack,
  inBatches,
  makeTmp,
  readReport,
  REPO_ROOT,
  runCli,
  STACK_TRACE,
  type CliResult,
  type Report,
} from '../support/helpers.ts';

const FIXTURES = join(REPO_ROOT, 'test/fixtures/faults');

/** Generous; a fault evaluation takes about a second (memory exhaustion a few). */
const TIME_BOUND_MS = 30_000;

interface Fault {
  name: string;
  /** Breaks a copy of the pack. */
  inject(pack: string): Promise<void>;
  /** Recompile policies/ into the bundle after injecting (for Rego faults). */
  build?: boolean;
  exit: 1 | 2;
  /** exit 2: what stderr says. exit 1: a problem the report records, when the fault is the whole result's. */
  says?: RegExp;
  /** exit 1: gates that must be error (all when absent), and what the first reason of each says. */
  errorGates?: string[];
  reason?: RegExp;
}

async function manifestOf(
  pack: string,
): Promise<Record<string, unknown> & { wasm: { path: string; sha256: string } }> {
  return JSON.parse(await readFile(join(pack, 'bundle/manifest.json'), 'utf8'));
}

/** Replaces policy.wasm and, when `matching`, records its digest so that only its content is wrong. */
async function replaceWasm(pack: string, bytes: Buffer, matching: boolean): Promise<void> {
  await writeFile(join(pack, 'bundle/policy.wasm'), bytes);
  if (!matching) return;
  const manifest = await manifestOf(pack);
  manifest.wasm.sha256 = createHash('sha256').update(bytes).digest('hex');
  await writeFile(join(pack, 'bundle/manifest.json'), JSON.stringify(manifest, null, 2));
}

const wasmOf = (pack: string): Promise<Buffer> => readFile(join(pack, 'bundle/policy.wasm'));
const withDecision = (fixture: string) => (pack: string) =>
  copyFile(join(FIXTURES, fixture), join(pack, 'policies/decision.rego'));

const FAULTS: Fault[] = [
  {
    name: 'a corrupt policy.wasm (bytes changed; digest check)',
    inject: async (pack) => {
      const wasm = await wasmOf(pack);
      wasm.fill(0x55, 1000, 1100);
      await replaceWasm(pack, wasm, false);
    },
    exit: 2,
    says: /^prodgate: policy bundle policy\.wasm is corrupt: sha256 [0-9a-f]{64} does not match the manifest's [0-9a-f]{64}$/,
  },
  {
    name: 'a corrupt policy.wasm whose digest the manifest matches',
    inject: async (pack) => {
      const wasm = await wasmOf(pack);
      wasm.fill(0xff, 8, 4000);
      await replaceWasm(pack, wasm, true);
    },
    exit: 2,
    says: /^prodgate: policy\.wasm cannot be loaded: /,
  },
  {
    name: 'a truncated policy.wasm whose digest the manifest matches',
    inject: async (pack) => {
      const wasm = await wasmOf(pack);
      await replaceWasm(pack, wasm.subarray(0, Math.floor(wasm.length / 2)), true);
    },
    exit: 2,
    says: /^prodgate: policy\.wasm cannot be loaded: /,
  },
  {
    name: 'an empty policy.wasm whose digest the manifest matches',
    inject: (pack) => replaceWasm(pack, Buffer.alloc(0), true),
    exit: 2,
    says: /^prodgate: policy\.wasm cannot be loaded: /,
  },
  {
    name: 'a bundle whose entrypoint is missing from policy.wasm',
    inject: async (pack) => {
      const manifest = await manifestOf(pack);
      manifest['entrypoint'] = 'prodgate/no_such_decision';
      await writeFile(join(pack, 'bundle/manifest.json'), JSON.stringify(manifest, null, 2));
    },
    exit: 2,
    says: /^prodgate: policy\.wasm has no entrypoint prodgate\/no_such_decision \(it has: prodgate\/decision\)$/,
  },
  {
    name: 'a policy that throws a runtime conflict',
    inject: (pack) =>
      copyFile(join(FIXTURES, 'conflict.rego'), join(pack, 'policies/release/zz_conflict.rego')),
    build: true,
    exit: 1,
    says: /^policy evaluation failed: policies\/release\/zz_conflict\.rego:\d+:\d+: var assignment conflict$/,
  },
  {
    name: 'a result missing some gate ids',
    inject: withDecision('missing-gates.rego'),
    build: true,
    exit: 1,
    errorGates: ['signoff.product', 'signoff.engineering', 'signoff.security'],
    reason: /^the policy gave no decision for this gate \(undefined\)$/,
  },
  {
    name: 'a result holding an unknown status, an unknown gate and a malformed decision',
    inject: withDecision('unknown-status.rego'),
    build: true,
    exit: 1,
    says: /^policy returned a gate that has no METADATA: release\.bogus$/,
    errorGates: ['release.metadata', 'signoff.product'],
    reason:
      /^the policy returned an unknown status: "passed"$|^the policy decision is not an object$/,
  },
  {
    name: 'an undefined result',
    inject: withDecision('undefined.rego'),
    build: true,
    exit: 1,
    says: /^policy result is undefined$/,
  },
  {
    name: 'wasm memory exhausted',
    inject: withDecision('memory.rego'),
    build: true,
    exit: 1,
    says: /^policy evaluation failed: .*(malloc|memory)/i,
  },
];

interface Outcome extends CliResult {
  elapsedMs: number;
  report?: Report;
}

const outcomes = new Map<string, Outcome>();
let gateIds: string[];

beforeAll(async () => {
  gateIds = (
    JSON.parse(await readFile(join(REPO_ROOT, 'bundle/manifest.json'), 'utf8')) as {
      gates: { id: string }[];
    }
  ).gates.map((g) => g.id);
  await inBatches(FAULTS, 2, async (fault) => {
    const pack = await copyPack();
    await fault.inject(pack);
    if (fault.build) {
      const built = await runCli(['build', '--pack', pack]);
      if (built.exitCode !== 0)
        throw new Error(`building the fault pack for "${fault.name}" failed: ${built.stderr}`);
    }
    const out = await makeTmp('prodgate-fault-out-');
    const started = performance.now();
    const run = await runCli([
      'evaluate',
      '--pack',
      pack,
      '--env',
      'prod',
      '--as-of',
      AS_OF,
      '--out',
      out,
    ]);
    const elapsedMs = Math.round(performance.now() - started);
    outcomes.set(fault.name, {
      ...run,
      elapsedMs,
      ...(fault.exit === 1 ? { report: await readReport(out, 'prod') } : {}),
    });
  });
}, 180_000);
afterAll(async () => {
  const record = FAULTS.map((f) => {
    const o = outcomes.get(f.name);
    return {
      fault: f.name,
      exit: o?.exitCode,
      ms: o?.elapsedMs,
      stderr: o?.stderr.trim(),
      problems: o?.report?.problems,
      counts: o?.report?.counts,
    };
  });
  await mkdir(join(REPO_ROOT, 'test-output'), { recursive: true });
  await writeFile(
    join(REPO_ROOT, 'test-output/fault-cases.json'),
    `${JSON.stringify(record, null, 2)}\n`,
  );
  await cleanupTmp();
});

describe.each(FAULTS.map((f) => [f.name, f] as const))('injected fault: %s', (_name, fault) => {
  const outcome = (): Outcome => outcomes.get(fault.name) as Outcome;

  it(`exits ${fault.exit}, never GO, one line on stderr at most, no stack trace, within ${TIME_BOUND_MS / 1000} s`, () => {
    const o = outcome();
    expect(o.exitCode, `${o.stderr}\n${o.stdout.slice(0, 1000)}`).toBe(fault.exit);
    expect(o.stdout).not.toMatch(/: GO —/);
    expect(o.stderr).not.toMatch(STACK_TRACE);
    expect(o.stderr.split('\n').filter(Boolean).length).toBeLessThanOrEqual(1);
    expect(o.elapsedMs).toBeLessThan(TIME_BOUND_MS);
    if (fault.exit === 2) expect(o.stderr.trimEnd()).toMatch(fault.says ?? /^prodgate: /);
  });

  if (fault.exit === 1) {
    it('is NO-GO, with every affected gate error and the problem recorded', () => {
      const report = outcome().report as Report;
      expect(report.verdict).toBe('NO-GO');
      const affected = fault.errorGates ?? gateIds;
      for (const id of affected) {
        const gate = report.gates.find((g) => g.id === id);
        expect(gate?.status, id).toBe('error');
        if (fault.reason) expect(gate?.reasons[0]?.message, id).toMatch(fault.reason);
      }
      if (fault.says)
        expect(report.problems).toEqual(
          expect.arrayContaining([expect.stringMatching(fault.says)]),
        );
      // Every gate is still reported, and none passes on a policy's failure.
      expect(report.gates.map((g) => g.id).sort()).toEqual([...gateIds].sort());
    });
  }
});
