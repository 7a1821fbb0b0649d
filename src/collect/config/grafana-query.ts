/**
 * Grafana template variables in a PromQL query, replaced before parsing so that the
 * query parses as Prometheus would see it once Grafana interpolated it. Inside string
 * literals a variable is text and stays; outside, in a range or offset (`[$__rate_interval]`)
 * it becomes a duration, elsewhere the identifier VARIABLE (a metric name that holds
 * it is not a known metric).
 */
export const VARIABLE = 'grafana_template_variable';

/** `$name`, `${name}`, `${name:format}`, `[[name]]`, `[[name:format]]`. */
const REFERENCE =
  /\$\{[A-Za-z0-9_.]+(?::[^}]{0,100})?\}|\$[A-Za-z0-9_]+|\[\[[A-Za-z0-9_.]+(?::[^\]]{0,100})?\]\]/y;

export function interpolate(query: string): string {
  let out = '';
  let quote: string | undefined;
  let brackets = 0;
  for (let i = 0; i < query.length; ) {
    const c = query[i] as string;
    if (quote) {
      out += c;
      if (c === '\\' && quote !== '`') {
        out += query[i + 1] ?? '';
        i += 2;
        continue;
      }
      if (c === quote) quote = undefined;
      i++;
      continue;
    }
    if (c === '"' || c === "'" || c === '`') {
      quote = c;
      out += c;
      i++;
      continue;
    }
    if (c === '#') {
      // a comment runs to the end of the line
      const end = query.indexOf('\n', i);
      out += end < 0 ? query.slice(i) : query.slice(i, end);
      i = end < 0 ? query.length : end;
      continue;
    }
    REFERENCE.lastIndex = i;
    const ref = c === '$' || (c === '[' && query[i + 1] === '[') ? REFERENCE.exec(query) : null;
    if (ref) {
      out += brackets > 0 ? '5m' : VARIABLE;
      i += ref[0].length;
      continue;
    }
    if (c === '[') brackets++;
    if (c === ']') brackets = Math.max(0, brackets - 1);
    out += c;
    i++;
  }
  return out;
}
