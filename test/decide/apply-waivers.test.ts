// applyWaivers on a small synthetic catalog: every waiver rule, parents, the verdict.
import { describe, expect, it } from 'vitest';
import { decide, type EvidenceState } from '../../src/decide/decide.ts';
import type { PolicyOutcome } from '../../src/evaluate/policy-outcome.ts';
import type { Decision, GateVerdict } from '../../src/decide/verdict.ts';
import {
  applyWaivers,
  waiversFrom,
  type OwnDecision,
  type WaiverContext,
  type WaiverEntry,
} from '../../src/decide/waivers.ts';
import type { GateMeta } from '../../src/pack/catalog.ts';
import { syntheticGate } from '../support/fixtures.ts';

function gate(id: string, parent?: string, nonWaivable?: string[]): GateMeta {
  return syntheticGate(id, {
    ...(parent ? { parent } : {}),
    ...(nonWaivable ? { nonWaivable } : {}),
  });
}

/** p has children p.a and p.b; q stands alone; locked may not be waived in prod. */
const CATALOG: GateMeta[] = [
  gate('p'),
  gate('p.a', 'p'),
  gate('p.b', 'p'),
  gate('q'),
  gate('locked', undefined, ['prod']),
];

const PASS = { status: 'pass', reasons: [] };
const FAIL = (message: string) => ({
  status: 'fail',
  reasons: [{ code: 'violation', message, evidence: [{ file: 'alpha.yaml', pointer: '/x' }] }],
});
const ERROR = {
  status: 'error',
  reasons: [{ code: 'invalid-evidence', message: 'broken', evidence: [] }],
};
const NA = {
  status: 'na',
  reasons: [
    {
      code: 'not-applicable',
      message: 'single node',
      evidence: [{ file: 'alpha.yaml', pointer: '/t' }],
    },
  ],
};

const STATE: EvidenceState = {
  invalidKinds: new Set(),
  missingKinds: new Set(),
  errorCount: 0,
  locate: (r) => ({ ...r, line: 7, column: 3 }),
};
const AS_OF = '2026-11-25';
const OWNER = 'platform-team (Dana Whitfield)';

/** The policy's raw answer: every gate passes unless overridden. */
function outcome(overrides: Record<string, unknown> = {}): PolicyOutcome {
  return {
    ok: true,
    result: { gates: { ...Object.fromEntries(CATALOG.map((g) => [g.id, PASS])), ...overrides } },
  };
}

/**
 * What decide() decides and each gate's own decision before aggregation: decide over
 * the same catalog with the parent links removed aggregates nothing.
 */
function decided(
  raw: PolicyOutcome,
  env = 'prod',
  state = STATE,
): { decision: Decision; own: Map<string, OwnDecision> } {
  const decision = decide(CATALOG, raw, env, state);
  const flat = decide(
    CATALOG.map(({ parent: _parent, ...g }) => g),
    raw,
    env,
    state,
  );
  return {
    decision,
    own: new Map(flat.gates.map((g) => [g.id, { status: g.status, reasons: g.reasons }])),
  };
}

function waiver(gateId: string, extra: Partial<WaiverEntry> = {}): WaiverEntry {
  return {
    gate: gateId,
    justification: 'Accepted for one sprint; tracked.',
    approver: 'Sam Okafor',
    expires: '2026-12-31',
    ticket: 'https://tracker.example/T-1',
    ...extra,
  };
}

function run(raw: PolicyOutcome, waivers: WaiverEntry[], context: Partial<WaiverContext> = {}) {
  const env = context.env ?? 'prod';
  const { decision, own } = decided(raw, env);
  const before = structuredClone(decision);
  const result = applyWaivers(decision, waivers, {
    gates: CATALOG,
    env,
    asOf: AS_OF,
    releaseOwner: OWNER,
    own,
    locate: (r) => ({ ...r, line: 4, column: 5 }),
    ...context,
  });
  expect(decision, 'applyWaivers must not modify its input').toEqual(before);
  return { ...result, before };
}

function byId(decision: Decision): Record<string, GateVerdict> {
  return Object.fromEntries(decision.gates.map((g) => [g.id, g]));
}

