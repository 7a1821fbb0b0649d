import { joinPointer } from '../../core/json-pointer.js';
import { ArtifactError } from '../artifact-error.js';
import type { ArtifactLimits } from '../limits.js';
import type { AlertRuleFact, AlertRulesFacts } from './config-facts.js';
import type { ConfigDocument } from './documents.js';
import { PromQLError, readPromQL } from './promql.js';

interface RuleSpec {
  alert?: string;
  record?: string;
  expr: string | number;
  for?: string;
  labels?: Record<string, string | number | boolean>;
}

interface GroupSpec {
  name: string;
  rules?: RuleSpec[];
}

/**
 * Reads the `groups` of a Prometheus rule file (or a PrometheusRule's spec) at `base`:
 * every rule's expression is parsed as PromQL (one that does not parse is a located
 * error, recording rules too), alerting rules become facts. The document is already
 * schema-checked. Throws ArtifactError.
 */
export function readRuleGroups(
  doc: ConfigDocument,
  groups: GroupSpec[],
  base: string,
  limits: ArtifactLimits,
  into: AlertRulesFacts,
): void {
  groups.forEach((group, g) => {
    (group.rules ?? []).forEach((rule, r) => {
      const pointer = joinPointer(joinPointer(joinPointer(base, g), 'rules'), r);
      if (into.alerts.length + into.recordingRules >= limits.maxResults)
        throw new ArtifactError(
          'limit-exceeded',
          `more than ${limits.maxResults} rules (max-results)`,
          doc.at(pointer),
          pointer,
        );
      const expr = String(rule.expr);
      let reads: ReturnType<typeof readPromQL>;
      try {
        reads = readPromQL(expr);
      } catch (thrown) {
        if (!(thrown instanceof PromQLError)) throw thrown;
        const exprPointer = `${pointer}/expr`;
        throw new ArtifactError(
          'parse-error',
          `rule ${JSON.stringify(rule.alert ?? rule.record)} in group ${JSON.stringify(group.name)}: the expression does not parse as PromQL at character ${thrown.offset + 1}: ${thrown.message}`,
          doc.at(exprPointer),
          exprPointer,
        );
      }
      if (rule.alert === undefined) {
        into.recordingRules++;
        return;
      }
      const labels: Record<string, string> = {};
      for (const key of Object.keys(rule.labels ?? {}).sort())
        labels[key] = String(rule.labels?.[key]);
      const fact: AlertRuleFact = {
        name: rule.alert,
        group: group.name,
        labels,
        metrics: reads.metrics,
        matchers: reads.matchers,
        ...(rule.for !== undefined ? { for: String(rule.for) } : {}),
        ...doc.at(pointer),
      };
      into.alerts.push(fact);
    });
  });
}

/** A rule file with no alerting rule proves no alert. */
export function requireAlerts(facts: AlertRulesFacts): void {
  if (facts.alerts.length === 0 && facts.recordingRules === 0)
    throw new ArtifactError(
      'parse-error',
      'the file holds no rule; an empty rule file proves nothing',
    );
}
