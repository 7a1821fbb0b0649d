import { describe, expect, it } from 'vitest';
import type { AlertRoutingFacts } from '../../../src/collect/config/config-facts.js';
import { parseMatchers } from '../../../src/collect/config/matchers.js';
import { routeAlert } from '../../../src/collect/config/routing.js';
import { recogniseFormat } from '../../../src/collect/registry.js';
import { collect } from '../../support/collect.js';
import { factsOf, problemOf, sample } from './support.js';

const simple = (): AlertRoutingFacts => factsOf('alert-routing', sample('alertmanager/simple.yml'));

describe('Alertmanager configuration', () => {
  it.each(['alertmanager/simple.yml', 'alertmanager/alertmanager.yml'])('%s is recognised', (p) => {
    expect(recogniseFormat(sample(p))?.meta.format).toBe('alertmanager');
  });

  it('reads receivers with their integrations and the route tree', () => {
    const facts = simple();
    expect(facts.receivers.map((r) => [r.name, r.integrations])).toEqual([
      ['team-X-mails', ['email']],
      ['team-X-pager', ['email', 'pagerduty']],
      ['team-Y-mails', ['email']],
      ['team-Y-pager', ['pagerduty']],
      ['team-DB-pager', ['pagerduty']],
    ]);
    expect(facts.routeCount).toBe(8);
    expect(facts.route.routes[0]?.matchers).toEqual([
      { name: 'service', op: '=~', value: 'foo1|foo2|baz' },
    ]);
  });

  it('routes as the dispatcher does: first match wins, children inherit, fall back to the parent', () => {
    const facts = simple();
    expect(routeAlert(facts, { service: 'foo1', severity: 'critical' }).receivers).toEqual([
      'team-X-pager',
    ]);
    expect(routeAlert(facts, { service: 'foo2', severity: 'warning' }).receivers).toEqual([
      'team-X-mails',
    ]);
    // anchored: foo10 is not foo1
    expect(routeAlert(facts, { service: 'foo10', severity: 'critical' }).receivers).toEqual([
      'team-X-mails',
    ]);
    expect(routeAlert(facts, { severity: 'critical' }).receivers).toEqual(['team-X-mails']);
    // continue: owner team-X goes on to the next sibling, which does not match, so only team-X-pager
    expect(routeAlert(facts, { service: 'database', owner: 'team-X' }).receivers).toEqual([
      'team-X-pager',
    ]);
    expect(routeAlert(facts, { service: 'database', owner: 'team-Z' }).receivers).toEqual([
      'team-DB-pager',
    ]);
  });

  it('continue sends to every matching sibling; the old match/match_re forms work', () => {
    const text = `route:
  receiver: default
  routes:
    - match: { team: api }
      receiver: pager
      continue: true
    - match_re: { team: "api|web" }
      receiver: chat
    - matchers: ['team!~"api|web"', 'severity!=info']
      receiver: mail
receivers:
  - name: default
    email_configs: [{ to: a@example.org }]
  - name: pager
    pagerduty_configs: [{ routing_key: k }]
  - name: chat
    slack_configs: [{ channel: '#x' }]
  - name: mail
    email_configs: [{ to: b@example.org }]
`;
    const facts = factsOf('alert-routing', text);
    expect(routeAlert(facts, { team: 'api' }).receivers).toEqual(['pager', 'chat']);
    expect(routeAlert(facts, { team: 'web' }).receivers).toEqual(['chat']);
    expect(routeAlert(facts, { team: 'db', severity: 'page' }).receivers).toEqual(['mail']);
    expect(routeAlert(facts, { team: 'db', severity: 'info' }).receivers).toEqual(['default']);
  });

  it('a receiver with no integration receives nothing', () => {
    const text = `route:
  receiver: blackhole
  routes:
    - matchers: [severity="page"]
      receiver: pager
receivers:
  - name: blackhole
  - name: pager
    webhook_configs: []
`;
    const route = routeAlert(factsOf('alert-routing', text), { severity: 'page' });
    expect(route.receivers).toEqual(['pager']);
    expect(route.delivered).toEqual([]);
  });

  it('an unknown receiver, a bad matcher, a non-RE2 regex, root matchers are located errors', () => {
    const base =
      'route:\n  receiver: a\n  routes:\n    - receiver: b\n      matchers: [x="1"]\nreceivers:\n  - name: a\n';
    expect(problemOf(base)).toMatchObject({
      code: 'unresolved-reference',
      line: 4,
      pointer: '/route/routes/0/receiver',
    });
    const bad =
      'route:\n  receiver: a\n  routes:\n    - matchers: [\'x=~"(?=y)"\']\nreceivers:\n  - name: a\n';
    expect(problemOf(bad)).toMatchObject({
      code: 'parse-error',
      pointer: '/route/routes/0/matchers/0',
    });
    expect(problemOf(bad).message).toContain('not RE2 syntax');
    const noOp =
      "route:\n  receiver: a\n  routes:\n    - matchers: ['x']\nreceivers:\n  - name: a\n";
    expect(problemOf(noOp).message).toContain('no operator');
    const root = 'route:\n  receiver: a\n  matchers: [x="1"]\nreceivers:\n  - name: a\n';
    expect(problemOf(root).message).toContain('root route must not have matchers');
    expect(problemOf('route: {}\nreceivers:\n  - name: a\n').message).toContain('no receiver');
  });

  it('matchers: quoted values with commas and escapes, lists in braces, UTF-8 names', () => {
    expect(parseMatchers('{a="x,y", b!~"1|2"}')).toEqual([
      { name: 'a', op: '=', value: 'x,y' },
      { name: 'b', op: '!~', value: '1|2' },
    ]);
    expect(parseMatchers('"service.name" = "api \\"v2\\""')).toEqual([
      { name: 'service.name', op: '=', value: 'api "v2"' },
    ]);
    expect(parseMatchers('severity=critical')).toEqual([
      { name: 'severity', op: '=', value: 'critical' },
    ]);
  });
});

