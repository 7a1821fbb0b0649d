import type { SourcePosition } from './diagnostics.js';

/**
 * Maps string offsets to 1-based line/column, by binary search over line starts.
 * Line breaks are YAML 1.2's (§5.4: LF, CRLF and a lone CR), which are also the
 * ones editors honour in JSON: a file saved with classic Mac line ends must not be
 * reported as one long line. A CRLF pair is one break. Columns count UTF-16 code
 * units, as editors and SARIF's default columnKind do.
 */
export class LineIndex {
  private readonly starts: number[] = [0];

  constructor(text: string) {
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 0x0a) this.starts.push(i + 1);
      else if (c === 0x0d && text.charCodeAt(i + 1) !== 0x0a) this.starts.push(i + 1);
    }
  }

  at(offset: number): SourcePosition {
    const line = this.lineOf(offset);
    return { line: line + 1, column: offset - (this.starts[line] ?? 0) + 1 };
  }

  /** The offset where the line holding `offset` starts. */
  lineStart(offset: number): number {
    return this.starts[this.lineOf(offset)] ?? 0;
  }

  /** The offset where the line before the one holding `offset` starts, or undefined on the first line. */
  previousLineStart(offset: number): number | undefined {
    const line = this.lineOf(offset);
    return line > 0 ? this.starts[line - 1] : undefined;
  }

  private lineOf(offset: number): number {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((this.starts[mid] ?? 0) <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }
}
