/** What `lstat`/`fstat` says a file is, as much of it as prodgate tells apart. */
export interface FileKindInfo {
  isDirectory(): boolean;
  isFIFO(): boolean;
  isSocket(): boolean;
  isCharacterDevice(): boolean;
  isBlockDevice(): boolean;
}

/**
 * What a file that is not a regular file is, for a diagnostic: `a directory`, `a FIFO
 * (named pipe)`, `a socket`, `a device`, or `a special file`.
 */
export function fileKindOf(info: FileKindInfo): string {
  if (info.isDirectory()) return 'a directory';
  if (info.isFIFO()) return 'a FIFO (named pipe)';
  if (info.isSocket()) return 'a socket';
  if (info.isCharacterDevice() || info.isBlockDevice()) return 'a device';
  return 'a special file';
}
