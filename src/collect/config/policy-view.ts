import type { AlertRoutingFacts, ConfigFacts } from './config-facts.js';
import { routeAlert } from './routing.js';

/** The configuration fact types (the others are test runs and scans). */
export const CONFIG_TYPES: ReadonlySet<string> = new Set([
  'alert-rules',
  'alert-routing',
  'alert-receipt',
  'dashboard',
  'slos',
  'otlp',
]);

export function isConfigFacts(facts: { type: string } | undefined): facts is ConfigFacts {
  return facts !== undefined && CONFIG_TYPES.has(facts.type);
}

/** Another artifact a recorded fact names (`routedBy`), as read. */
export interface LinkedArtifact {
  id: string;
  path: string;
  valid: boolean;
  facts?: { type: string };
}

/** Where alerts go when a recorded alert-rules fact names an Alertmanager configuration (`routedBy`). */
export interface RoutingLink {
  artifact: string;
  file: string;
  valid: boolean;
  problem?: string;
}

/**
 * The policy's view of a configuration fact (merged into input.recorded[kind][pointer]):
 * the facts as read, and for alert rules routed by an Alertmanager configuration
 * (`recordedBy.routedBy`), each alert's route: the receivers it reaches and those that
 * deliver (have an integration), with the routes it ends at. The alert is routed with
 * its static labels and `alertname`.
 */
export function configView(
  facts: ConfigFacts,
  routedBy: string | undefined,
  artifacts: LinkedArtifact[],
): Record<string, unknown> {
  if (facts.type === 'alert-routing')
    return {
      type: facts.type,
      receivers: facts.receivers,
      routeCount: facts.routeCount,
    };
  if (facts.type !== 'alert-rules' || routedBy === undefined) return { ...facts };
  const target = artifacts.find((a) => a.id === routedBy);
  const link: RoutingLink = {
    artifact: routedBy,
    file: target?.path ?? '',
    valid: target?.valid === true && target.facts?.type === 'alert-routing',
  };
  if (!target)
    link.problem = `routedBy names artifact "${routedBy}", which the artifacts evidence does not list`;
  else if (target.facts?.type !== 'alert-routing' && target.valid)
    link.problem = `routedBy names artifact "${routedBy}" (${target.path}), which is not an Alertmanager configuration`;
  else if (!link.valid)
    link.problem = `the Alertmanager configuration ${target.path} cannot be read`;
  const routing = link.valid ? (target?.facts as AlertRoutingFacts) : undefined;
  return {
    ...facts,
    routing: link,
    alerts: facts.alerts.map((a) => ({
      ...a,
      ...(routing ? { route: routeAlert(routing, { ...a.labels, alertname: a.name }) } : {}),
    })),
  };
}