describe('applyWaivers: a valid waiver', () => {
  it('turns a fail into waived, keeps the failure reasons after a located waiver reason, and recomputes the verdict', () => {
    const { decision, findings, before } = run(outcome({ q: FAIL('no redaction') }), [waiver('q')]);
    expect(before.verdict).toBe('NO-GO');
    expect(findings).toEqual([]);
    expect(decision.verdict).toBe('GO');
    expect(decision.counts).toEqual({ pass: 4, fail: 0, na: 0, waived: 1, error: 0 });
    const q = byId(decision)['q'] as GateVerdict;
    expect(q.status).toBe('waived');
    expect(q.waiver).toEqual({
      gate: 'q',
      justification: 'Accepted for one sprint; tracked.',
      approver: 'Sam Okafor',
      expires: '2026-12-31',
      ticket: 'https://tracker.example/T-1',
      // The reasons it accepted, located as the gate's own.
      covers: [
        {
          code: 'violation',
          message: 'no redaction',
          evidence: [{ file: 'alpha.yaml', pointer: '/x', line: 7, column: 3 }],
        },
      ],
    });
    expect(q.reasons[0]).toEqual({
      code: 'waived',
      message:
        'waived by Sam Okafor until 2026-12-31 (covers 1 violation): Accepted for one sprint; tracked. (https://tracker.example/T-1)',
      evidence: [{ file: 'waivers.yaml', pointer: '/waivers/0', line: 4, column: 5 }],
    });
    expect(q.reasons[1]?.message).toBe('no redaction');
    expect(decision.gates.map((g) => g.id)).toEqual(CATALOG.map((g) => g.id));
  });

  it('is valid through its expiry date and void the day after (expires >= as-of)', () => {
    const lastDay = run(outcome({ q: FAIL('x') }), [waiver('q', { expires: AS_OF })]);
    expect(byId(lastDay.decision)['q']?.status).toBe('waived');
    const expired = run(outcome({ q: FAIL('x') }), [waiver('q', { expires: '2026-11-24' })]);
    expect(byId(expired.decision)['q']?.status).toBe('fail');
    expect(expired.decision.verdict).toBe('NO-GO');
    expect(expired.findings).toEqual([
      {
        severity: 'warning',
        code: 'waiver-expired',
        file: 'waivers.yaml',
        line: 4,
        column: 5,
        pointer: '/waivers/0/expires',
        message:
          'waiver for q: it expired on 2026-11-24, before the as-of date 2026-11-25; it has no effect',
        gate: 'q',
      },
    ]);
  });

  it('names its file when given one', () => {
    const { decision } = run(outcome({ q: FAIL('x') }), [waiver('q')], { file: 'waivers.json' });
    expect(byId(decision)['q']?.reasons[0]?.evidence[0]?.file).toBe('waivers.json');
  });
});

describe('applyWaivers: what a waiver never does', () => {
  it('never hides an error', () => {
    const { decision, findings } = run(outcome({ q: ERROR }), [waiver('q')]);
    expect(byId(decision)['q']?.status).toBe('error');
    expect(byId(decision)['q']).not.toHaveProperty('waiver');
    expect(decision.verdict).toBe('NO-GO');
    expect(findings.map((f) => [f.code, f.pointer])).toEqual([['waiver-unused', '/waivers/0']]);
    expect(findings[0]?.message).toContain('a waiver never hides an error');
  });

  it('never touches pass or n/a, and lists the waiver as unused', () => {
    const { decision, findings, before } = run(outcome({ q: NA }), [waiver('q'), waiver('p.b')]);
    expect(decision).toEqual(before);
    expect(findings.map((f) => f.code)).toEqual(['waiver-unused', 'waiver-unused']);
    expect(findings[0]?.message).toBe(
      'waiver for q: the gate is not applicable, so there is nothing to waive',
    );
    expect(findings[1]?.message).toBe(
      'waiver for p.b: the gate is pass, so there is nothing to waive',
    );
  });

  it('cannot turn a NO-GO caused by evaluation problems into GO', () => {
    const { decision } = decided(outcome({ q: FAIL('x') }), 'prod', { ...STATE, errorCount: 2 });
    const own = decided(outcome({ q: FAIL('x') })).own;
    const result = applyWaivers(decision, [waiver('q')], {
      gates: CATALOG,
      env: 'prod',
      asOf: AS_OF,
      releaseOwner: OWNER,
      own,
    });
    expect(byId(result.decision)['q']?.status).toBe('waived');
    expect(result.decision.problems).toEqual(['the evidence has 2 error(s); see the diagnostics']);
    expect(result.decision.verdict).toBe('NO-GO');
  });
});

