// src/decide/recorded-facts.ts: where a gate's METADATA asks for recorded facts, a claim
// (or a fact that names an artifact it was not read from) fails the gate.
import { describe, expect, it } from 'vitest';
import { requireRecorded, type RecordedContext } from '../../src/decide/recorded-facts.ts';
import { countStatuses, type Decision, type GateVerdict } from '../../src/decide/verdict.ts';
import { syntheticGate } from '../support/fixtures.ts';

const gate = {
  ...syntheticGate('alpha.proven', { evidence: ['tenancy'] }),
  recorded: { prod: ['tenancy:/isolationTests/*'] },
};

function passing(): Decision {
  const verdict: GateVerdict = {
    id: gate.id,
    title: gate.title,
    section: gate.section,
    severity: gate.severity,
    rule: 'r',
    status: 'pass',
    reasons: [],
  } as GateVerdict;
  return {
    verdict: 'GO',
    gates: [verdict],
    counts: countStatuses([verdict]),
    problems: [],
    own: new Map([[gate.id, { status: 'pass', reasons: [] }]]),
  };
}

function context(test: object, recorded: RecordedContext['recorded']): RecordedContext {
  return {
    gates: [gate],
    env: 'prod',
    evidenceOf: (kind) =>
      kind === 'tenancy' ? { file: 'tenancy.yaml', data: { isolationTests: [test] } } : undefined,
    locate: (ref) => ref,
    ...(recorded ? { recorded } : {}),
  };
}

const fact = {
  artifact: 'release-tests',
  file: 'artifacts/t.junit.xml',
  sha256: 'a'.repeat(64),
  format: 'junit',
  selector: 'tag [org-iso:x]',
};

describe('requireRecorded', () => {
  it('keeps a pass whose fact was read from the artifact it names', () => {
    const out = requireRecorded(
      passing(),
      context(
        { path: 'x', recordedBy: { artifact: 'release-tests' } },
        { tenancy: { '/isolationTests/0': fact } },
      ),
    );
    expect(out.verdict).toBe('GO');
    expect(out.gates[0]?.facts?.[0]?.source).toBe('recorded');
  });

  it('fails a claimed fact with claimed-fact, located at its pointer', () => {
    const out = requireRecorded(passing(), context({ path: 'x', outcome: 'passed' }, undefined));
    expect(out.verdict).toBe('NO-GO');
    expect(out.gates[0]?.status).toBe('fail');
    expect(out.gates[0]?.reasons).toEqual([
      expect.objectContaining({
        code: 'claimed-fact',
        evidence: [{ file: 'tenancy.yaml', pointer: '/isolationTests/0' }],
      }),
    ]);
  });

  it('fails a fact that names an artifact but was not read from one', () => {
    const out = requireRecorded(
      passing(),
      context({ path: 'x', recordedBy: { artifact: 'release-tests' } }, { tenancy: {} }),
    );
    expect(out.verdict).toBe('NO-GO');
    expect(out.gates[0]?.reasons.map((r) => r.code)).toEqual(['claimed-fact']);
    expect(out.gates[0]?.facts?.[0]?.source).toBe('claimed');
  });
});

