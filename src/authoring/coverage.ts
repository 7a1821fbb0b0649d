/** `opa test --coverage --format json`: per file, the covered and not covered line ranges. */
export interface OpaCoverageReport {
  files?: Record<
    string,
    {
      covered_lines?: number;
      not_covered_lines?: number;
      not_covered?: { start: { row: number }; end: { row: number } }[];
    }
  >;
}

export interface FileCoverage {
  file: string;
  percent: number;
  covered: number;
  notCovered: number;
  /** The uncovered lines as ranges, `12-14`, for the message. */
  uncovered: string[];
}

export interface PolicyCoverage {
  /** Covered lines of the policies (the _test.rego files do not count), in percent. */
  percent: number;
  covered: number;
  total: number;
  files: FileCoverage[];
}

/**
 * Coverage of the policy sources only: the test files are always fully "covered" by
 * running them, so counting them would flatter the number. A file no test reaches
 * (OPA reports only its uncovered lines) counts with 0 covered lines.
 */
export function policyCoverage(report: OpaCoverageReport): PolicyCoverage {
  const files: FileCoverage[] = [];
  for (const [file, c] of Object.entries(report.files ?? {})) {
    if (file.endsWith('_test.rego')) continue;
    // OPA's ranges overlap (a rule and its body): count distinct rows.
    const rows = new Set<number>();
    for (const r of c.not_covered ?? [])
      for (let row = r.start.row; row <= r.end.row; row++) rows.add(row);
    const covered = c.covered_lines ?? 0;
    const notCovered = c.not_covered_lines ?? rows.size;
    if (covered + notCovered === 0) continue;
    const uncovered = ranges([...rows].sort((a, b) => a - b));
    files.push({
      file,
      percent: (100 * covered) / (covered + notCovered),
      covered,
      notCovered,
      uncovered,
    });
  }
  files.sort((a, b) => a.percent - b.percent || (a.file < b.file ? -1 : 1));
  const covered = files.reduce((n, f) => n + f.covered, 0);
  const total = files.reduce((n, f) => n + f.covered + f.notCovered, 0);
  return { percent: total === 0 ? 0 : (100 * covered) / total, covered, total, files };
}

/** One decimal, rounded down: 89.96% must not print as a passing 90.0%. */
export function formatPercent(p: number): string {
  return `${(Math.floor(p * 10) / 10).toFixed(1)}%`;
}

function ranges(rows: number[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < rows.length; ) {
    let j = i;
    while (j + 1 < rows.length && rows[j + 1] === (rows[j] as number) + 1) j++;
    out.push(i === j ? `${rows[i]}` : `${rows[i]}-${rows[j]}`);
    i = j + 1;
  }
  return out;
}
