import type { SourcePosition } from '../core/diagnostics.js';
import { positionOf } from '../load/evidence-file.js';
import { SourceError } from '../load/parsed-document.js';
import { parseYaml } from '../load/yaml-source.js';
import { ArtifactError } from './artifact-error.js';
import type { ArtifactLimits } from './limits.js';

/** One YAML document of a configuration file, with where it and each of its values start. */
export interface ConfigDocument {
  /** 0-based position of the document in the stream. */
  index: number;
  value: unknown;
  /** Where the value at a JSON pointer starts (the nearest located ancestor when it is not itself located). */
  at(pointer: string): SourcePosition;
}

/** Most aliases (`*name`) in one configuration file: anchors are allowed (GitHub Actions and Kubernetes accept them), bounded. */
const MAX_CONFIG_ALIASES = 100;

/**
 * Reads a configuration file as YAML 1.2 (the evidence parser: core schema, duplicate
 * keys refused, depth, node, alias and string bounds, lone surrogates refused), with
 * each document's position. `multi` allows a stream of documents (`---`), as Kubernetes
 * manifests are; without it a second document is an error. Empty documents (only
 * comments) are dropped; a file with no document left proves nothing and is an error.
 * Throws a located ArtifactError on the first problem.
 */
export function readYamlConfig(
  text: string,
  limits: ArtifactLimits,
  options: { multi: boolean; what: string },
): ConfigDocument[] {
  const source = text.replace(/^\uFEFF/, '');
  const pieces = options.multi ? splitDocuments(source) : [{ text: source, line: 0 }];
  const documents: ConfigDocument[] = [];
  let nodesLeft = limits.maxArtifactNodes;
  for (const piece of pieces) {
    let parsed: ReturnType<typeof parseYaml>;
    try {
      parsed = parseYaml(piece.text, {
        maxDepth: limits.maxArtifactDepth,
        maxNodes: Math.max(1, nodesLeft),
        maxAliases: MAX_CONFIG_ALIASES,
        maxStringLength: limits.maxArtifactString,
      });
    } catch (thrown) {
      if (!(thrown instanceof SourceError)) throw thrown;
      const at = { line: thrown.position.line + piece.line, column: thrown.position.column };
      throw new ArtifactError(
        thrown.code === 'limit-exceeded' ? 'limit-exceeded' : 'parse-error',
        thrown.message,
        at,
        documentPointer(options.multi, documents.length, thrown.pointer),
      );
    }
    nodesLeft -= parsed.positions.size;
    if (parsed.value === null || parsed.value === undefined) continue;
    const offset = piece.line;
    documents.push({
      index: documents.length,
      value: parsed.value,
      at(pointer: string) {
        const p = positionOf(parsed, pointer);
        return { line: p.line + offset, column: p.column };
      },
    });
  }
  if (documents.length === 0)
    throw new ArtifactError(
      'empty-config',
      `the ${options.what} holds no YAML document; an empty file proves nothing`,
    );
  return documents;
}

/** The pointer of a problem: in a stream, prefixed by the document's index (`/2/spec/schedule`). */
export function documentPointer(multi: boolean, index: number, pointer: string): string {
  return multi ? `/${index}${pointer}` : pointer;
}

/**
 * The documents of a YAML stream, split at `---` marker lines (a `---` at column 0 always
 * starts a document in YAML 1.2, even inside a block scalar, which it ends), with the
 * 0-based line each starts at. A `...` end-of-document line is left to the parser.
 */
function splitDocuments(text: string): { text: string; line: number }[] {
  const out: { text: string; line: number }[] = [];
  const lines = text.split(/\r\n|\r|\n/);
  let start = 0;
  for (let i = 0; i < lines.length; i++) {
    if (i > start && /^---(?:[ \t]|$)/.test(lines[i] as string)) {
      out.push({ text: lines.slice(start, i).join('\n'), line: start });
      start = i;
    }
  }
  out.push({ text: lines.slice(start).join('\n'), line: start });
  // A piece made of the marker, blank lines and comments only is an empty document.
  return out.filter((p) => !/^(?:---)?[ \t]*(?:#[^\n]*)?(?:\n[ \t]*(?:#[^\n]*)?)*$/.test(p.text));
}

/**
 * Helm's built-in objects and its template-only functions: an action naming one is a
 * Helm template that was not rendered. Go templates a format defines itself (Prometheus
 * `{{ $labels.x }}`, Alertmanager `{{ .CommonLabels }}`) name none of them.
 */
const HELM_ACTION =
  /\{\{-?\s*(?:[^}]{0,200}?[\s($|]|)(?:\$?\.(?:Values|Release|Chart|Capabilities|Files|Template)\b|(?:include|tpl|toYaml|fromYaml|required|lookup|nindent|indent)\s)/;

/**
 * Finds an unrendered Helm/Go template in Kubernetes manifests: a line the YAML parser
 * cannot read that holds `{{` (a `{{- if }}` or `{{- end }}` line is not YAML), or an
 * action anywhere that names a Helm built-in object or function (`{{ .Values.x }}`,
 * `{{- if .Values.x }}`, `{{ include ... }}`). Control actions alone stay data where
 * they parse (Prometheus annotations use `{{ if }}` and `{{ range }}`). Returns the
 * line and column of the first one, or undefined. `${{ }}` (GitHub Actions) is not one.
 */
export function unrenderedTemplateAt(
  text: string,
): { line: number; column: number; action: string } | undefined {
  const lines = text.split(/\r\n|\r|\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    if (/^\s*#/.test(line)) continue;
    const match = HELM_ACTION.exec(line);
    if (match && line[match.index - 1] !== '$') {
      const end = line.indexOf('}}', match.index);
      const action = end < 0 ? line.slice(match.index) : line.slice(match.index, end + 2);
      return { line: i + 1, column: match.index + 1, action: clip(action) };
    }
  }
  return undefined;
}

/** The first `{{` (not `${{`) up to two lines after a parse error: the template that made the file unreadable. */
export function templateNear(
  text: string,
  line: number,
): { line: number; column: number; action: string } | undefined {
  const lines = text.split(/\r\n|\r|\n/).slice(0, line + 2);
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i] as string;
    if (/^\s*#/.test(l)) continue;
    const col = l.search(/(?<!\$)\{\{/);
    if (col >= 0) return { line: i + 1, column: col + 1, action: clip(l.slice(col)) };
  }
  return undefined;
}

function clip(s: string): string {
  return s.length > 60 ? `${s.slice(0, 59)}…` : s;
}

/**
 * Reads Kubernetes manifests (a stream of documents), refusing unrendered templates
 * first: a located `unrendered-template` error names the action and says to render.
 */
export function readManifests(text: string, limits: ArtifactLimits): ConfigDocument[] {
  const template = unrenderedTemplateAt(text);
  if (template)
    throw new ArtifactError(
      'unrendered-template',
      `unrendered Helm/Go template ${template.action}; render the chart (helm template) and name the rendered manifests`,
      { line: template.line, column: template.column },
    );
  try {
    return readYamlConfig(text, limits, { multi: true, what: 'manifest file' });
  } catch (thrown) {
    if (!(thrown instanceof ArtifactError) || thrown.code !== 'parse-error') throw thrown;
    const near = templateNear(text, thrown.position.line);
    if (near)
      throw new ArtifactError(
        'unrendered-template',
        `unrendered template ${near.action} (the file is not YAML until it is rendered); render it and name the rendered manifests`,
        { line: near.line, column: near.column },
      );
    throw thrown;
  }
}
