/**
 * One escaping function per place prodgate shows text (a "sink"). Text from evidence,
 * and from reports read back by `verify` and `diff`, is data: wherever it is shown it
 * must read as written and never act on the place it is shown in (move the cursor,
 * hide a line, run a CI workflow command, open a Markdown heading or an HTML tag).
 *
 *   terminal  escapeTerminal   control and invisible characters shown as `\n`, `\u001b`
 *   CI log    escapeCiLog      escapeTerminal, then workflow commands neutralised
 *   Markdown  escapeMarkdown   inline text that cannot open a block or markup
 *             escapeMarkdownCode   text inside a template's code span
 *   HTML      escapeHtml       text or attribute value
 *   XML       escapeXmlText / escapeXmlAttribute
 *
 * Apply the function where the text is written out (the renderer of that sink), to the
 * whole line or value, after redaction. Bottom layer: imports nothing of prodgate.
 * Every function is a fixed set of single-pass replacements: linear in the text.
 */

// Control characters (C0, DEL, C1 with the 8-bit CSI), format characters (zero-width,
// bidirectional overrides and isolates as in "Trojan Source", soft hyphen, BOM, tag
// characters), line and paragraph separators, and lone surrogates.
const INVISIBLE_OR_CONTROL = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}]/gu;
const NAMED: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/**
 * Text for a terminal, on one line: every control, format and separator character
 * becomes a visible escape (`\n`, `\t`, `\u001b`, `\u200b`, `\u{e0041}`), so an ANSI
 * escape sequence cannot recolour, hide or overwrite output and a line break cannot
 * start a forged line. Printable text, including non-Latin scripts and emoji, is kept.
 */
export function escapeTerminal(text: string): string {
  return text.replace(INVISIBLE_OR_CONTROL, (c) => NAMED[c] ?? codePointEscape(c));
}

function codePointEscape(c: string): string {
  const code = c.codePointAt(0) ?? 0;
  return code > 0xffff ? `\\u{${code.toString(16)}}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

// GitHub Actions `::name ...::` (and the `::stop-commands::` resume token), anywhere.
const DOUBLE_COLON = /::/g;
// Azure Pipelines `##vso[...]` and `##[group]`, TeamCity `##teamcity[...]`: `##`, a
// short run of letters, `[` (any case, as the Azure agent matches).
const HASH_COMMAND = /##(?=[A-Za-z]{0,16}\[)/g;

/**
 * One line for a CI log (GitHub Actions, Azure Pipelines, TeamCity, GitLab): the line
 * escaped as for a terminal (CI logs render ANSI), then every workflow-command opener
 * broken by a backslash wherever it appears in the line: `::` becomes `:\:`, `##vso[`
 * becomes `#\#vso[`, `##[` becomes `#\#[`. The reader still sees what was written; no
 * runner parses a command (GitHub reads them at a line's start, Azure anywhere).
 */
export function escapeCiLog(text: string): string {
  return escapeTerminal(text).replace(DOUBLE_COLON, ':\\:').replace(HASH_COMMAND, '#\\#');
}

/**
 * Azure Pipelines / TeamCity command openers (`##vso[`, `##[`, `##teamcity[`) broken by
 * a backslash (`#\#vso[`), for text whose `::` the sink already encodes itself (a
 * GitHub workflow command's message): Azure finds a command anywhere in a line.
 */
export function breakHashCommands(text: string): string {
  return text.replace(HASH_COMMAND, '#\\#');
}

/** Every line of a multi-line text escaped for a CI log; the line breaks themselves are kept. */
export function escapeCiLogLines(text: string): string {
  return text
    .split('\n')
    .map((line) => escapeCiLog(line))
    .join('\n');
}

// Characters with inline meaning in CommonMark and GitHub Flavored Markdown: escapes,
// code, emphasis, links and images, raw HTML and autolinks, tables, headings,
// strikethrough, math, entity references.
const MARKDOWN_INLINE = /[\\`*_[\]<>|#~$&]/g;
// What opens a block at the start of a line or list item and is not escaped above: a
// list item (`-`, `+`, `1.`, `1)`), a setext underline or thematic break (`=`, `-`).
// (`#`, `>` and `*` are inline characters, escaped wherever they are.)
const MARKDOWN_BLOCK_START = /^([ \t]*)(?:([-+=])|(\d{1,9})([.)]))/;