describe('hostile Alertmanager configurations', () => {
  it('pathological regexes run in linear time (RE2): (a+)+$ on 20,000 characters ends', () => {
    const text = `route:
  receiver: a
  routes:
    - matchers: ['x=~"(a+)+"', 'y=~"(a|aa)*c"']
      receiver: b
receivers:
  - name: a
    email_configs: [{ to: a@example.org }]
  - name: b
    email_configs: [{ to: b@example.org }]
`;
    const facts = factsOf('alert-routing', text);
    // A backtracking engine needs ~2^20000 steps for each of these; RE2 is linear.
    const long = `${'a'.repeat(20_000)}b`;
    expect(routeAlert(facts, { x: long, y: long }).receivers).toEqual(['a']);
    expect(routeAlert(facts, { x: 'aaaa', y: 'aaac' }).receivers).toEqual(['b']);
  });

  it('routing work grows linearly with the route tree (matcher evaluations counted)', () => {
    const tree = (n: number): string => {
      const routes = Array.from(
        { length: n },
        (_, i) =>
          `    - matchers: [svc="s${i}"]\n      receiver: r\n      continue: true\n      routes:\n        - matchers: [sev="x${i}"]\n          receiver: r`,
      ).join('\n');
      return `route:\n  receiver: r\n  routes:\n${routes}\nreceivers:\n  - name: r\n    email_configs: [{ to: a@example.org }]\n`;
    };
    const steps = (n: number): number => {
      const count = { count: 0 };
      routeAlert(factsOf('alert-routing', tree(n)), { svc: 's0', sev: 'x0' }, count);
      return count.count;
    };
    expect(steps(100)).toBe(100 + 1);
    expect(steps(1000)).toBe(1000 + 1);
    expect(steps(2000) / steps(1000)).toBeLessThan(2.01);
  });

  it('a route tree larger than max-results is refused, located', () => {
    const routes = Array.from({ length: 30 }, () => '    - receiver: a').join('\n');
    const text = `route:\n  receiver: a\n  routes:\n${routes}\nreceivers:\n  - name: a\n`;
    const result = collect(text, 'alertmanager', { maxResults: 10 });
    expect(result.problems[0]).toMatchObject({ code: 'limit-exceeded' });
  });

  it('YAML anchors are bounded as for evidence', () => {
    const aliases = Array.from({ length: 150 }, () => '    - *r').join('\n');
    const text = `x: &r { receiver: a }\nroute:\n  receiver: a\n  routes:\n${aliases}\nreceivers:\n  - name: a\n`;
    expect(problemOf(text, 'alertmanager')).toMatchObject({ code: 'limit-exceeded' });
    expect(problemOf(text, 'alertmanager').message).toContain('aliases');
  });
});
