import { describe, expect, it } from 'vitest';
import {
  aggregateParents,
  decide,
  type EvidenceState,
  type PolicyOutcome,
} from '../../src/decide/decide.ts';
import type { GateVerdict } from '../../src/decide/verdict.ts';
import type { GateMeta } from '../../src/pack/catalog.ts';
import { syntheticGate } from '../support/fixtures.ts';

function gate(id: string, evidence: string[], parent?: string): GateMeta {
  return syntheticGate(id, { evidence, ...(parent ? { parent } : {}) });
}

/** p has children p.a and p.b; q stands alone; r has children r.x and r.y. */
const CATALOG: GateMeta[] = [
  gate('p', ['alpha']),
  gate('p.a', ['alpha'], 'p'),
  gate('p.b', ['beta'], 'p'),
  gate('q', ['gamma']),
  gate('r', ['alpha']),
  gate('r.x', ['alpha'], 'r'),
  gate('r.y', ['alpha'], 'r'),
];

const PASS = { status: 'pass', reasons: [] };
const ref = (file: string, pointer: string) => ({ file, pointer });
const FAIL = (message: string, file = 'alpha.yaml', pointer = '/x') => ({
  status: 'fail',
  reasons: [{ code: 'violation', message, evidence: [ref(file, pointer)] }],
});
const NA = (message: string) => ({
  status: 'na',
  reasons: [{ code: 'not-applicable', message, evidence: [ref('alpha.yaml', '/decision')] }],
});

function allPass(): Record<string, unknown> {
  return Object.fromEntries(CATALOG.map((g) => [g.id, PASS]));
}

function result(gates: Record<string, unknown>): PolicyOutcome {
  return { ok: true, result: { gates } };
}

function state(overrides: Partial<EvidenceState> = {}): EvidenceState {
  return {
    invalidKinds: new Set(),
    missingKinds: new Set(),
    errorCount: 0,
    locate: (r) => ({ ...r, line: 7, column: 3 }),
    ...overrides,
  };
}

function byId(gates: GateVerdict[]): Record<string, GateVerdict> {
  return Object.fromEntries(gates.map((g) => [g.id, g]));
}

