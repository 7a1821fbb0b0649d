// A minimal org-scoped store: every read is filtered by the caller's org, so the
// isolation tests have something real to check.
export class OrgStore {
  constructor() {
    this.rows = [];
    this.audit = [];
    this.links = [];
  }

  put(org, table, row) {
    this.rows.push({ org, table, ...row });
  }

  list(org, table, where = () => true) {
    return this.rows.filter((r) => r.org === org && r.table === table && where(r));
  }

  materializeThread(org, thread) {
    for (const message of thread.messages) this.put(org, 'documents', { id: message.id, text: message.text, source: thread.id });
  }

  nearest(org, vector, k = 3) {
    const dot = (a, b) => a.reduce((s, x, i) => s + x * b[i], 0);
    return this.list(org, 'chunks')
      .map((c) => ({ ...c, score: dot(c.vector, vector) }))
      .sort((a, b) => b.score - a.score)
      .slice(0, k);
  }

  readEvidence(org, who, id) {
    const found = this.list(org, 'evidence', (r) => r.id === id)[0];
    this.audit.push({ who, what: `evidence:${id}`, when: '2026-11-19T10:00:00Z', allowed: !!found });
    return found;
  }

  linkClaim(org, claimId, evidenceId) {
    const evidence = this.list(org, 'evidence', (r) => r.id === evidenceId)[0];
    if (!evidence) throw new Error('evidence not found in this org');
    this.links.push({ org, claimId, evidenceId });
  }

  citations(org, prep) {
    return prep.citations.map((id) => this.list(org, 'evidence', (r) => r.id === id)[0]).filter(Boolean);
  }
}

const PII = /([\w.+-]+@[\w-]+\.[\w.]+)|(\+?\d[\d -]{8,}\d)/g;

export function redact(line) {
  return line.replace(PII, '[redacted]');
}