describe('applyWaivers: void waivers are reported and have no effect', () => {
  const cases: [string, WaiverEntry, Partial<WaiverContext>, string, string][] = [
    ['an unknown gate id', waiver('security.nope'), {}, 'waiver-unknown-gate', '/waivers/0/gate'],
    [
      'no gate at all',
      { ...waiver('q'), gate: undefined },
      {},
      'waiver-unknown-gate',
      '/waivers/0/gate',
    ],
    [
      'a missing approver',
      { ...waiver('q'), approver: undefined },
      {},
      'waiver-missing-approver',
      '/waivers/0/approver',
    ],
    [
      'a blank approver',
      waiver('q', { approver: '  \t' }),
      {},
      'waiver-missing-approver',
      '/waivers/0/approver',
    ],
    [
      'a blank justification',
      waiver('q', { justification: ' ' }),
      {},
      'waiver-missing-justification',
      '/waivers/0/justification',
    ],
    [
      'an expiry that is not a date',
      waiver('q', { expires: '2026-02-30' }),
      {},
      'waiver-bad-expiry',
      '/waivers/0/expires',
    ],
    [
      'no expiry',
      { ...waiver('q'), expires: undefined },
      {},
      'waiver-bad-expiry',
      '/waivers/0/expires',
    ],
    [
      'a ticket that is not https',
      waiver('q', { ticket: 'http://tracker.example/T-1' }),
      {},
      'waiver-bad-ticket',
      '/waivers/0/ticket',
    ],
    [
      'a ticket with text before the link',
      waiver('q', { ticket: 'see https://tracker.example/T-1' }),
      {},
      'waiver-bad-ticket',
      '/waivers/0/ticket',
    ],
    [
      'a ticket with text after the link',
      waiver('q', { ticket: 'https://tracker.example/T-1 (closed)' }),
      {},
      'waiver-bad-ticket',
      '/waivers/0/ticket',
    ],
    [
      'a ticket that is only the scheme',
      waiver('q', { ticket: 'https://' }),
      {},
      'waiver-bad-ticket',
      '/waivers/0/ticket',
    ],
    [
      'the release owner as approver',
      waiver('q', { approver: OWNER }),
      {},
      'waiver-self-approved',
      '/waivers/0/approver',
    ],
    [
      'the owner named in parentheses, in other case and spacing',
      waiver('q', { approver: ' dana   WHITFIELD ' }),
      {},
      'waiver-self-approved',
      '/waivers/0/approver',
    ],
    [
      'the owning team',
      waiver('q', { approver: 'Platform-Team' }),
      {},
      'waiver-self-approved',
      '/waivers/0/approver',
    ],
    [
      'an unknown release owner',
      waiver('q'),
      { releaseOwner: undefined },
      'waiver-owner-unknown',
      '/waivers/0/approver',
    ],
    // Text compared as a reader sees it (src/core/text/normalise.ts): issue 9, part 2.
    [
      'an approver that is a zero-width space',
      waiver('q', { approver: '\u200b' }),
      {},
      'waiver-missing-approver',
      '/waivers/0/approver',
    ],
    [
      'an approver that is a soft hyphen and a BOM',
      waiver('q', { approver: '\u00ad\ufeff' }),
      {},
      'waiver-missing-approver',
      '/waivers/0/approver',
    ],
    [
      'a justification that is a word joiner',
      waiver('q', { justification: '\u2060' }),
      {},
      'waiver-missing-justification',
      '/waivers/0/justification',
    ],
    [
      'the owner with a zero-width space inside',
      waiver('q', { approver: 'Dana Whit\u200bfield' }),
      {},
      'waiver-self-approved',
      '/waivers/0/approver',
    ],
    [
      'the owner with a soft hyphen inside',
      waiver('q', { approver: 'Dana Whit\u00adfield' }),
      {},
      'waiver-self-approved',
      '/waivers/0/approver',
    ],
    [
      'the owner with a Cyrillic a',
      waiver('q', { approver: 'D\u0430na Whitfield' }),
      {},
      'waiver-self-approved',
      '/waivers/0/approver',
    ],
    [
      'the owner in fullwidth letters',
      waiver('q', { approver: '\uff24\uff41\uff4e\uff41 Whitfield' }),
      {},
      'waiver-self-approved',
      '/waivers/0/approver',
    ],
    [
      'the owner under another team',
      waiver('q', { approver: 'security-team (Dana Whitfield)' }),
      {},
      'waiver-self-approved',
      '/waivers/0/approver',
    ],
    [
      'an owner that is invisible',
      waiver('q'),
      { releaseOwner: '\u200b' },
      'waiver-owner-unknown',
      '/waivers/0/approver',
    ],
    [
      'a gate id that is a zero-width space',
      waiver('\u200b'),
      {},
      'waiver-unknown-gate',
      '/waivers/0/gate',
    ],
    // Bounded in time: the pack's longest window for the environment.
    [
      'an expiry beyond the window (9999-12-31)',
      waiver('q', { expires: '9999-12-31' }),
      { maxDays: 30 },
      'waiver-window-exceeded',
      '/waivers/0/expires',
    ],
    [
      'an expiry one day beyond the window',
      waiver('q', { expires: '2026-12-26' }),
      { maxDays: 30 },
      'waiver-window-exceeded',
      '/waivers/0/expires',
    ],
  ];
  it.each([
    [waiver('security.nope'), {}, 'waiver for security.nope: no gate has the id "security.nope"'],
    [{ ...waiver('q'), gate: undefined }, {}, 'waiver for (no gate): it names no gate'],
    [waiver('q', { approver: ' ' }), {}, 'waiver for q: it names no approver'],
    [waiver('q', { justification: '' }), {}, 'waiver for q: it gives no justification'],
    [
      waiver('q', { expires: '2026-13-01' }),
      {},
      'waiver for q: expires must be a date YYYY-MM-DD, got "2026-13-01"',
    ],
    [
      { ...waiver('q'), expires: undefined },
      {},
      'waiver for q: expires must be a date YYYY-MM-DD, got null',
    ],
    [
      waiver('q', { expires: '2026-11-24' }),
      {},
      'waiver for q: it expired on 2026-11-24, before the as-of date 2026-11-25',
    ],
    [
      waiver('q', { ticket: 'http://tracker.example/T-1' }),
      {},
      'waiver for q: the ticket must be an https link, got "http://tracker.example/T-1"',
    ],
    [
      waiver('q', { approver: ' Dana Whitfield ' }),
      {},
      'waiver for q: the approver "Dana Whitfield" is the release owner "platform-team (Dana Whitfield)"; someone else must accept the risk',
    ],
    [
      waiver('q'),
      { releaseOwner: ' ' },
      'waiver for q: the release owner is unknown (release evidence missing, invalid or its owner empty), so the approver cannot be checked',
    ],
    [waiver('locked'), {}, 'waiver for locked: the gate cannot be waived in prod'],
  ] as [WaiverEntry, Partial<WaiverContext>, string][])(
    'says exactly why a waiver is void: %j',
    (entry, context, message) => {
      const { findings } = run(outcome({ q: FAIL('x'), locked: FAIL('y') }), [entry], context);
      expect(findings.map((f) => f.message)).toEqual([`${message}; it has no effect`]);
      expect(findings[0]).toMatchObject({ severity: 'warning', line: 4, column: 5 });
    },
  );

  it.each(cases)('%s', (_name, entry, context, code, pointer) => {
    const { decision, findings, before } = run(outcome({ q: FAIL('x') }), [entry], context);
    expect(decision).toEqual(before);
    expect(byId(decision)['q']?.status).toBe('fail');
    expect(findings.map((f) => [f.code, f.pointer])).toEqual([[code, pointer]]);
    expect(findings[0]?.message).toMatch(/; it has no effect$/);
  });

  it('accepts an expiry on the last day of the window, and says the window when it is exceeded', () => {
    const last = run(outcome({ q: FAIL('x') }), [waiver('q', { expires: '2026-12-25' })], {
      maxDays: 30,
    });
    expect(last.findings).toEqual([]);
    expect(byId(last.decision)['q']?.status).toBe('waived');
    const far = run(outcome({ q: FAIL('x') }), [waiver('q', { expires: '9999-12-31' })], {
      maxDays: 30,
    });
    expect(far.findings[0]?.message).toBe(
      "waiver for q: it runs until 9999-12-31, 2912114 days after the as-of date 2026-11-25; in prod a waiver may run at most 30 days (the pack's waivers.maxDays), so it is void: renew it for a shorter time; it has no effect",
    );
  });

  it('finds the gate by its id as a reader sees it (fullwidth, upper case)', () => {
    const { decision, findings } = run(outcome({ q: FAIL('x') }), [waiver('\uff31')]);
    expect(findings).toEqual([]);
    expect(byId(decision)['q']?.waiver?.gate).toBe('q');
  });

  it('treats two spellings of one gate id as duplicates', () => {
    const { findings } = run(outcome({ q: FAIL('x') }), [waiver('q'), waiver('Q')]);
    expect(findings.map((f) => [f.code, f.pointer])).toEqual([
      ['waiver-duplicate', '/waivers/1/gate'],
    ]);
  });

  it('reports every problem of one waiver', () => {
    const { findings } = run(outcome({ q: FAIL('x') }), [
      waiver('nope.gate', { approver: '', expires: '2020-01-01' }),
    ]);
    expect(findings.map((f) => f.code)).toEqual([
      'waiver-unknown-gate',
      'waiver-expired',
      'waiver-missing-approver',
    ]);
  });

  it('lets another person of the owning team approve when the owner is a person', () => {
    const { decision, findings } = run(
      outcome({ q: FAIL('x') }),
      [waiver('q', { approver: 'Dana Whitfield-Okafor' })],
      { releaseOwner: 'Dana Whitfield' },
    );
    expect(findings).toEqual([]);
    expect(byId(decision)['q']?.status).toBe('waived');
  });

  it('refuses a gate marked non-waivable in this environment, and allows it in the others', () => {
    const prod = run(outcome({ locked: FAIL('x') }), [waiver('locked')], { env: 'prod' });
    expect(byId(prod.decision)['locked']?.status).toBe('fail');
    expect(prod.findings.map((f) => [f.code, f.message])).toEqual([
      [
        'waiver-non-waivable',
        'waiver for locked: the gate cannot be waived in prod; it has no effect',
      ],
    ]);
    const staging = run(outcome({ locked: FAIL('x') }), [waiver('locked')], { env: 'staging' });
    expect(byId(staging.decision)['locked']?.status).toBe('waived');
    expect(staging.findings).toEqual([]);
  });

  it('uses the first of two waivers for one gate and reports the second', () => {
    const { decision, findings } = run(outcome({ q: FAIL('x') }), [
      waiver('q', { approver: 'First Approver' }),
      waiver('q', { approver: 'Second Approver' }),
    ]);
    expect(byId(decision)['q']?.waiver?.approver).toBe('First Approver');
    expect(findings.map((f) => [f.code, f.pointer])).toEqual([
      ['waiver-duplicate', '/waivers/1/gate'],
    ]);
  });

  it('reports findings in file order, located in the waivers file', () => {
    const { findings } = run(outcome({ q: FAIL('x') }), [
      waiver('p'),
      waiver('zzz.x'),
      waiver('q', { expires: '2000-01-01' }),
    ]);
    expect(findings.map((f) => `${f.file}:${f.line}:${f.column} ${f.pointer} ${f.code}`)).toEqual([
      'waivers.yaml:4:5 /waivers/0 waiver-unused',
      'waivers.yaml:4:5 /waivers/1/gate waiver-unknown-gate',
      'waivers.yaml:4:5 /waivers/2/expires waiver-expired',
    ]);
  });
});

