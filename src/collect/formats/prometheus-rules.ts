import { readRuleGroups, requireAlerts } from '../config/alert-rules.js';
import type { AlertRulesFacts } from '../config/config-facts.js';
import { readConfigDocuments } from '../config/documents.js';
import { hasTopKey, readConfig } from '../config/read-config.js';
import { checkDocument } from '../config/schema.js';
import type { ArtifactImporter, ImportResult } from '../importer.js';
import type { ArtifactLimits } from '../limits.js';

export const meta = {
  format: 'prometheus-rules',
  title: 'Prometheus rule file',
  spec: 'https://prometheus.io/docs/prometheus/latest/configuration/alerting_rules/ (rule file format, groups/rules)',
  recognisedBy: 'a top-level "groups" key (YAML at column 0, or a JSON member) and no "kind"',
  yields: [
    'every alerting rule: name, group, static labels, the metrics and label matchers its expression reads (PromQL parsed with @prometheus-io/lezer-promql), line and column',
    'recording rules are parsed too (an expression that does not parse is a located error) but prove no alert',
  ],
  dialects: ['Prometheus 2/3 rule files', 'Thanos mixin alerts', 'sloth-generated rules'],
};

function recognise(text: string): boolean {
  return hasTopKey(text, 'groups') && !/^kind:/m.test(text.slice(0, 4096));
}

function read(text: string, limits: ArtifactLimits): ImportResult {
  return readConfig(() => {
    const [doc] = readConfigDocuments(text, limits, { multiDocument: false });
    if (!doc) throw new Error('unreachable: readConfigDocuments returns a document');
    checkDocument(doc, 'prometheus-rules', 'rule file');
    const facts: AlertRulesFacts = {
      type: 'alert-rules',
      tool: { name: 'prometheus' },
      alerts: [],
      recordingRules: 0,
    };
    const groups = (doc.value as { groups: Parameters<typeof readRuleGroups>[1] }).groups;
    readRuleGroups(doc, groups, '/groups', limits, facts);
    requireAlerts(facts);
    return facts;
  });
}

export const prometheusRules: ArtifactImporter = { meta, recognise, read };