/**
 * Plain text inside a Markdown line (the checklist, the GitHub step summary): on one
 * line (a whitespace run holding a line break becomes a space, other controls are
 * escaped as for a terminal), every inline markup character backslash-escaped, and a
 * leading block marker escaped too, so the text cannot open a heading, a checkbox, a
 * list item, a block quote, a link, an image, raw HTML or a table cell wherever in
 * the line it is placed. Renders as the text written.
 */
export function escapeMarkdown(text: string): string {
  const inline = flattenLines(text).replace(MARKDOWN_INLINE, '\\$&');
  return inline.replace(
    MARKDOWN_BLOCK_START,
    (_all, indent: string, marker?: string, digits?: string, dot?: string) =>
      marker !== undefined ? `${indent}\\${marker}` : `${indent}${digits}\\${dot}`,
  );
}

/**
 * Text inside a code span the template opened (`` `{{release:/owner}}` ``): one line,
 * and no backtick, which is the only character that could end the span (it becomes
 * `'`). Everything else inside a code span is shown literally.
 */
export function escapeMarkdownCode(text: string): string {
  return flattenLines(text).replace(/`/g, "'");
}

/**
 * A whitespace run holding a line break becomes one space, then the remaining control
 * and invisible characters are escaped. (Not one regex of whitespace around line
 * breaks: on a long run of spaces without a break that backtracks quadratically.)
 */
export function flattenLines(text: string): string {
  return escapeTerminal(
    text.replace(/\s+/g, (run) => (/[\r\n\u2028\u2029]/.test(run) ? ' ' : run)),
  );
}

/**
 * JSON text (a report, a verify or diff result, SARIF) printed where a CI log may show
 * it: the same JSON value, with every control and invisible character inside strings
 * written as a `\uXXXX` escape and the workflow-command openers broken by one (`::`
 * becomes `:\u003a`, `##vso[` becomes `#\u0023vso[`). Outside strings valid JSON holds
 * only whitespace, which is kept. A file's bytes (canonical JSON) are not changed; this
 * is for the copy on stdout.
 */
export function escapeJsonForLog(json: string): string {
  return json
    .replace(INVISIBLE_OR_CONTROL, (c) =>
      c === '\n' || c === '\r' || c === '\t' ? c : jsonEscape(c),
    )
    .replace(DOUBLE_COLON, ':\\u003a')
    .replace(HASH_COMMAND, '#\\u0023');
}

function jsonEscape(c: string): string {
  let out = '';
  for (let i = 0; i < c.length; i++) out += `\\u${c.charCodeAt(i).toString(16).padStart(4, '0')}`;
  return out;
}

/** Text or an attribute value, safe anywhere in an HTML page; CI commands broken by a character reference. */
export function escapeHtml(text: string): string {
  const escaped = text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
  return neutraliseWithReferences(escaped);
}

// Characters XML 1.0 cannot carry at all (most C0 controls, lone surrogates, U+FFFE/F).
const NOT_XML = /[^\t\n\r\x20-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

/** XML element text: characters XML cannot carry become U+FFFD, markup characters entities, CI commands broken. */
export function escapeXmlText(text: string): string {
  return neutraliseWithReferences(
    text
      .replace(NOT_XML, '\uFFFD')
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;'),
  );
}

/**
 * An XML attribute value, on one line: parsers turn line breaks in attributes into
 * spaces anyway, and not every viewer decodes `&#10;`.
 */
export function escapeXmlAttribute(text: string): string {
  return escapeXmlText(text.replace(/\s+/g, ' ').trim())
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

/**
 * In HTML or XML printed to a CI log, `::` and `##vso[` are written with a character
 * reference (`:&#58;`, `#&#35;vso[`): the page reads the same, the log runs nothing.
 */
function neutraliseWithReferences(markup: string): string {
  return markup.replace(DOUBLE_COLON, ':&#58;').replace(HASH_COMMAND, '#&#35;');
}
