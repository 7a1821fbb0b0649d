import { open, stat } from 'node:fs/promises';

/** GitHub refuses a step summary over 1 MiB: the step's whole summary file, not one write. */
export const STEP_SUMMARY_LIMIT = 1024 * 1024;

export interface StepSummaryResult {
  written: boolean;
  truncated: boolean;
}

/**
 * Appends markdown to the job summary file ($GITHUB_STEP_SUMMARY, passed in by the
 * CLI), when there is one. One write on a file opened for appending, so that other
 * writers to the same summary interleave whole blocks, never a torn line. The text is
 * cut, at a line, to what still fits under GitHub's 1 MiB limit, with a note saying so.
 */
export async function appendStepSummary(
  path: string | undefined,
  markdown: string,
): Promise<StepSummaryResult> {
  if (!path) return { written: false, truncated: false };
  const existing = await stat(path).then(
    (s) => s.size,
    () => 0,
  );
  const block = fitSummary(`${markdown.replace(/\n*$/, '')}\n\n`, STEP_SUMMARY_LIMIT - existing);
  if (!block) return { written: false, truncated: true };
  const handle = await open(path, 'a', 0o644);
  try {
    const { bytesWritten } = await handle.write(block.bytes);
    if (bytesWritten !== block.bytes.length)
      throw new Error(`step summary ${path}: wrote ${bytesWritten} of ${block.bytes.length} bytes`);
  } finally {
    await handle.close();
  }
  return { written: true, truncated: block.truncated };
}

const TRUNCATED =
  '\n\n> The rest of this report is cut here: GitHub limits a step summary to 1 MiB. See the checklist in the job artifacts.\n\n';

function fitSummary(text: string, room: number): { bytes: Buffer; truncated: boolean } | undefined {
  const bytes = Buffer.from(text, 'utf8');
  if (bytes.length <= room) return { bytes, truncated: false };
  const note = Buffer.from(TRUNCATED, 'utf8');
  if (room <= note.length) return undefined;
  // Cut at the last line break that fits: never inside a UTF-8 sequence or a table row.
  const cut = bytes.subarray(0, room - note.length).lastIndexOf(0x0a);
  return { bytes: Buffer.concat([bytes.subarray(0, Math.max(cut, 0)), note]), truncated: true };
}
