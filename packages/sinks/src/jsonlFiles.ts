import { filesOf } from './internal/jsonlFile.js';

/**
 * The files a {@link jsonlSink} on `path` has written: rotated ones oldest first, then `path`
 * itself if it exists. Read each with {@link readJsonl}.
 */
export function jsonlFiles(path: string): Promise<string[]> {
  return filesOf(path);
}
