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
