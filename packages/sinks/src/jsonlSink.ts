import { mkdir, rename } from 'node:fs/promises';
import { dirname } from 'node:path';
import { errorCode, errorMessage, invalidOption, type OutRecord, type Sink } from '@tributary/core';
import {
  type FileState,
  openForAppend,
  rotatedPath,
  syncDir,
  writeAll,
} from './internal/jsonlFile.js';
import { closedError, sinkError } from './internal/sinkError.js';
import { recordValue, toJson } from './internal/toJson.js';

/** When {@link jsonlSink} starts a new file. Both may be set; the first one reached wins. */
export interface JsonlRotation {
  /** Start a new file before a line would take the current one past this size. */
  readonly maxBytes?: number;
  /** Start a new file at the first write once the current one is this old. */
  readonly maxAgeMs?: number;
}

/** Options of {@link jsonlSink}. */
export interface JsonlSinkOptions<V> {
  /** Name in metrics, logs and dead-letter headers. Default `jsonl:<path>`. */
  readonly name?: string;
  /** What each line holds, as JSON. Default: the record's value. */
  readonly format?: (record: OutRecord<V>) => unknown;
  /** When to start a new file (the current one is renamed aside). Default: never. */
  readonly rotate?: JsonlRotation;
  /**
   * fdatasync the file before `write` resolves (survives power loss). Default true. With
   * false a write resolves once the OS has the bytes (survives a crash of the process, not
   * of the machine) and the file is synced on flush and close.
   */
  readonly fsync?: boolean;
}

/**
 * Appends one JSON line per record to `path`. Each batch is one `write` of its whole text,
 * then fdatasync, before the returned promise resolves, so offsets are committed only for
 * lines on disk. Rotation renames the file to `<stem>-<UTC time>[-n]<ext>` between lines,
 * never inside one. A crash mid-write can leave a partial last line; {@link readJsonl} skips
 * it and the sink cuts it off when it opens the file again (its records were never
 * acknowledged, so they are delivered again). One writer per file.
 */
export function jsonlSink<V>(path: string, options: JsonlSinkOptions<V> = {}): Sink<V> {
  if (typeof path !== 'string' || path === '') throw invalidOption('path', 'a file path', path);
  const maxBytes = options.rotate?.maxBytes;
  const maxAgeMs = options.rotate?.maxAgeMs;
  if (maxBytes !== undefined && !(Number.isInteger(maxBytes) && maxBytes > 0)) {
    throw invalidOption('rotate.maxBytes', 'an integer > 0', maxBytes);
  }
  if (maxAgeMs !== undefined && !(Number.isFinite(maxAgeMs) && maxAgeMs > 0)) {
    throw invalidOption('rotate.maxAgeMs', 'a number > 0', maxAgeMs);
  }
  const name = options.name ?? `jsonl:${path}`;
  const format = options.format ?? recordValue;
  const sync = options.fsync ?? true;
  let file: FileState | undefined;
  let closed = false;

  const failed = (action: string, cause: unknown) =>
    sinkError('SINK_FILE_FAILED', `${name}: could not ${action} ${path}: ${errorMessage(cause)}`, {
      cause,
      details: { path, action, errno: errorCode(cause) },
      retryable: true,
    });

  const current = async (): Promise<FileState> => {
    if (file !== undefined) return file;
    try {
      await mkdir(dirname(path), { recursive: true });
      file = await openForAppend(path, sync);
    } catch (cause) {
      throw failed('open', cause);
    }
    return file;
  };

  const append = async (text: string): Promise<void> => {
    const f = await current();
    const bytes = Buffer.from(text, 'utf8');
    try {
      await writeAll(f.handle, bytes);
      if (sync) await f.handle.datasync();
    } catch (cause) {
      // Reopening cuts off whatever part of the batch did land, so a retry appends cleanly.
      file = undefined;
      await f.handle.close().catch(() => {});
      throw failed('append to', cause);
    }
    f.size += bytes.length;
  };

  const rotate = async (): Promise<void> => {
    const f = await current();
    file = undefined;
    try {
      await f.handle.close();
      await rename(path, await rotatedPath(path));
      if (sync) await syncDir(path);
    } catch (cause) {
      throw failed('rotate', cause);
    }
  };

  return {
    name,
    // Opening at start fails fast on a bad path and cuts off a partial line left by a crash.
    open: async () => {
      await current();
    },
    write: async (records) => {
      if (closed) throw closedError(name);
      // Every line is made before any byte is written: a bad value fails its batch cleanly.
      const lines = records.map((r, i) => `${toJson(format(r), name, i)}\n`);
      let f = await current();
      if (maxAgeMs !== undefined && f.size > 0 && Date.now() - f.startedAt >= maxAgeMs) {
        await rotate();
        f = await current();
      }
      let pending = '';
      let pendingBytes = 0;
      for (const line of lines) {
        const bytes = Buffer.byteLength(line, 'utf8');
        if (
          maxBytes !== undefined &&
          f.size + pendingBytes > 0 &&
          f.size + pendingBytes + bytes > maxBytes
        ) {
          if (pending !== '') await append(pending);
          await rotate();
          f = await current();
          pending = '';
          pendingBytes = 0;
        }
        pending += line;
        pendingBytes += bytes;
      }
      if (pending !== '') await append(pending);
    },
    flush: async () => {
      if (file === undefined) return;
      try {
        await file.handle.datasync();
      } catch (cause) {
        throw failed('sync', cause);
      }
    },
    close: async () => {
      closed = true;
      const f = file;
      file = undefined;
      if (f === undefined) return;
      try {
        await f.handle.datasync();
        await f.handle.close();
      } catch (cause) {
        throw failed('close', cause);
      }
    },
  };
}