describe('requireRecorded: what it records and what it leaves alone', () => {
  const recordedTest = { path: 'x', recordedBy: { artifact: 'release-tests' } };

  it('lists a recorded fact with its location and the artifact it was read from', () => {
    const ctx = context(recordedTest, { tenancy: { '/isolationTests/0': fact } });
    ctx.locate = (ref) => ({ ...ref, line: 3, column: 5 });
    const out = requireRecorded(passing(), ctx);
    expect(out.gates[0]?.facts).toEqual([
      {
        file: 'tenancy.yaml',
        pointer: '/isolationTests/0',
        line: 3,
        column: 5,
        source: 'recorded',
        artifact: {
          id: 'release-tests',
          path: 'artifacts/t.junit.xml',
          sha256: 'a'.repeat(64),
          format: 'junit',
          selector: 'tag [org-iso:x]',
        },
      },
    ]);
    expect(out.gates[0]?.status).toBe('pass');
    expect(out.counts).toEqual({ pass: 1, fail: 0, na: 0, waived: 0, error: 0 });
  });

  it('fails a claim with the exact reason, and records it as the gate’s own decision', () => {
    const out = requireRecorded(passing(), context({ path: 'x' }, undefined));
    const reason = {
      code: 'claimed-fact',
      message: 'in prod this fact must be recorded from an artifact (recordedBy), not claimed',
      evidence: [{ file: 'tenancy.yaml', pointer: '/isolationTests/0' }],
    };
    expect(out.gates[0]?.reasons).toEqual([reason]);
    expect(out.gates[0]?.facts).toEqual([
      { file: 'tenancy.yaml', pointer: '/isolationTests/0', source: 'claimed' },
    ]);
    expect(out.own.get(gate.id)).toEqual({ status: 'fail', reasons: [reason] });
    expect(out.counts).toEqual({ pass: 0, fail: 1, na: 0, waived: 0, error: 0 });
    expect(out.problems).toEqual([]);
  });

  it.each([
    ['a recordedBy that is a list', { path: 'x', recordedBy: ['release-tests'] }],
    ['a recordedBy that is null', { path: 'x', recordedBy: null }],
    ['a recordedBy that is text', { path: 'x', recordedBy: 'release-tests' }],
  ])('takes %s for a claim', (_name, test) => {
    const out = requireRecorded(
      passing(),
      context(test, { tenancy: { '/isolationTests/0': fact } }),
    );
    expect(out.gates[0]?.status).toBe('fail');
    expect(out.gates[0]?.facts?.[0]?.source).toBe('claimed');
  });

  it('keeps an error an error, and drops not-applicable from a gate it fails', () => {
    const decision = passing();
    const broken = { code: 'invalid-evidence', message: 'broken', evidence: [] };
    (decision.gates[0] as GateVerdict).status = 'error';
    (decision.gates[0] as GateVerdict).reasons = [broken];
    const erred = requireRecorded(decision, context({ path: 'x' }, undefined));
    expect(erred.gates[0]?.status).toBe('error');
    expect(erred.gates[0]?.reasons.map((r) => r.code)).toEqual([
      'invalid-evidence',
      'claimed-fact',
    ]);

    const na = passing();
    (na.gates[0] as GateVerdict).status = 'na';
    (na.gates[0] as GateVerdict).reasons = [
      { code: 'not-applicable', message: 'single node', evidence: [] },
    ];
    const failed = requireRecorded(na, context({ path: 'x' }, undefined));
    expect(failed.gates[0]?.status).toBe('fail');
    expect(failed.gates[0]?.reasons.map((r) => r.code)).toEqual(['claimed-fact']);
  });

  it('requires nothing in an environment the METADATA does not name, and lists the facts', () => {
    const ctx = { ...context({ path: 'x' }, undefined), env: 'staging' };
    const out = requireRecorded(passing(), ctx);
    expect(out.verdict).toBe('GO');
    expect(out.gates[0]?.reasons).toEqual([]);
    expect(out.gates[0]?.facts?.map((f) => f.source)).toEqual(['claimed']);
  });

  it('returns the decision as it was when no gate asks for recorded facts', () => {
    const decision = passing();
    const plain = syntheticGate('alpha.proven', { evidence: ['tenancy'] });
    const out = requireRecorded(decision, { ...context({ path: 'x' }, undefined), gates: [plain] });
    expect(out).toBe(decision);
  });

  it('requires nothing of evidence the bundle does not have', () => {
    const ctx = { ...context({ path: 'x' }, undefined), evidenceOf: () => undefined };
    expect(requireRecorded(passing(), ctx)).toEqual(passing());
  });

  it('reads ~1 and ~0 in a METADATA pointer as / and ~, and names each fact it reaches', () => {
    const escaped = {
      ...syntheticGate('alpha.proven', { evidence: ['tenancy'] }),
      recorded: { prod: ['tenancy:/a~1b/c~0d'] },
    };
    const ctx: RecordedContext = {
      gates: [escaped],
      env: 'prod',
      evidenceOf: () => ({ file: 'tenancy.yaml', data: { 'a/b': { 'c~d': { path: 'x' } } } }),
      locate: (ref) => ref,
    };
    const out = requireRecorded(passing(), ctx);
    expect(out.gates[0]?.reasons[0]?.evidence).toEqual([
      { file: 'tenancy.yaml', pointer: '/a~1b/c~0d' },
    ]);
  });

  it('reaches every item under *, none under a key the evidence lacks', () => {
    const ctx: RecordedContext = {
      ...context({ path: 'x' }, undefined),
      evidenceOf: () => ({
        file: 'tenancy.yaml',
        data: { isolationTests: [{ path: 'a' }, { path: 'b' }], other: 1 },
      }),
    };
    const out = requireRecorded(passing(), ctx);
    expect(out.gates[0]?.reasons.map((r) => r.evidence[0]?.pointer)).toEqual([
      '/isolationTests/0',
      '/isolationTests/1',
    ]);
    const none = requireRecorded(passing(), {
      ...ctx,
      evidenceOf: () => ({ file: 'tenancy.yaml', data: { other: [1] } }),
    });
    expect(none.gates[0]?.status).toBe('pass');
  });
});
