import { type FileHandle, open, readdir, stat } from 'node:fs/promises';
import { basename, dirname, extname, join } from 'node:path';

/** The file a JSONL sink appends to. */
export interface FileState {
  readonly handle: FileHandle;
  /** Bytes in the file, all of them whole lines. */
  size: number;
  /** When the file was started (ms since the epoch), for age rotation. */
  readonly startedAt: number;
}

/**
 * Opens `path` for appending. A last line without its newline is what a crash mid-write
 * leaves: it was never acknowledged, so it is cut off before anything is appended after it.
 */
export async function openForAppend(path: string, sync: boolean): Promise<FileState> {
  const handle = await open(path, 'a+');
  try {
    const info = await handle.stat();
    let size = info.size;
    if (size === 0) {
      if (sync) await syncDir(path);
      return { handle, size, startedAt: Date.now() };
    }
    const whole = await lastNewlineEnd(handle, size);
    if (whole < size) {
      await handle.truncate(whole);
      if (sync) await handle.datasync();
      size = whole;
    }
    // After a restart the file's age counts from its creation (or last change where the
    // file system keeps no birth time).
    return { handle, size, startedAt: info.birthtimeMs > 0 ? info.birthtimeMs : info.mtimeMs };
  } catch (error) {
    await handle.close().catch(() => {});
    throw error;
  }
}

/** Offset just past the last `\n` of the file (0 if it has none), reading backwards. */
async function lastNewlineEnd(handle: FileHandle, size: number): Promise<number> {
  const chunk = Buffer.alloc(64 * 1024);
  let end = size;
  while (end > 0) {
    const start = Math.max(0, end - chunk.length);
    const { bytesRead } = await handle.read(chunk, 0, end - start, start);
    const at = chunk.subarray(0, bytesRead).lastIndexOf(0x0a);
    if (at >= 0) return start + at + 1;
    end = start;
  }
  return 0;
}

/** Writes every byte (a single write may be short), appending. */
export async function writeAll(handle: FileHandle, bytes: Buffer): Promise<void> {
  let done = 0;
  while (done < bytes.length) {
    const { bytesWritten } = await handle.write(bytes, done, bytes.length - done, null);
    done += bytesWritten;
  }
}

/** Syncs the folder of `path`, so a created or renamed file survives power loss. */
export async function syncDir(path: string): Promise<void> {
  const dir = await open(dirname(path), 'r');
  try {
    await dir.sync();
  } finally {
    await dir.close();
  }
}

const STAMP = /^-(\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}-\d{3}Z)(?:-(\d+))?$/;

/** A free name for the rotated file: `<stem>-<UTC time>[-n]<ext>` beside `path`. */
export async function rotatedPath(path: string, now = new Date()): Promise<string> {
  const ext = extname(path);
  const stem = join(dirname(path), basename(path, ext));
  const stamp = now.toISOString().replace(/[:.]/g, '-');
  for (let n = 0; ; n++) {
    const candidate = `${stem}-${stamp}${n === 0 ? '' : `-${n}`}${ext}`;
    try {
      await stat(candidate);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return candidate;
      throw error;
    }
  }
}

/** Rotated files of `path`, oldest first, then `path` itself if it exists. */
export async function filesOf(path: string): Promise<string[]> {
  const ext = extname(path);
  const stem = basename(path, ext);
  const dir = dirname(path);
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  const rotated: { name: string; stamp: string; n: number }[] = [];
  let current = false;
  for (const name of names) {
    if (name === basename(path)) current = true;
    if (!name.startsWith(`${stem}-`) || !name.endsWith(ext)) continue;
    const m = STAMP.exec(name.slice(stem.length, name.length - ext.length));
    if (m !== null) rotated.push({ name, stamp: m[1] as string, n: Number(m[2] ?? 0) });
  }
  rotated.sort((a, b) => (a.stamp < b.stamp ? -1 : a.stamp > b.stamp ? 1 : a.n - b.n));
  const files = rotated.map((r) => join(dir, r.name));
  if (current) files.push(path);
  return files;
}