describe('applyWaivers: only violations of present, valid evidence are waivable', () => {
  const reason = (code: string) => ({
    code,
    message: `${code} here`,
    evidence: [{ file: 'alpha.yaml', pointer: '/y' }],
  });
  it.each(['missing-evidence', 'stale-evidence', 'policy-error', 'not-a-known-code'])(
    'never waives a fail with a %s reason, even beside a violation',
    (code) => {
      const raw = outcome({ q: { status: 'fail', reasons: [reason('violation'), reason(code)] } });
      const { decision, findings } = run(raw, [waiver('q')]);
      expect(byId(decision)['q']?.status).toBe('fail');
      expect(decision.verdict).toBe('NO-GO');
      expect(findings.map((f) => [f.code, f.pointer])).toEqual([
        ['waiver-reason-not-waivable', '/waivers/0'],
      ]);
      expect(findings[0]?.message).toContain(code);
    },
  );

  it('never waives a gate whose policy says violation while an evidence kind it reads is missing', () => {
    const state: EvidenceState = { ...STATE, missingKinds: new Set(['alpha']) };
    const catalog = [syntheticGate('q', { evidence: ['alpha'] })];
    const decision = decide(
      catalog,
      { ok: true, result: { gates: { q: FAIL('x') } } },
      'prod',
      state,
    );
    expect(decision.gates[0]?.reasons.map((r) => r.code)).toEqual([
      'missing-evidence',
      'violation',
    ]);
    const { findings } = applyWaivers(decision, [waiver('q')], {
      gates: catalog,
      env: 'prod',
      asOf: AS_OF,
      releaseOwner: OWNER,
      own: decision.own,
    });
    expect(findings.map((f) => f.code)).toEqual(['waiver-reason-not-waivable']);
  });

  it('makes every item of a non-waivable parent non-waivable in that environment', () => {
    const catalog = [
      gate('lock', undefined, ['prod']),
      gate('lock.item', 'lock'),
      gate('lock.item.deep', 'lock.item'),
    ];
    const raw: PolicyOutcome = {
      ok: true,
      result: { gates: { lock: PASS, 'lock.item': PASS, 'lock.item.deep': FAIL('x') } },
    };
    const apply = (env: string) => {
      const decision = decide(catalog, raw, env, STATE);
      const own = new Map(
        decide(
          catalog.map(({ parent: _p, ...g }) => g),
          raw,
          env,
          STATE,
        ).gates.map((g) => [g.id, { status: g.status, reasons: g.reasons }]),
      );
      return applyWaivers(decision, [waiver('lock.item.deep')], {
        gates: catalog,
        env,
        asOf: AS_OF,
        releaseOwner: OWNER,
        own,
      });
    };
    const prod = apply('prod');
    expect(prod.decision.verdict).toBe('NO-GO');
    expect(prod.findings.map((f) => [f.code, f.message])).toEqual([
      [
        'waiver-non-waivable',
        'waiver for lock.item.deep: the gate is an item of lock, which cannot be waived in prod, so neither can its items; it has no effect',
      ],
    ]);
    const staging = apply('staging');
    expect(staging.findings).toEqual([]);
    expect(staging.decision.verdict).toBe('GO');
  });
});

