import { joinPointer } from '../../core/json-pointer.js';
import { ArtifactError } from '../artifact-error.js';
import type { DashboardFacts, PanelFact } from '../config/config-facts.js';
import { type ConfigDocument, readConfigDocuments } from '../config/documents.js';
import { interpolate, VARIABLE } from '../config/grafana-query.js';
import { PromQLError, readPromQL } from '../config/promql.js';
import { readConfig } from '../config/read-config.js';
import { checkDocument } from '../config/schema.js';
import type { ArtifactImporter, ImportResult } from '../importer.js';
import { jsonMentions } from '../json-artifact.js';
import type { ArtifactLimits } from '../limits.js';

export const meta = {
  format: 'grafana',
  title: 'Grafana dashboard JSON',
  spec: 'https://grafana.com/docs/grafana/latest/dashboards/build-dashboards/view-dashboard-json-model/',
  recognisedBy:
    'a JSON object with "panels" or "rows" and a "schemaVersion" (or an API export {"dashboard": …})',
  yields: [
    'every panel (in rows, collapsed rows and the old rows[] layout too): title, the metrics its Prometheus queries read (PromQL parsed after Grafana variables are stood in for), line and column',
    "a library panel is read from the export's __elements; one that is not there cannot be resolved and is an error",
    'queries of other data sources (Loki, SQL …) are not read; legends and titles are data',
  ],
  dialects: ['Grafana 7–11 dashboard JSON (schemaVersion 14–39)', 'grafana.com / mixin exports'],
};

interface TargetSpec {
  expr?: string;
  datasource?: unknown;
  hide?: boolean;
}
interface PanelSpec {
  type?: string;
  title?: string;
  datasource?: unknown;
  targets?: TargetSpec[];
  panels?: PanelSpec[];
  libraryPanel?: { uid?: string; name?: string };
}
interface DashboardSpec {
  title: string;
  uid?: string;
  panels?: PanelSpec[];
  rows?: { panels?: PanelSpec[] }[];
  __elements?: Record<string, { model?: PanelSpec }>;
}

function recognise(text: string): boolean {
  // schemaVersion is usually the last member: the whole text is scanned (linear regexes).
  return (
    jsonMentions(text, [/^\s*\{/]) &&
    /"(panels|rows)"\s*:/.test(text) &&
    (/"schemaVersion"\s*:/i.test(text) || /"dashboard"\s*:\s*\{/.test(text))
  );
}

/** The data source type a target is read with: its own, else the panel's; '' when a variable or unnamed. */
function datasourceType(target: TargetSpec, panel: PanelSpec): string {
  for (const ds of [target.datasource, panel.datasource]) {
    if (ds && typeof ds === 'object' && typeof (ds as { type?: unknown }).type === 'string')
      return (ds as { type: string }).type;
    if (typeof ds === 'string' && ds !== '' && !ds.startsWith('$') && ds !== '-- Mixed --')
      return ds.toLowerCase().includes('prometheus') ? 'prometheus' : '';
  }
  return '';
}

/** Prometheus-compatible data sources (their queries are PromQL). */
const PROMQL_SOURCES = new Set(['prometheus', 'grafana-amazonprometheus-datasource', '']);

class PanelReader {
  readonly panels: PanelFact[] = [];
  constructor(
    private readonly doc: ConfigDocument,
    private readonly spec: DashboardSpec,
    private readonly base: string,
    private readonly limits: ArtifactLimits,
  ) {}

  read(list: PanelSpec[] | undefined, pointer: string): void {
    (list ?? []).forEach((panel, i) => {
      this.panel(panel, joinPointer(pointer, i));
    });
  }

  private panel(given: PanelSpec, pointer: string): void {
    if (this.panels.length >= this.limits.maxResults)
      throw new ArtifactError(
        'limit-exceeded',
        `more than ${this.limits.maxResults} panels (max-results)`,
        this.doc.at(pointer),
        pointer,
      );
    const panel = this.resolve(given, pointer);
    if (panel.type === 'row') {
      this.read(panel.panels, `${pointer}/panels`);
      return;
    }
    const metrics = new Set<string>();
    (panel.targets ?? []).forEach((target, t) => {
      if (target.hide === true || typeof target.expr !== 'string' || target.expr.trim() === '')
        return;
      if (!PROMQL_SOURCES.has(datasourceType(target, panel))) return;
      const exprPointer = `${pointer}/targets/${t}/expr`;
      try {
        for (const m of readPromQL(interpolate(target.expr)).metrics)
          if (!m.includes(VARIABLE)) metrics.add(m);
      } catch (thrown) {
        if (!(thrown instanceof PromQLError)) throw thrown;
        throw new ArtifactError(
          'parse-error',
          `panel ${JSON.stringify(panel.title ?? '')}: the query does not parse as PromQL at character ${thrown.offset + 1}: ${thrown.message}`,
          this.doc.at(exprPointer),
          exprPointer,
        );
      }
    });
    this.panels.push({
      title: panel.title ?? '',
      pointer: `${this.base}${pointer}`,
      metrics: [...metrics].sort(),
      ...this.doc.at(pointer),
    });
    // Some exports nest panels in a non-row panel; they count too.
    if (panel.panels) this.read(panel.panels, `${pointer}/panels`);
  }

  /** A library panel is its model from the export's __elements; not there, it cannot be resolved. */
  private resolve(panel: PanelSpec, pointer: string): PanelSpec {
    if (!panel.libraryPanel || panel.targets) return panel;
    const uid = panel.libraryPanel.uid ?? '';
    const model = this.spec.__elements?.[uid]?.model;
    if (!model || model.libraryPanel)
      throw new ArtifactError(
        'unresolved-reference',
        `library panel ${JSON.stringify(panel.libraryPanel.name ?? uid)} (uid ${JSON.stringify(uid)}) is not in the dashboard's __elements; export the dashboard with "Export for sharing externally" so its queries can be read`,
        this.doc.at(`${pointer}/libraryPanel`),
        `${pointer}/libraryPanel`,
      );
    return { ...model, title: panel.title ?? model.title };
  }
}

function read(text: string, limits: ArtifactLimits): ImportResult {
  return readConfig(() => {
    const [doc] = readConfigDocuments(text, limits, { multiDocument: false });
    if (!doc) throw new Error('unreachable: readConfigDocuments returns a document');
    const wrapped = (doc.value as { dashboard?: unknown }).dashboard !== undefined;
    const base = wrapped ? '/dashboard' : '';
    const inner: ConfigDocument = wrapped
      ? {
          index: 0,
          value: (doc.value as { dashboard: unknown }).dashboard,
          at: (p) => doc.at(`${base}${p}`),
        }
      : doc;
    checkDocument(inner, 'grafana', 'Grafana dashboard');
    const spec = inner.value as DashboardSpec;
    const reader = new PanelReader(inner, spec, base, limits);
    reader.read(spec.panels, '/panels');
    (spec.rows ?? []).forEach((row, r) => {
      reader.read(row.panels, `/rows/${r}/panels`);
    });
    if (reader.panels.length === 0)
      throw new ArtifactError(
        'parse-error',
        'the dashboard has no panel; it proves nothing',
        doc.at(''),
        '',
      );
    const facts: DashboardFacts = {
      type: 'dashboard',
      tool: { name: 'grafana' },
      title: spec.title,
      ...(spec.uid ? { uid: spec.uid } : {}),
      panels: reader.panels,
    };
    return facts;
  });
}

export const grafana: ArtifactImporter = { meta, recognise, read };
