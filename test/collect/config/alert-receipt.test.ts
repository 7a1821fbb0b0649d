import { describe, expect, it } from 'vitest';
import { recogniseFormat } from '../../../src/collect/registry.js';
import { factsOf, problemOf, sample } from './support.js';

describe('captured alerts: webhook payload and /api/v2/alerts', () => {
  it('a webhook payload: the alert, its receiver and the date', () => {
    const text = sample('alertmanager/webhook-payload.json');
    expect(recogniseFormat(text)?.meta.format).toBe('alert-receipt');
    const facts = factsOf('alert-receipt', text);
    expect(facts).toMatchObject({ capture: 'webhook', date: '2026-11-16' });
    expect(facts.alerts[0]).toMatchObject({
      name: 'ApiHighErrorRate',
      status: 'firing',
      receivers: ['oncall-pager'],
    });
  });

  it('an API v2 export: a suppressed alert reached no receiver', () => {
    const text = sample('alertmanager/api-v2-alerts.json');
    expect(recogniseFormat(text)?.meta.format).toBe('alert-receipt');
    const facts = factsOf('alert-receipt', text);
    expect(facts.capture).toBe('api-v2');
    expect(facts.alerts.map((a) => [a.name, a.status, a.receivers])).toEqual([
      ['ApiHighErrorRate', 'active', ['oncall-pager']],
      ['MigrationJobFailed', 'suppressed', []],
    ]);
  });

  it('an empty capture proves nothing; a payload of another version is refused', () => {
    expect(problemOf('[]', 'alert-receipt').message).toContain('no alert');
    const v3 = sample('alertmanager/webhook-payload.json').replace(
      '"version": "4"',
      '"version": "3"',
    );
    expect(problemOf(v3)).toMatchObject({ code: 'schema-violation', pointer: '/version' });
  });
});