describe('decide', () => {
  it('is GO when every gate passes, with every gate of the catalog in catalog order', () => {
    const decision = decide(CATALOG, result(allPass()), 'prod', state());
    expect(decision.verdict).toBe('GO');
    expect(decision.problems).toEqual([]);
    expect(decision.gates.map((g) => g.id)).toEqual(CATALOG.map((g) => g.id));
    expect(decision.gates.every((g) => g.status === 'pass')).toBe(true);
    expect(decision.counts).toEqual({ pass: 7, fail: 0, na: 0, waived: 0, error: 0 });
  });

  it('copies the metadata and the rule of the evaluated environment', () => {
    const decision = decide(CATALOG, result(allPass()), 'staging', state());
    expect(byId(decision.gates)['p.a']).toMatchObject({
      id: 'p.a',
      title: 'Title of p.a',
      section: 'p',
      severity: 'high',
      parent: 'p',
      rule: 'p.a staging rule',
    });
    expect(byId(decision.gates)['q']).not.toHaveProperty('parent');
  });

  it('makes every gate error and the verdict NO-GO when the policy raised an error', () => {
    const decision = decide(
      CATALOG,
      { ok: false, error: 'var assignment conflict' },
      'prod',
      state(),
    );
    expect(decision.verdict).toBe('NO-GO');
    expect(decision.problems).toContain('policy evaluation failed: var assignment conflict');
    for (const g of decision.gates) {
      expect(g.status, g.id).toBe('error');
      expect(g.reasons[0]?.code).toBe('policy-error');
      expect(g.reasons[0]?.message).toContain('var assignment conflict');
    }
    expect(decision.counts.error).toBe(CATALOG.length);
  });

  it('makes every gate error when the result is undefined', () => {
    const decision = decide(CATALOG, { ok: true, result: undefined }, 'prod', state());
    expect(decision.verdict).toBe('NO-GO');
    expect(decision.problems).toContain('policy result is undefined');
    expect(decision.gates.every((g) => g.status === 'error')).toBe(true);
  });

  it.each([
    ['null', null],
    ['a string', 'pass'],
    ['an object without gates', { decision: {} }],
    ['gates as a list', { gates: [PASS] }],
  ])('makes every gate error when the result is %s', (_name, value) => {
    const decision = decide(CATALOG, { ok: true, result: value }, 'prod', state());
    expect(decision.verdict).toBe('NO-GO');
    expect(decision.gates.every((g) => g.status === 'error')).toBe(true);
  });

  it('makes a gate the policy did not decide error, and the release NO-GO', () => {
    const gates = allPass();
    delete gates['q'];
    const decision = decide(CATALOG, result(gates), 'prod', state());
    const q = byId(decision.gates)['q'];
    expect(q?.status).toBe('error');
    expect(q?.reasons).toEqual([
      { code: 'policy-error', message: expect.stringContaining('undefined'), evidence: [] },
    ]);
    expect(byId(decision.gates)['p.a']?.status).toBe('pass');
    expect(decision.verdict).toBe('NO-GO');
  });

  it.each(['ok', 'PASS', 'waived', '', 1, null, undefined])(
    'makes an unknown status (%j) error',
    (status) => {
      const gates = allPass();
      gates['q'] = { status, reasons: [] };
      const decision = decide(CATALOG, result(gates), 'prod', state());
      expect(byId(decision.gates)['q']?.status).toBe('error');
      expect(byId(decision.gates)['q']?.reasons).toEqual([
        {
          code: 'policy-error',
          message: `the policy returned an unknown status: ${JSON.stringify(status)}`,
          evidence: [],
        },
      ]);
      expect(decision.verdict).toBe('NO-GO');
    },
  );

  it.each([
    ['not an object', 'pass', 'the policy decision is not an object'],
    ['null', null, 'the policy decision is not an object'],
    ['no reasons list', { status: 'pass' }, 'the policy decision has no reasons list'],
    [
      'a reason without a message',
      { status: 'fail', reasons: [{ code: 'violation', evidence: [] }] },
      'the policy returned a malformed reason',
    ],
    [
      'a reason without a code',
      { status: 'fail', reasons: [{ message: 'm', evidence: [] }] },
      'the policy returned a malformed reason',
    ],
    [
      'a reason without evidence',
      { status: 'fail', reasons: [{ code: 'violation', message: 'm' }] },
      'the policy returned a malformed reason',
    ],
    [
      'an evidence reference without a pointer',
      {
        status: 'fail',
        reasons: [{ code: 'violation', message: 'm', evidence: [{ file: 'a.yaml' }] }],
      },
      'the policy returned a malformed evidence reference',
    ],
    [
      'an evidence reference without a file',
      {
        status: 'fail',
        reasons: [{ code: 'violation', message: 'm', evidence: [{ pointer: '/a' }] }],
      },
      'the policy returned a malformed evidence reference',
    ],
    [
      'a null evidence reference',
      { status: 'fail', reasons: [{ code: 'violation', message: 'm', evidence: [null] }] },
      'the policy returned a malformed evidence reference',
    ],
    [
      'a null reason',
      { status: 'pass', reasons: [null] },
      'the policy returned a malformed reason',
    ],
  ])('makes a malformed decision (%s) error, saying what is wrong', (_name, value, message) => {
    const gates = allPass();
    gates['q'] = value;
    const decision = decide(CATALOG, result(gates), 'prod', state());
    expect(byId(decision.gates)['q']?.status).toBe('error');
    expect(byId(decision.gates)['q']?.reasons).toEqual([
      { code: 'policy-error', message, evidence: [] },
    ]);
    expect(decision.verdict).toBe('NO-GO');
    expect(decision.problems).toEqual([]);
  });

  it('makes na without a reason error', () => {
    const gates = allPass();
    gates['q'] = { status: 'na', reasons: [] };
    const decision = decide(CATALOG, result(gates), 'prod', state());
    expect(byId(decision.gates)['q']?.status).toBe('error');
    expect(byId(decision.gates)['q']?.reasons[0]?.message).toMatch(
      /not applicable without a reason/,
    );
    expect(decision.verdict).toBe('NO-GO');
  });

  it.each(['fail', 'error'])('gives %s without reasons a policy-error reason', (status) => {
    const gates = allPass();
    gates['q'] = { status, reasons: [] };
    const decision = decide(CATALOG, result(gates), 'prod', state());
    expect(byId(decision.gates)['q']).toMatchObject({
      status,
      reasons: [
        {
          code: 'policy-error',
          message: `the policy said ${status} without a reason`,
          evidence: [],
        },
      ],
    });
    expect(decision.verdict).toBe('NO-GO');
  });

  it('keeps a policy error an error when the evidence kind is missing: never a waivable fail', () => {
    const gates = allPass();
    const crash = { code: 'policy-error', message: 'division by zero', evidence: [] };
    gates['q'] = { status: 'error', reasons: [crash] };
    const decision = decide(
      CATALOG,
      result(gates),
      'prod',
      state({ missingKinds: new Set(['gamma']) }),
    );
    expect(byId(decision.gates)['q']?.status).toBe('error');
    expect(byId(decision.gates)['q']?.reasons).toEqual([crash]);
  });

  it('keeps an error with invalid evidence as the policy said it, without a second reason', () => {
    const gates = allPass();
    const invalid = { code: 'invalid-evidence', message: 'gamma.yaml is invalid', evidence: [] };
    gates['q'] = { status: 'error', reasons: [invalid] };
    const decision = decide(
      CATALOG,
      result(gates),
      'prod',
      state({ invalidKinds: new Set(['gamma']), errorCount: 1 }),
    );
    expect(byId(decision.gates)['q']?.reasons).toEqual([invalid]);
  });

  it('puts missing evidence first in a fail for violations while the kind is missing, once', () => {
    const gates = allPass();
    gates['q'] = FAIL('bad', 'gamma.yaml');
    const missingState = state({ missingKinds: new Set(['gamma', 'delta']) });
    const decision = decide(CATALOG, result(gates), 'prod', missingState);
    expect(byId(decision.gates)['q']?.status).toBe('fail');
    expect(byId(decision.gates)['q']?.reasons.map((r) => [r.code, r.message])).toEqual([
      ['missing-evidence', 'relies on evidence the bundle lacks: gamma'],
      ['violation', 'bad'],
    ]);
    // The policy already said so: not repeated.
    const said = { code: 'missing-evidence', message: 'no gamma.yaml', evidence: [] };
    gates['q'] = { status: 'fail', reasons: [said] };
    expect(byId(decide(CATALOG, result(gates), 'prod', missingState).gates)['q']?.reasons).toEqual([
      said,
    ]);
  });

  it('sorts reasons by file, pointer, code and message, whatever order the policy gave', () => {
    const reason = (file: string, pointer: string, code: string, message: string) => ({
      code,
      message,
      evidence: file ? [{ file, pointer }] : [],
    });
    const given = [
      reason('b.yaml', '/a', 'violation', 'm'),
      reason('a.yaml', '/b', 'violation', 'm'),
      reason('a.yaml', '/a', 'violation', 'z'),
      reason('a.yaml', '/a', 'violation', 'a'),
      reason('a.yaml', '/a', 'stale-evidence', 'z'),
      reason('', '', 'violation', 'no file'),
    ];
    const gates = allPass();
    gates['q'] = { status: 'fail', reasons: given };
    const decision = decide(CATALOG, result(gates), 'prod', state());
    expect(
      byId(decision.gates)['q']?.reasons.map((r) => [
        r.evidence[0]?.file,
        r.evidence[0]?.pointer,
        r.code,
        r.message,
      ]),
    ).toEqual([
      [undefined, undefined, 'violation', 'no file'],
      ['a.yaml', '/a', 'stale-evidence', 'z'],
      ['a.yaml', '/a', 'violation', 'a'],
      ['a.yaml', '/a', 'violation', 'z'],
      ['a.yaml', '/b', 'violation', 'm'],
      ['b.yaml', '/a', 'violation', 'm'],
    ]);
    // Given in reverse, read the same.
    gates['q'] = { status: 'fail', reasons: [...given].reverse() };
    expect(byId(decide(CATALOG, result(gates), 'prod', state()).gates)['q']?.reasons).toEqual(
      byId(decision.gates)['q']?.reasons,
    );
  });

  it('keeps the line and column of a reference into an artifact, and only whole numbers', () => {
    const gates = allPass();
    const at = (line: unknown, column: unknown) => ({
      status: 'fail',
      reasons: [
        {
          code: 'violation',
          message: 'm',
          evidence: [{ file: 'r.xml', pointer: '/t', line, column }],
        },
      ],
    });
    const noLocate = state({ locate: (r) => r });
    gates['q'] = at(12, 4);
    expect(
      byId(decide(CATALOG, result(gates), 'prod', noLocate).gates)['q']?.reasons[0]?.evidence,
    ).toEqual([{ file: 'r.xml', pointer: '/t', line: 12, column: 4 }]);
    gates['q'] = at(12, 1.5);
    expect(
      byId(decide(CATALOG, result(gates), 'prod', noLocate).gates)['q']?.reasons[0]?.evidence,
    ).toEqual([{ file: 'r.xml', pointer: '/t' }]);
    gates['q'] = at('12', 4);
    expect(
      byId(decide(CATALOG, result(gates), 'prod', noLocate).gates)['q']?.reasons[0]?.evidence,
    ).toEqual([{ file: 'r.xml', pointer: '/t' }]);
  });

  it('never passes a gate whose evidence kind is invalid', () => {
    const decision = decide(
      CATALOG,
      result(allPass()),
      'prod',
      state({ invalidKinds: new Set(['gamma']), errorCount: 1 }),
    );
    const q = byId(decision.gates)['q'];
    expect(q?.status).toBe('error');
    expect(q?.reasons[0]).toEqual({
      code: 'invalid-evidence',
      message: 'relies on invalid evidence: gamma',
      evidence: [],
    });
    // gates that do not read gamma are unaffected
    expect(byId(decision.gates)['p']?.status).toBe('pass');
    expect(decision.verdict).toBe('NO-GO');
  });

  it('never passes a gate whose evidence kind is missing from the bundle, even when the policy says pass', () => {
    const decision = decide(
      CATALOG,
      result(allPass()),
      'prod',
      state({ missingKinds: new Set(['gamma']) }),
    );
    const q = byId(decision.gates)['q'];
    expect(q?.status).toBe('fail');
    expect(q?.reasons[0]).toEqual({
      code: 'missing-evidence',
      message: 'relies on evidence the bundle lacks: gamma',
      evidence: [],
    });
    expect(byId(decision.gates)['p']?.status).toBe('pass');
    expect(decision.verdict).toBe('NO-GO');
  });

  it('turns fail and na into error, too, when the evidence kind is invalid', () => {
    const gates = allPass();
    gates['p.b'] = NA('not needed');
    gates['q'] = FAIL('bad', 'gamma.yaml');
    const decision = decide(
      CATALOG,
      result(gates),
      'prod',
      state({ invalidKinds: new Set(['beta', 'gamma']), errorCount: 2 }),
    );
    expect(byId(decision.gates)['q']?.status).toBe('error');
    expect(byId(decision.gates)['q']?.reasons.map((r) => r.code)).toEqual([
      'invalid-evidence',
      'violation',
    ]);
    expect(byId(decision.gates)['p.b']?.status).toBe('error');
    expect(byId(decision.gates)['p']?.status).toBe('error');
  });

  it('locates every evidence reference of a reason', () => {
    const gates = allPass();
    gates['q'] = FAIL('bad origin', 'gamma.yaml', '/cors/trustedOrigins/1');
    const decision = decide(CATALOG, result(gates), 'prod', state());
    expect(byId(decision.gates)['q']?.reasons[0]?.evidence).toEqual([
      { file: 'gamma.yaml', pointer: '/cors/trustedOrigins/1', line: 7, column: 3 },
    ]);
  });

  it('reports a gate the catalog does not know as a problem: NO-GO even when every gate passes', () => {
    const gates = { ...allPass(), 'z.unknown': PASS };
    const decision = decide(CATALOG, result(gates), 'prod', state());
    expect(decision.problems).toEqual(['policy returned a gate that has no METADATA: z.unknown']);
    expect(decision.gates.map((g) => g.id)).not.toContain('z.unknown');
    expect(decision.verdict).toBe('NO-GO');
    // One unknown id does not throw away the decisions of the known gates.
    expect(decision.gates.map((g) => g.status)).toEqual(CATALOG.map(() => 'pass'));
    expect(decision.counts).toEqual({ pass: 7, fail: 0, na: 0, waived: 0, error: 0 });
  });

  it('is NO-GO when the evidence has errors, even with every gate passing', () => {
    const decision = decide(CATALOG, result(allPass()), 'prod', state({ errorCount: 2 }));
    expect(decision.gates.every((g) => g.status === 'pass')).toBe(true);
    expect(decision.verdict).toBe('NO-GO');
    expect(decision.problems).toEqual(['the evidence has 2 error(s); see the diagnostics']);
  });

  it('is NO-GO for an empty catalog', () => {
    expect(decide([], result({}), 'prod', state()).verdict).toBe('NO-GO');
  });

  it('is GO with na gates, and NO-GO as soon as one gate fails', () => {
    const gates = allPass();
    gates['q'] = NA('does not apply');
    expect(decide(CATALOG, result(gates), 'prod', state()).verdict).toBe('GO');
    gates['r.y'] = FAIL('broken');
    expect(decide(CATALOG, result(gates), 'prod', state()).verdict).toBe('NO-GO');
  });

  describe('parent aggregation', () => {
    it('fails a parent through a failing child, naming the child and its evidence', () => {
      const gates = allPass();
      gates['p.b'] = FAIL('beta is wrong', 'beta.yaml', '/b');
      const decision = byId(decide(CATALOG, result(gates), 'prod', state()).gates);
      expect(decision['p.b']?.status).toBe('fail');
      expect(decision['p']?.status).toBe('fail');
      expect(decision['p']?.reasons).toEqual([
        {
          code: 'child-status',
          message: 'p.b is fail',
          evidence: [{ file: 'beta.yaml', pointer: '/b', line: 7, column: 3 }],
        },
      ]);
      expect(decision['p.a']?.status).toBe('pass');
      expect(decision['r']?.status).toBe('pass');
    });

    it('takes the worst child: error beats fail', () => {
      const gates = allPass();
      gates['r.x'] = FAIL('x failed');
      gates['r.y'] = { status: 'bogus', reasons: [] };
      const decision = byId(decide(CATALOG, result(gates), 'prod', state()).gates);
      expect(decision['r']?.status).toBe('error');
      expect(decision['r']?.reasons.map((r) => r.message)).toEqual(['r.y is error']);
    });

    it('lists every child at the worst status', () => {
      const gates = allPass();
      gates['r.x'] = FAIL('x failed');
      gates['r.y'] = FAIL('y failed');
      const decision = byId(decide(CATALOG, result(gates), 'prod', state()).gates);
      expect(decision['r']?.reasons.map((r) => r.message)).toEqual(['r.x is fail', 'r.y is fail']);
    });

    it('makes a passing parent na when all of its children are na', () => {
      const gates = allPass();
      gates['r.x'] = NA('single-node');
      gates['r.y'] = NA('single-node');
      const decision = byId(decide(CATALOG, result(gates), 'prod', state()).gates);
      expect(decision['r']?.status).toBe('na');
      expect(decision['r']?.reasons).toEqual([
        { code: 'not-applicable', message: 'none of its items applies', evidence: [] },
      ]);
    });

    it('keeps a failing parent failing even when all of its children are na', () => {
      const gates = allPass();
      gates['r'] = FAIL('no decision recorded');
      gates['r.x'] = NA('single-node');
      gates['r.y'] = NA('single-node');
      const decision = byId(decide(CATALOG, result(gates), 'prod', state()).gates);
      expect(decision['r']?.status).toBe('fail');
    });

    it('passes a parent whose own decision is na when one child applies and passes', () => {
      const gates = allPass();
      gates['r'] = NA('parent says na');
      gates['r.x'] = NA('x does not apply');
      const decision = byId(decide(CATALOG, result(gates), 'prod', state()).gates);
      expect(decision['r']?.status).toBe('pass');
      expect(decision['r']?.reasons).toEqual([]);
    });

    it('fails a parent whose own decision is na when one child applies and fails', () => {
      const gates = allPass();
      gates['r'] = NA('parent says na');
      gates['r.y'] = FAIL('y failed');
      const decision = byId(decide(CATALOG, result(gates), 'prod', state()).gates);
      expect(decision['r']?.status).toBe('fail');
      expect(decision['r']?.reasons.map((r) => r.code)).toEqual(['child-status']);
    });

    it('keeps a parent that is worse than its children as it is', () => {
      const gates = allPass();
      gates['p'] = FAIL('parent itself failed');
      const decision = byId(decide(CATALOG, result(gates), 'prod', state()).gates);
      expect(decision['p']?.status).toBe('fail');
      expect(decision['p']?.reasons.map((r) => r.message)).toEqual(['parent itself failed']);
    });

    it('settles nested parents from the leaves up, whatever the catalog order', () => {
      const nested = [
        gate('top', ['alpha']),
        gate('top.mid', ['alpha'], 'top'),
        gate('top.mid.leaf', ['alpha'], 'top.mid'),
      ];
      const verdicts = new Map<string, GateVerdict>(
        nested.map((g) => [
          g.id,
          {
            id: g.id,
            title: g.title,
            section: g.section,
            severity: g.severity,
            rule: '',
            status: 'pass',
            reasons: [],
          },
        ]),
      );
      (verdicts.get('top.mid.leaf') as GateVerdict).status = 'fail';
      aggregateParents(nested, verdicts);
      expect(verdicts.get('top.mid')?.status).toBe('fail');
      expect(verdicts.get('top')?.status).toBe('fail');
    });
  });
});
