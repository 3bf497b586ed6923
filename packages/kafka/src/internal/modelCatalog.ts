import type { JsonValue, LearnerSnapshot, ModelVersion } from '@tributary/core';

/** Identity of one save: the model name, the saving store instance and its save counter. */
export interface ModelKey {
  readonly name: string;
  readonly writer: string;
  readonly seq: number;
}

/** The record key of a save: unique per save, so compaction keeps every version until a tombstone. */
export function encodeModelKey(key: ModelKey): string {
  return JSON.stringify([key.name, key.writer, key.seq]);
}

/** The record value of a save (the version number is not in it: it is the record's offset + 1). */
export function encodeModelValue(
  name: string,
  snapshot: LearnerSnapshot,
  savedAt: number,
  metadata: { readonly [key: string]: JsonValue },
): string {
  return JSON.stringify({ format: 1, name, savedAt, metadata, snapshot });
}

/** Parses a record key written by {@link encodeModelKey}; throws on anything else. */
export function decodeModelKey(text: string): ModelKey {
  const parsed: unknown = JSON.parse(text);
  if (
    !Array.isArray(parsed) ||
    parsed.length !== 3 ||
    typeof parsed[0] !== 'string' ||
    typeof parsed[1] !== 'string' ||
    !Number.isInteger(parsed[2])
  ) {
    throw new Error(`not a model store key: ${text.slice(0, 200)}`);
  }
  return { name: parsed[0], writer: parsed[1], seq: parsed[2] as number };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The version stored at `offset` from its key and value; throws when the value is not one. */
export function decodeModelValue(key: ModelKey, offset: number, text: string): ModelVersion {
  const v: unknown = JSON.parse(text);
  if (
    !isObject(v) ||
    v.format !== 1 ||
    v.name !== key.name ||
    typeof v.savedAt !== 'number' ||
    !isObject(v.metadata) ||
    !isObject(v.snapshot) ||
    typeof v.snapshot.type !== 'string'
  ) {
    throw new Error(`not a model version of ${key.name} (format 1)`);
  }
  return {
    name: key.name,
    version: offset + 1,
    snapshot: v.snapshot as LearnerSnapshot,
    savedAt: v.savedAt,
    metadata: v.metadata as { readonly [key: string]: JsonValue },
  };
}

/** One live (not yet tombstoned) version; `model` is dropped once it is beyond `keep`. */
interface Entry {
  readonly key: string;
  readonly offset: number;
  model: ModelVersion | undefined;
}

/**
 * What a model topic holds, rebuilt from its records in offset order: per name, the live
 * versions. The newest `keep` of them are exposed; older ones stay as keys only (small), so
 * the writer can still send their tombstones, until a tombstone removes them.
 */
export class ModelCatalog {
  private readonly byName = new Map<string, Entry[]>();
  private readonly byKey = new Map<string, { name: string; entry: Entry }>();

  constructor(private readonly keep: number) {}

  /**
   * Applies the record at `offset`. Returns the version it adds, or undefined for a tombstone
   * or a record already applied (a follower that restarts reads the topic again).
   * Throws when a non-null value is not a model version.
   */
  apply(offset: number, key: string | null, value: string | null): ModelVersion | undefined {
    if (key === null) {
      if (value === null) return undefined;
      throw new Error('a model record without a key');
    }
    const known = this.byKey.get(key);
    if (value === null) {
      if (known !== undefined) this.remove(known.name, known.entry);
      return undefined;
    }
    if (known?.entry.offset === offset) return undefined;
    const id = decodeModelKey(key);
    const model = decodeModelValue(id, offset, value);
    // The same key again (a non-idempotent retry): the later record wins, as compaction decides.
    if (known !== undefined) this.remove(known.name, known.entry);
    const entry: Entry = { key, offset, model };
    let list = this.byName.get(id.name);
    if (list === undefined) {
      list = [];
      this.byName.set(id.name, list);
    }
    let at = list.length;
    while (at > 0 && (list[at - 1] as Entry).offset > offset) at--;
    list.splice(at, 0, entry);
    this.byKey.set(key, { name: id.name, entry });
    for (let i = 0; i < list.length - this.keep; i++) (list[i] as Entry).model = undefined;
    return model;
  }

  /** Names with at least one live version, sorted. */
  names(): string[] {
    return [...this.byName.keys()].sort();
  }

  /** Exposed versions of `name` (at most `keep`), oldest first. */
  versions(name: string): ModelVersion[] {
    const out: ModelVersion[] = [];
    for (const e of this.byName.get(name) ?? []) if (e.model !== undefined) out.push(e.model);
    return out;
  }

  /** Record keys of the live versions of `name` beyond `keep`, oldest first: the ones to tombstone. */
  expired(name: string): string[] {
    const list = this.byName.get(name) ?? [];
    return list.slice(0, Math.max(0, list.length - this.keep)).map((e) => e.key);
  }

  private remove(name: string, entry: Entry): void {
    this.byKey.delete(entry.key);
    const list = this.byName.get(name);
    if (list === undefined) return;
    const i = list.indexOf(entry);
    if (i >= 0) list.splice(i, 1);
    if (list.length === 0) this.byName.delete(name);
  }
}
