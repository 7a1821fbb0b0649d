import { rules as recommendedRules } from '@secretlint/secretlint-rule-preset-recommend';

/**
 * A maintained rule set for credentials: the scanner rules of secretlint's recommended
 * preset (@secretlint/secretlint-rule-preset-recommend, MIT; AWS, GCP, GitHub, GitLab-
 * free, npm, Slack, SendGrid, Shopify, OpenAI, Anthropic, Linear, 1Password, basic-auth
 * URLs, database connection strings, private keys), run synchronously on a text and
 * answering the character ranges they report.
 *
 * Linear time by construction, whatever the rules' regular expressions do: the text is
 * scanned in windows of WINDOW characters that overlap by OVERLAP, so each rule sees at
 * most WINDOW characters at a time and the number of windows grows linearly with the
 * text (cost <= (n / (WINDOW - OVERLAP) + 1) x cost of one window). A credential of at
 * most OVERLAP characters lies wholly inside some window, so none is missed at a window
 * edge; every token shape of the preset is shorter (the longest, a 1Password service
 * token, is at most 1,300 characters; private keys are found by redactPrivateKeys).
 */
export const WINDOW = 8192;
export const OVERLAP = 2048;

/** The part of secretlint's rule API the preset's scanner rules use (@secretlint/types). */
interface RuleContext {
  report(descriptor: { message?: unknown; range: readonly [number, number] }): void;
  ignore(descriptor: unknown): void;
  createTranslator(messages: unknown): (id: string, data?: unknown) => unknown;
}
interface RuleSource {
  content: string;
  ext: string;
  contentType: 'text';
}
interface RuleCreator {
  meta: { id: string; type?: string };
  create(
    context: RuleContext,
    options: Record<string, unknown>,
  ): { file?(source: RuleSource): unknown };
}

const RULES = (recommendedRules as unknown as RuleCreator[]).filter(
  (rule) =>
    rule.meta.type === 'scanner' && rule.meta.id !== '@secretlint/secretlint-rule-filter-comments',
);

/** The ids of the rules in use, for documentation and tests. */
export const SECRET_RULE_IDS: readonly string[] = RULES.map((rule) => rule.meta.id);

/** Character ranges [start, end) of credentials the rule set finds in a text, sorted. */
export function findSecretRanges(text: string): [number, number][] {
  const found: [number, number][] = [];
  for (const [start, end] of windowsOf(text.length)) {
    for (const [from, to] of scanWindow(text.slice(start, end)))
      found.push([start + from, start + to]);
  }
  return found.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
}

/**
 * The windows [start, end) a text of `length` characters is scanned in: each at most
 * WINDOW long, each starting WINDOW - OVERLAP after the one before, the last reaching
 * the end. Their number is at most length / (WINDOW - OVERLAP) + 1.
 */
export function windowsOf(length: number): [number, number][] {
  const windows: [number, number][] = [];
  for (let start = 0; ; start += WINDOW - OVERLAP) {
    windows.push([start, Math.min(length, start + WINDOW)]);
    if (start + WINDOW >= length) return windows;
  }
}

/** Where the rules' reports go while one window is scanned (the rules are created once). */
let reported: [number, number][] = [];

const HANDLERS = RULES.map((rule) =>
  rule.create(
    {
      report: ({ range }) => {
        if (Number.isInteger(range[0]) && Number.isInteger(range[1]) && range[1] > range[0])
          reported.push([range[0], range[1]]);
      },
      ignore: () => undefined,
      createTranslator: () => (id) => id,
    },
    {},
  ),
);

function scanWindow(content: string): [number, number][] {
  reported = [];
  const source: RuleSource = { content, ext: '.txt', contentType: 'text' };
  // Every scanner of the preset is synchronous for text; a promise (only for .p12 files) is not awaited.
  for (const handlers of HANDLERS) handlers.file?.(source);
  const ranges = reported;
  reported = [];
  return ranges;
}
