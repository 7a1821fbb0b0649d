import { joinPointer } from '../../core/json-pointer.js';
import { ArtifactError } from '../artifact-error.js';
import type {
  AlertRoutingFacts,
  ReceiverFact,
  RouteMatcher,
  RouteNode,
} from '../config/config-facts.js';
import { type ConfigDocument, readConfigDocuments } from '../config/documents.js';
import { compileMatcher, MatcherError, parseMatchers } from '../config/matchers.js';
import { hasTopKey, readConfig } from '../config/read-config.js';
import { checkDocument } from '../config/schema.js';
import type { ArtifactImporter, ImportResult } from '../importer.js';
import type { ArtifactLimits } from '../limits.js';

export const meta = {
  format: 'alertmanager',
  title: 'Alertmanager configuration',
  spec: 'https://prometheus.io/docs/alerting/latest/configuration/ (route, receivers)',
  recognisedBy: 'a top-level "route" key in the first 4 KiB and a top-level "receivers" key',
  yields: [
    'the route tree: each route with its receiver (inherited from its parent when absent), its matchers (matchers, and the old match / match_re), continue, line and column',
    'every receiver with the integrations it has (email_configs, pagerduty_configs, webhook_configs …); a receiver with none receives nothing',
    'a route naming an unknown receiver, a matcher that does not parse, or a regex RE2 does not accept is a located error',
  ],
  dialects: ['Alertmanager 0.2x (matchers and match/match_re)'],
};

interface RouteSpec {
  receiver?: string;
  matchers?: string[];
  match?: Record<string, string>;
  match_re?: Record<string, string>;
  continue?: boolean;
  routes?: RouteSpec[];
}

interface ConfigSpec {
  route: RouteSpec;
  receivers: ({ name: string } & Record<string, unknown>)[];
}

function recognise(text: string): boolean {
  // `receivers` often follows a long route tree: looked for in the whole text (one linear scan).
  return hasTopKey(text, 'route') && /^receivers:|"receivers"\s*:/m.test(text);
}

function receiversOf(doc: ConfigDocument, spec: ConfigSpec): ReceiverFact[] {
  const seen = new Set<string>();
  return spec.receivers.map((r, i) => {
    const pointer = `/receivers/${i}`;
    if (seen.has(r.name))
      throw new ArtifactError(
        'schema-violation',
        `receiver ${JSON.stringify(r.name)} is defined twice`,
        doc.at(`${pointer}/name`),
        `${pointer}/name`,
      );
    seen.add(r.name);
    const integrations = Object.keys(r)
      .filter(
        (k) => k.endsWith('_configs') && Array.isArray(r[k]) && (r[k] as unknown[]).length > 0,
      )
      .map((k) => k.slice(0, -'_configs'.length))
      .sort();
    return { name: r.name, integrations, ...doc.at(pointer) };
  });
}

function matchersOf(doc: ConfigDocument, route: RouteSpec, pointer: string): RouteMatcher[] {
  const out: RouteMatcher[] = [];
  const at = (p: string, run: () => void): void => {
    try {
      run();
    } catch (thrown) {
      if (!(thrown instanceof MatcherError)) throw thrown;
      throw new ArtifactError('parse-error', `route matcher: ${thrown.message}`, doc.at(p), p);
    }
  };
  for (const [name, value] of Object.entries(route.match ?? {}))
    out.push({ name, op: '=', value: String(value) });
  for (const [name, value] of Object.entries(route.match_re ?? {}))
    at(joinPointer(`${pointer}/match_re`, name), () =>
      out.push(compileMatcher({ name, op: '=~', value: String(value) })),
    );
  (route.matchers ?? []).forEach((text, i) => {
    at(`${pointer}/matchers/${i}`, () => out.push(...parseMatchers(text)));
  });
  return out;
}

function routeTree(
  doc: ConfigDocument,
  spec: RouteSpec,
  pointer: string,
  inherited: string | undefined,
  known: Set<string>,
  limits: ArtifactLimits,
  count: { routes: number },
): RouteNode {
  if (++count.routes > limits.maxResults)
    throw new ArtifactError(
      'limit-exceeded',
      `more than ${limits.maxResults} routes (max-results)`,
      doc.at(pointer),
      pointer,
    );
  const receiver = spec.receiver ?? inherited;
  if (receiver === undefined)
    throw new ArtifactError(
      'schema-violation',
      'the root route names no receiver',
      doc.at(pointer),
      pointer,
    );
  if (!known.has(receiver)) {
    const at = spec.receiver !== undefined ? `${pointer}/receiver` : pointer;
    throw new ArtifactError(
      'unresolved-reference',
      `route receiver ${JSON.stringify(receiver)} is not defined under receivers`,
      doc.at(at),
      at,
    );
  }
  return {
    pointer,
    receiver,
    matchers: matchersOf(doc, spec, pointer),
    continue: spec.continue === true,
    routes: (spec.routes ?? []).map((child, i) =>
      routeTree(doc, child, `${pointer}/routes/${i}`, receiver, known, limits, count),
    ),
    ...doc.at(pointer),
  };
}

function read(text: string, limits: ArtifactLimits): ImportResult {
  return readConfig(() => {
    const [doc] = readConfigDocuments(text, limits, { multiDocument: false });
    if (!doc) throw new Error('unreachable: readConfigDocuments returns a document');
    checkDocument(doc, 'alertmanager', 'Alertmanager configuration');
    const spec = doc.value as ConfigSpec;
    const receivers = receiversOf(doc, spec);
    const known = new Set(receivers.map((r) => r.name));
    const count = { routes: 0 };
    const route = routeTree(doc, spec.route, '/route', undefined, known, limits, count);
    if (route.matchers.length > 0)
      throw new ArtifactError(
        'schema-violation',
        'the root route must not have matchers (Alertmanager refuses it)',
        doc.at('/route'),
        '/route',
      );
    const facts: AlertRoutingFacts = {
      type: 'alert-routing',
      tool: { name: 'alertmanager' },
      receivers,
      route,
      routeCount: count.routes,
    };
    return facts;
  });
}

export const alertmanager: ArtifactImporter = { meta, recognise, read };
