import { ArtifactError } from '../artifact-error.js';
import type { AlertReceiptFacts, ReceivedAlertFact } from '../config/config-facts.js';
import { readConfig } from '../config/read-config.js';
import type { ArtifactImporter, ImportResult } from '../importer.js';
import { jsonMentions, readJsonArtifact } from '../json-artifact.js';
import type { ArtifactLimits } from '../limits.js';

export const meta = {
  format: 'alert-receipt',
  title: 'Alertmanager webhook payload or /api/v2/alerts export',
  spec: 'https://prometheus.io/docs/alerting/latest/configuration/#webhook_config (payload version 4); Alertmanager API v2 GET /api/v2/alerts (gettableAlerts)',
  recognisedBy:
    'a JSON object with "receiver", "groupKey" and "alerts" (webhook), or a JSON list of alerts with "fingerprint" and "receivers" (API v2)',
  yields: [
    'every alert: alertname, labels, status, the receivers that got it, startsAt, line and column',
    'the date: the latest startsAt / updatedAt in the capture (UTC day)',
    'an alert the API shows as suppressed (silenced or inhibited) or unprocessed was not delivered',
  ],
  dialects: ['Alertmanager webhook_config payload v4', 'Alertmanager API v2 alerts'],
};

interface WebhookAlert {
  status: string;
  labels: Record<string, string>;
  startsAt: string;
}
interface Webhook {
  version: string;
  receiver: string;
  status: string;
  alerts: WebhookAlert[];
}
interface ApiAlert {
  labels: Record<string, string>;
  startsAt: string;
  updatedAt?: string;
  status: { state: string };
  receivers: { name: string }[];
}

function recognise(text: string): boolean {
  return (
    jsonMentions(text, [/^\s*\{/, /"receiver"\s*:/, /"groupKey"\s*:/, /"alerts"\s*:/]) ||
    jsonMentions(text, [/^\s*\[\s*\{/, /"fingerprint"\s*:/, /"receivers"\s*:/])
  );
}

const DAY = /^(\d{4}-\d{2}-\d{2})T/;

function dayOf(timestamps: (string | undefined)[]): string | undefined {
  let latest: string | undefined;
  for (const t of timestamps) {
    const ms = t === undefined ? Number.NaN : Date.parse(t);
    if (Number.isNaN(ms) || !DAY.test(t as string)) continue;
    const day = new Date(ms).toISOString().slice(0, 10);
    if (latest === undefined || day > latest) latest = day;
  }
  return latest;
}

function sorted(labels: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of Object.keys(labels).sort()) out[k] = labels[k] as string;
  return out;
}

function read(text: string, limits: ArtifactLimits): ImportResult {
  return readConfig(() => {
    const isList = /^\s*\[/.test(text.replace(/^\uFEFF/, ''));
    const doc = readJsonArtifact(
      text,
      isList ? 'alertmanager-api-alerts' : 'alertmanager-webhook',
      limits,
    );
    let alerts: ReceivedAlertFact[];
    let date: string | undefined;
    if (isList) {
      const list = doc.data as ApiAlert[];
      alerts = list.map((a, i) => ({
        name: a.labels.alertname ?? '',
        labels: sorted(a.labels),
        status: a.status.state,
        receivers: a.status.state === 'active' ? a.receivers.map((r) => r.name) : [],
        startsAt: a.startsAt,
        ...doc.at(`/${i}`),
      }));
      date = dayOf(list.flatMap((a) => [a.startsAt, a.updatedAt]));
    } else {
      const hook = doc.data as Webhook;
      alerts = hook.alerts.map((a, i) => ({
        name: a.labels.alertname ?? '',
        labels: sorted(a.labels),
        status: a.status,
        receivers: [hook.receiver],
        startsAt: a.startsAt,
        ...doc.at(`/alerts/${i}`),
      }));
      date = dayOf(hook.alerts.map((a) => a.startsAt));
    }
    if (alerts.length === 0)
      throw new ArtifactError(
        'parse-error',
        'the capture holds no alert; it proves nothing',
        doc.at(''),
        '',
      );
    const facts: AlertReceiptFacts = {
      type: 'alert-receipt',
      tool: { name: 'alertmanager' },
      capture: isList ? 'api-v2' : 'webhook',
      alerts,
      ...(date ? { date } : {}),
    };
    return facts;
  });
}

export const alertReceipt: ArtifactImporter = { meta, recognise, read };