describe('applyWaivers: parents are re-aggregated from their children', () => {
  it('makes a parent waived when its only failing item is waived', () => {
    const { decision, before } = run(outcome({ 'p.a': FAIL('a fails') }), [waiver('p.a')]);
    expect(byId(before)['p']?.status).toBe('fail');
    const p = byId(decision)['p'] as GateVerdict;
    expect(p.status).toBe('waived');
    expect(p).not.toHaveProperty('waiver');
    expect(p.reasons).toEqual([
      {
        code: 'child-status',
        message: 'p.a is waived',
        evidence: [{ file: 'waivers.yaml', pointer: '/waivers/0', line: 4, column: 5 }],
      },
    ]);
    expect(decision.verdict).toBe('GO');
    expect(decision.counts).toEqual({ pass: 3, fail: 0, na: 0, waived: 2, error: 0 });
  });

  it('keeps a parent failing while another item still fails, and erroring while an item errors', () => {
    const failing = run(outcome({ 'p.a': FAIL('a'), 'p.b': FAIL('b') }), [waiver('p.a')]);
    expect(byId(failing.decision)['p']?.status).toBe('fail');
    expect(byId(failing.decision)['p']?.reasons).toEqual([
      {
        code: 'child-status',
        message: 'p.b is fail',
        evidence: [{ file: 'alpha.yaml', pointer: '/x', line: 7, column: 3 }],
      },
    ]);
    expect(failing.decision.verdict).toBe('NO-GO');
    const erroring = run(outcome({ 'p.a': FAIL('a'), 'p.b': ERROR }), [waiver('p.a')]);
    expect(byId(erroring.decision)['p.a']?.status).toBe('waived');
    expect(byId(erroring.decision)['p']?.status).toBe('error');
  });

  it('waives a parent whose own decision fails when its items pass', () => {
    const { decision } = run(outcome({ p: FAIL('own failure') }), [waiver('p')]);
    expect(byId(decision)['p']?.status).toBe('waived');
    expect(byId(decision)['p']?.waiver?.approver).toBe('Sam Okafor');
    expect(decision.verdict).toBe('GO');
  });

  it('does not waive a parent that fails only because of its items, and says which to waive', () => {
    const { decision, findings } = run(outcome({ 'p.a': FAIL('a'), 'p.b': FAIL('b') }), [
      waiver('p'),
    ]);
    expect(byId(decision)['p']?.status).toBe('fail');
    expect(findings.map((f) => [f.code, f.message])).toEqual([
      [
        'waiver-unused',
        'waiver for p: the gate is fail only because of its items (p.a, p.b); waive those instead',
      ],
    ]);
  });

  it('takes a waiver back from a parent whose own failure is waived but whose item still fails', () => {
    const { decision, findings } = run(outcome({ p: FAIL('own failure'), 'p.b': FAIL('b') }), [
      waiver('p'),
    ]);
    const p = byId(decision)['p'] as GateVerdict;
    expect(p.status).toBe('fail');
    expect(p).not.toHaveProperty('waiver');
    expect(p.reasons.map((r) => r.code)).toEqual(['violation', 'child-status']);
    expect(findings.map((f) => [f.code, f.message])).toEqual([
      [
        'waiver-unused',
        'waiver for p: the gate is still fail because of its items (p.b); waive those instead',
      ],
    ]);
  });

  it('reproduces the given parents exactly when the waivers change nothing they depend on', () => {
    const raw = outcome({ p: FAIL('own'), 'p.a': ERROR, 'p.b': FAIL('b'), q: FAIL('q') });
    const { decision, before } = run(raw, [waiver('q')]);
    for (const id of ['p', 'p.a', 'p.b', 'locked'])
      expect(byId(decision)[id], id).toEqual(byId(before)[id]);
    expect(byId(decision)['q']?.status).toBe('waived');
  });

  it('with no waivers, returns an equal decision', () => {
    const { decision, findings, before } = run(outcome({ 'p.a': FAIL('a') }), []);
    expect(decision).toEqual(before);
    expect(findings).toEqual([]);
  });

  it('refuses to guess a parent whose own decision it was not given', () => {
    const { decision, own } = decided(outcome({ 'p.a': FAIL('a') }));
    own.delete('p');
    expect(() =>
      applyWaivers(decision, [waiver('p.a')], {
        gates: CATALOG,
        env: 'prod',
        asOf: AS_OF,
        releaseOwner: OWNER,
        own,
      }),
    ).toThrow(/no own decision for the parent gate p/);
  });

  it('refuses an as-of date that is not YYYY-MM-DD', () => {
    const { decision, own } = decided(outcome());
    expect(() =>
      applyWaivers(decision, [], {
        gates: CATALOG,
        env: 'prod',
        asOf: '25/11/2026',
        releaseOwner: OWNER,
        own,
      }),
    ).toThrow(/as-of/);
  });
});

describe('waiversFrom', () => {
  it('reads the waivers list of a waivers document, keeping only string fields', () => {
    const data = {
      kind: 'waivers',
      schemaVersion: 1,
      waivers: [
        {
          gate: 'q',
          approver: 'A',
          expires: '2026-12-31',
          justification: 'j',
          ticket: 'https://t/1',
        },
        { gate: 'p', approver: 7 },
        null,
      ],
    };
    expect(waiversFrom(data)).toEqual([
      {
        gate: 'q',
        approver: 'A',
        expires: '2026-12-31',
        justification: 'j',
        ticket: 'https://t/1',
      },
      { gate: 'p' },
      {},
    ]);
  });

  it('reads nothing from absent or malformed data', () => {
    expect(waiversFrom(undefined)).toEqual([]);
    expect(waiversFrom({ waivers: 'no' })).toEqual([]);
  });
});
