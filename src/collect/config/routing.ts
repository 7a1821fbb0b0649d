import type { AlertRoutingFacts, RouteNode } from './config-facts.js';
import { matches } from './matchers.js';

/** Where one alert goes: the receivers of the routes it ends at, and whether any has an integration. */
export interface AlertRoute {
  /** Receivers reached, in route order, without duplicates. */
  receivers: string[];
  /** Receivers reached that have at least one integration (a receiver without one drops the alert). */
  delivered: string[];
  /** The routes the alert ends at (pointer into the Alertmanager file, line, column). */
  routes: { pointer: string; receiver: string; line: number; column: number }[];
}

/**
 * Routes a label set through an Alertmanager route tree as the dispatcher does
 * (dispatch.Route.Match): a route matches when all its matchers hold; its children are
 * tried in order, the first that matches ends the search unless it has `continue`;
 * a matching route none of whose children match is where the alert ends. Children are
 * only tried under a matching parent, so they inherit its matchers. Each route is
 * visited at most once per alert, so the work is linear in the tree's size; `steps`
 * counts the matcher evaluations (the tests read it to show linear growth).
 */
export function routeAlert(
  facts: AlertRoutingFacts,
  labels: Record<string, string>,
  steps: { count: number } = { count: 0 },
): AlertRoute {
  const ends: RouteNode[] = [];
  const visit = (node: RouteNode): boolean => {
    for (const m of node.matchers) {
      steps.count++;
      if (!matches(m, labels)) return false;
    }
    let any = false;
    for (const child of node.routes) {
      if (visit(child)) {
        any = true;
        if (!child.continue) break;
      }
    }
    if (!any) ends.push(node);
    return true;
  };
  visit(facts.route);
  const integrated = new Set(
    facts.receivers.filter((r) => r.integrations.length > 0).map((r) => r.name),
  );
  const receivers = [...new Set(ends.map((n) => n.receiver))];
  return {
    receivers,
    delivered: receivers.filter((r) => integrated.has(r)),
    routes: ends.map((n) => ({
      pointer: n.pointer,
      receiver: n.receiver,
      line: n.line,
      column: n.column,
    })),
  };
}
