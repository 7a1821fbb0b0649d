import { ArtifactError } from '../artifact-error.js';
import { readRuleGroups, requireAlerts } from '../config/alert-rules.js';
import type { AlertRulesFacts } from '../config/config-facts.js';
import { readConfigDocuments } from '../config/documents.js';
import { kubernetesDocuments } from '../config/kubernetes.js';
import { declaresKind, readConfig } from '../config/read-config.js';
import { checkDocument } from '../config/schema.js';
import type { ArtifactImporter, ImportResult } from '../importer.js';
import type { ArtifactLimits } from '../limits.js';

export const meta = {
  format: 'prometheusrule',
  title: 'PrometheusRule resources (Prometheus Operator)',
  spec: 'https://prometheus-operator.dev/docs/api-reference/api/#monitoring.coreos.com/v1.PrometheusRule',
  recognisedBy: 'a Kubernetes document of kind PrometheusRule (multi-document YAML)',
  yields: [
    'every alerting rule of every PrometheusRule document: name, group, static labels, the metrics and label matchers its expression reads (PromQL parsed), line and column',
    'a PrometheusRule of an apiVersion other than monitoring.coreos.com/v1 is an error; documents of other kinds are skipped',
  ],
  dialects: ['kube-prometheus manifests', 'sloth-generated PrometheusRule'],
};

function recognise(text: string): boolean {
  return declaresKind(text, ['PrometheusRule']);
}

function read(text: string, limits: ArtifactLimits): ImportResult {
  return readConfig(() => {
    const docs = readConfigDocuments(text, limits, { multiDocument: true });
    const facts: AlertRulesFacts = {
      type: 'alert-rules',
      tool: { name: 'prometheus-operator' },
      alerts: [],
      recordingRules: 0,
    };
    const rules = kubernetesDocuments(docs, 'PrometheusRule', ['monitoring.coreos.com/v1']);
    if (rules.length === 0)
      throw new ArtifactError(
        'parse-error',
        'no PrometheusRule document in the file; it proves nothing',
      );
    for (const doc of rules) {
      checkDocument(doc, 'prometheusrule', 'PrometheusRule');
      const groups = (doc.value as { spec: { groups: Parameters<typeof readRuleGroups>[1] } }).spec
        .groups;
      readRuleGroups(doc, groups, '/spec/groups', limits, facts);
    }
    requireAlerts(facts);
    return facts;
  });
}

export const prometheusRule: ArtifactImporter = { meta, recognise, read };
