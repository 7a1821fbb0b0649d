import type { Evaluation } from '../../provenance/evaluation.js';
import type { GateMeta } from '../../pack/catalog.js';
import type { Report } from '../report.js';
import type { FormatOptions } from './shared.js';

// The one interface behind every output format (Conftest's `output/` model): each format
// is one file that exports one entry; index.ts is the registry the CLI looks names up in.

/** What a renderer may take from the process: the environment, for the report's CI context only. */
export interface RenderContext {
  env?: NodeJS.ProcessEnv;
}

/** A rendered file, and what a reader of the log should know about it (a cut, a limit). */
export interface RenderedFormat {
  content: string;
  warnings: string[];
}

/**
 * How a format's copy on stdout (`--stdout`), which may be a CI log, is kept safe:
 * `json` keeps the JSON's value with CI commands broken by \u escapes; `lines` escapes
 * line by line; `as-rendered`: the renderer escaped its text already (or its logging
 * commands are its purpose, their data escaped by each runner's rules).
 */
export type StdoutEscaping = 'json' | 'lines' | 'as-rendered';

interface FormatEntry<Name extends string> {
  name: Name;
  /** What the format is for, as `evaluate --help` lists it. */
  description: string;
  /**
   * The file under --out, `P4_PROD_READINESS_<KIND>_<label>.<extension>`: `label` is the
   * environment (for a format that renders one environment), or `all` with --env all.
   */
  fileName(label: string): string;
  /** Whether and how `--stdout <name>` prints it. */
  stdout: StdoutEscaping;
  /**
   * Logging commands a CI runner reads only from the step's standard output: printed
   * there whatever the format's place among the `--format`s (and written to the file).
   */
  logCommands: boolean;
}

/** A format that renders one environment's evaluation into that environment's file. */
export interface EvaluationFormat extends FormatEntry<EvaluationFormatName> {
  renders: 'evaluation';
  /** Written by every `evaluate`, asked for or not (the checklist and the report). */
  alwaysWritten: boolean;
  render(evaluation: Evaluation, context?: RenderContext): string;
}

/**
 * A format for CI and people that covers one or several environments in one file (with
 * `--env all`, one file for all of them): pure, from the reports and the pack's gates.
 */
export interface ReportsFormat extends FormatEntry<ReportsFormatName> {
  renders: 'reports';
  render(reports: Report[], gates: GateMeta[], options?: FormatOptions): RenderedFormat;
}

/** One output format; `renders` says what it renders, and so which render it has. */
export type OutputFormat = EvaluationFormat | ReportsFormat;

export type EvaluationFormatName = 'text' | 'json' | 'markdown';
export type ReportsFormatName =
  | 'junit'
  | 'sarif'
  | 'github'
  | 'html'
  | 'tap'
  | 'table'
  | 'azuredevops'
  | 'codequality';
export type FormatName = EvaluationFormatName | ReportsFormatName;

/** `P4_PROD_READINESS_<KIND>_<label>.<extension>`: one pattern for every output file. */
export function outputFileName(kind: string, label: string, extension: string): string {
  return `P4_PROD_READINESS_${kind}_${label}.${extension}`;
}

/** A reports format's entry: its file is `P4_PROD_READINESS_<kind>_<label>.<extension>`. */
export function reportsFormat(
  entry: Omit<ReportsFormat, 'renders' | 'fileName' | 'logCommands' | 'stdout'> & {
    kind: string;
    extension: string;
    logCommands?: boolean;
    stdout?: StdoutEscaping;
  },
): ReportsFormat {
  const { kind, extension, ...rest } = entry;
  return {
    stdout: 'as-rendered',
    logCommands: false,
    ...rest,
    renders: 'reports',
    fileName: (label) => outputFileName(kind, label, extension),
  };
}

/** A render that never cuts anything: no warnings. */
export const plain =
  (
    render: (reports: Report[], gates: GateMeta[], options?: FormatOptions) => string,
  ): ReportsFormat['render'] =>
  (reports, gates, options) => ({ content: render(reports, gates, options), warnings: [] });
