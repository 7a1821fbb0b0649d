/**
 * Cuts a text to at most `max` UTF-16 code units, marking the cut with an ellipsis
 * (which counts toward `max`). Never leaves half of a surrogate pair behind.
 */
export function clampText(text: string, max: number): string {
  if (text.length <= max) return text;
  let cut = text.slice(0, max - 1);
  if (/[\ud800-\udbff]$/.test(cut)) cut = cut.slice(0, -1);
  return `${cut}…`;
}
