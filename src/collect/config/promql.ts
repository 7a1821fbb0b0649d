import { parser } from '@prometheus-io/lezer-promql';

/** A label matcher of a selector, as written (`route=~"/knowledge/.*"`). */
export interface LabelMatcher {
  name: string;
  op: '=' | '!=' | '=~' | '!~';
  value: string;
}

/** What a PromQL expression reads: its metric names and label matchers. */
export interface PromQLReads {
  /** Metric names of every selector, sorted, without duplicates. */
  metrics: string[];
  /** The label matchers of every selector (`__name__` included), in order. */
  matchers: LabelMatcher[];
}

/** Why an expression does not parse: a message and the 0-based offset in the expression. */
export class PromQLError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
  }
}

/** Longest expression parsed; a longer one is refused (the parser is linear, the bound keeps memory small). */
export const MAX_EXPRESSION_LENGTH = 64 * 1024;

/** Decodes a PromQL string literal ("…", '…' with Go escapes, or `…` raw). */
function unquote(literal: string): string {
  if (literal.startsWith('`')) return literal.slice(1, -1);
  const body = literal.slice(1, -1);
  return body.replace(/\\(u[0-9a-fA-F]{4}|x[0-9a-fA-F]{2}|[0-7]{3}|.)/g, (_, e: string) => {
    if (e[0] === 'u' || e[0] === 'x') return String.fromCodePoint(Number.parseInt(e.slice(1), 16));
    if (/^[0-7]{3}$/.test(e)) return String.fromCodePoint(Number.parseInt(e, 8));
    const simple: Record<string, string> = {
      n: '\n',
      t: '\t',
      r: '\r',
      a: '\x07',
      b: '\b',
      f: '\f',
      v: '\v',
    };
    return simple[e] ?? e;
  });
}

/**
 * Parses a PromQL expression with the Prometheus project's own grammar
 * (@prometheus-io/lezer-promql, the parser of the Prometheus UI) and returns the
 * metrics and label matchers it reads. The grammar is error-tolerant: any error node
 * makes the expression unparseable. Throws PromQLError with the offset of the error.
 */
export function readPromQL(expression: string): PromQLReads {
  if (expression.length > MAX_EXPRESSION_LENGTH)
    throw new PromQLError(`expression longer than ${MAX_EXPRESSION_LENGTH} characters`, 0);
  if (expression.trim() === '') throw new PromQLError('empty expression', 0);
  const tree = parser.parse(expression);
  const metrics = new Set<string>();
  const matchers: LabelMatcher[] = [];
  let error: PromQLError | undefined;
  const cursor = tree.cursor();
  do {
    const node = cursor.node;
    if (node.type.isError) {
      error ??= new PromQLError(
        node.from >= expression.length
          ? 'the expression ends too early'
          : `unexpected ${JSON.stringify(expression.slice(node.from, Math.max(node.to, node.from + 1)).slice(0, 40))}`,
        node.from,
      );
      continue;
    }
    if (node.name === 'VectorSelector') {
      const id = node.getChild('Identifier');
      if (id) metrics.add(expression.slice(id.from, id.to));
    } else if (node.name === 'UnquotedLabelMatcher' || node.name === 'QuotedLabelMatcher') {
      const nameNode = node.getChild('LabelName') ?? node.getChild('QuotedLabelName');
      const op = node.getChild('MatchOp');
      const value = node.getChild('StringLiteral');
      if (!nameNode || !op || !value) continue;
      const rawName = expression.slice(nameNode.from, nameNode.to);
      const name = nameNode.name === 'QuotedLabelName' ? unquote(rawName) : rawName;
      const matcher: LabelMatcher = {
        name,
        op: expression.slice(op.from, op.to) as LabelMatcher['op'],
        value: unquote(expression.slice(value.from, value.to)),
      };
      matchers.push(matcher);
      if (name === '__name__' && matcher.op === '=') metrics.add(matcher.value);
    } else if (node.name === 'LabelMatchers') {
      // `{"metric.name"}`: a bare quoted name is the metric (Prometheus 3 UTF-8 names).
      for (const child of node.getChildren('QuotedLabelName')) {
        const literal = child.getChild('StringLiteral');
        if (literal) metrics.add(unquote(expression.slice(literal.from, literal.to)));
      }
    }
  } while (cursor.next());
  if (error) throw error;
  return { metrics: [...metrics].sort(), matchers };
}
