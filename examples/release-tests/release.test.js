import { beforeEach, describe, expect, it } from 'vitest';
import { OrgStore, redact } from './store.js';

let store;
beforeEach(() => {
  store = new OrgStore();
  store.put('acme', 'evidence', { id: 'e1', text: 'acme contract' });
  store.put('globex', 'evidence', { id: 'e2', text: 'globex contract' });
  store.put('acme', 'chunks', { id: 'c1', vector: [1, 0] });
  store.put('globex', 'chunks', { id: 'c2', vector: [1, 0.1] });
  store.put('acme', 'entities', { id: 'n1', name: 'Ada' });
  store.put('globex', 'entities', { id: 'n2', name: 'Ada' });
});

describe('cross-org isolation', () => {
  it('[org-iso:gmail-documents] a materialized thread lands only in its org', () => {
    store.materializeThread('acme', { id: 't1', messages: [{ id: 'm1', text: 'hi' }] });
    expect(store.list('acme', 'documents')).toHaveLength(1);
    expect(store.list('globex', 'documents')).toHaveLength(0);
  });

  it('[org-iso:knowledge-queries] entity queries never return another org', () => {
    expect(store.list('acme', 'entities', (r) => r.name === 'Ada').map((r) => r.id)).toEqual(['n1']);
  });

  it.skipIf(process.env.STAGING)('[org-iso:embeddings] vector search never returns a foreign org chunk', () => {
    expect(store.nearest('acme', [1, 0.1]).map((c) => c.id)).toEqual(['c1']);
  });

  it('[org-iso:evidence-listing] evidence listing is org-scoped', () => {
    expect(store.list('globex', 'evidence').map((r) => r.id)).toEqual(['e2']);
  });

  it('[org-iso:meeting-prep] meeting-prep citations resolve only within the org', () => {
    expect(store.citations('acme', { citations: ['e1', 'e2'] }).map((r) => r.id)).toEqual(['e1']);
  });
});

describe('verifications', () => {
  it('[verify:log-redaction] logs carry no e-mail address or phone number', () => {
    expect(redact('user ada@example.com called +44 20 7946 0958')).toBe('user [redacted] called [redacted]');
  });

  it('[verify:audit-log] every evidence access is logged with who, what and when', () => {
    store.readEvidence('acme', 'ada', 'e1');
    store.readEvidence('acme', 'ada', 'e2');
    expect(store.audit).toHaveLength(2);
    expect(store.audit.every((a) => a.who && a.what && a.when)).toBe(true);
  });

  it('[verify:citation-persistence] a claim links only to evidence of its org', () => {
    store.linkClaim('acme', 'k1', 'e1');
    expect(() => store.linkClaim('acme', 'k2', 'e2')).toThrow();
    expect(store.links).toEqual([{ org: 'acme', claimId: 'k1', evidenceId: 'e1' }]);
  });
});
