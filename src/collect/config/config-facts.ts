/**
 * What the collect stage reads from configuration files (alert rules, Alertmanager,
 * dashboards, SLO specs, OpenTelemetry): facts, each at the line and column of the file
 * it came from. Plain data, so that each can go into the policy input. The policies
 * decide what a fact proves (which alert is the error-rate alert is a pattern in the
 * pack); these only say what the file says.
 */
import type { ArtifactPosition, ToolFact } from '../fact-parts.js';
import type { LabelMatcher } from './promql.js';

interface ConfigFactsBase {
  tool: ToolFact;
  revision?: string;
  date?: string;
}

/** One alerting rule: its name, labels and the metrics its expression reads. */
export interface AlertRuleFact extends ArtifactPosition {
  name: string;
  group: string;
  /** The rule's static labels (values as written: templates are data). */
  labels: Record<string, string>;
  /** Metric names the expression reads (parsed PromQL). */
  metrics: string[];
  /** Label matchers of the expression's selectors. */
  matchers: LabelMatcher[];
  for?: string;
}

/** A Prometheus rule file or PrometheusRule resources. */
export interface AlertRulesFacts extends ConfigFactsBase {
  type: 'alert-rules';
  alerts: AlertRuleFact[];
  /** Recording rules read (parsed, not used as alerts). */
  recordingRules: number;
}

/** A receiver of an Alertmanager configuration and its integrations (`email_configs` …). */
export interface ReceiverFact extends ArtifactPosition {
  name: string;
  /** Integration kinds with at least one entry (`email`, `pagerduty`, `webhook` …). */
  integrations: string[];
}

/** A compiled matcher of a route (`matchers`, or the old `match` / `match_re`). */
export interface RouteMatcher {
  name: string;
  op: '=' | '!=' | '=~' | '!~';
  value: string;
}

/** A node of the Alertmanager route tree, receivers inherited already resolved. */
export interface RouteNode extends ArtifactPosition {
  pointer: string;
  receiver: string;
  matchers: RouteMatcher[];
  continue: boolean;
  routes: RouteNode[];
}

/** An Alertmanager configuration. */
export interface AlertRoutingFacts extends ConfigFactsBase {
  type: 'alert-routing';
  receivers: ReceiverFact[];
  route: RouteNode;
  /** How many routes the tree has (root included). */
  routeCount: number;
}

/** An alert in a captured webhook payload or an /api/v2/alerts export. */
export interface ReceivedAlertFact extends ArtifactPosition {
  name: string;
  labels: Record<string, string>;
  status: string;
  /** The receiver that got it, when the capture says (webhook `receiver`, v2 `receivers[].name`). */
  receivers: string[];
  startsAt?: string;
}

/** Proof that alerts fired and reached a receiver. */
export interface AlertReceiptFacts extends ConfigFactsBase {
  type: 'alert-receipt';
  /** `webhook` (a payload Alertmanager posted) or `api-v2` (a GET /api/v2/alerts export). */
  capture: 'webhook' | 'api-v2';
  alerts: ReceivedAlertFact[];
}

/** A dashboard panel (rows' and collapsed rows' panels included) and what its queries read. */
export interface PanelFact extends ArtifactPosition {
  title: string;
  pointer: string;
  metrics: string[];
}

/** A Grafana dashboard. */
export interface DashboardFacts extends ConfigFactsBase {
  type: 'dashboard';
  title: string;
  uid?: string;
  panels: PanelFact[];
}

/** One service level objective: its indicator, target and window. */
export interface ObjectiveFact extends ArtifactPosition {
  name: string;
  /** The spec's own description of the indicator, for pattern matching (`ratio`, `latency` …). */
  indicator: string;
  /** Target as a fraction (0.999), when the spec gives one. */
  target?: number;
  /** Window as written (`30d`, `28d`), when given. */
  window?: string;
  /** Metrics the indicator's queries read. */
  metrics: string[];
  /** Label matchers of the indicator's queries (routes are read from them). */
  matchers: LabelMatcher[];
  /** Latency threshold in seconds, when the indicator is a latency one. */
  latencyThreshold?: number;
  /** Free words of the spec that name what it measures (name, description, SLI name). */
  words: string;
}

/** OpenSLO, Sloth or Pyrra specs. */
export interface SloFacts extends ConfigFactsBase {
  type: 'slos';
  objectives: ObjectiveFact[];
}

/** An exporter named in a pipeline. */
export interface ExporterRef extends ArtifactPosition {
  name: string;
  /** True for an OTLP exporter (`otlp`, `otlphttp`, `otlp_grpc`, `otlp_http`, their `/name` forms). */
  otlp: boolean;
}

/** Which exporters each signal's pipelines reach. */
export interface OtlpFacts extends ConfigFactsBase {
  type: 'otlp';
  /** Where the configuration was read from (collector, sdk, environment). */
  source: 'collector' | 'sdk' | 'environment';
  signals: Record<'traces' | 'logs' | 'metrics', ExporterRef[]>;
}

export type ConfigFacts =
  | AlertRulesFacts
  | AlertRoutingFacts
  | AlertReceiptFacts
  | DashboardFacts
  | SloFacts
  | OtlpFacts;
