import { appendFile, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  type Bytes,
  type Headers,
  type Key,
  type MemoryBus,
  memoryBus,
  type TopicPartitionOffset,
  type TRecord,
  TributaryError,
} from '@tributary/core';
import type { CliErrorCode } from './cliErrorCode.js';
import { bytesFromJson, bytesToJson, headersToJson } from './internal/bytesJson.js';

/**
 * A {@link memoryBus} kept in a directory between processes (the CLI's `--dev <dir>`), so
 * `tributary produce` in one command and `tributary tail` in the next see the same topics
 * without Kafka. `save()` appends the records written since the load and stores committed
 * offsets; `refresh()` reads what other processes appended since.
 */
export interface DevBus extends MemoryBus {
  /** The directory the topics, records and committed offsets live in. */
  readonly dir: string;
  /** Appends new records to the topic files and writes topics and committed offsets to `topics.json`. */
  save(): Promise<void>;
  /** Loads records other processes appended since the load (or the last refresh); resolves with their number. */
  refresh(): Promise<number>;
}

/** `topics.json`: partitions per topic and committed offsets per group. */
interface DevIndex {
  readonly format: 1;
  readonly topics: Record<string, { partitions: number; config?: Record<string, string> }>;
  readonly groups: Record<string, TopicPartitionOffset[]>;
}

/** One line of `topics/<topic>.jsonl`; a record's offset is its place among its partition's lines. */
interface DevLine {
  readonly partition: number;
  readonly timestamp: number;
  readonly key: unknown;
  readonly value: unknown;
  readonly headers?: Record<string, unknown>;
}

const badInput = (message: string, details: Record<string, unknown>) =>
  new TributaryError<CliErrorCode>('CLI_BAD_INPUT', message, { details, retryable: false });

async function readIndex(dir: string): Promise<DevIndex> {
  const file = join(dir, 'topics.json');
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT')
      return { format: 1, topics: {}, groups: {} };
    throw error;
  }
  const index = JSON.parse(text) as DevIndex;
  if (index?.format !== 1 || typeof index.topics !== 'object' || typeof index.groups !== 'object') {
    throw badInput(`${file} is not a tributary dev directory index (format 1)`, { file });
  }
  return index;
}

const topicFile = (dir: string, topic: string) =>
  join(dir, 'topics', `${encodeURIComponent(topic)}.jsonl`);

async function readLines(dir: string, topic: string): Promise<DevLine[]> {
  const file = topicFile(dir, topic);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  const out: DevLine[] = [];
  const lines = text.split('\n');
  // A last line without its newline is a write under way in another process: read it next time.
  for (let i = 0; i < lines.length - 1; i++) {
    const line = lines[i] as string;
    if (line.trim() === '') continue;
    try {
      out.push(JSON.parse(line) as DevLine);
    } catch (cause) {
      throw badInput(`${file}:${i + 1} is not JSON: ${(cause as Error).message}`, {
        file,
        line: i + 1,
      });
    }
  }
  return out;
}

function toLine(r: TRecord<Bytes>): string {
  const line: DevLine = {
    partition: r.partition,
    timestamp: r.timestamp,
    key: bytesToJson(r.key),
    value: bytesToJson(r.value),
    ...(Object.keys(r.headers).length > 0 ? { headers: headersToJson(r.headers) } : {}),
  };
  return `${JSON.stringify(line)}\n`;
}

async function writeAtomic(file: string, text: string): Promise<void> {
  const tmp = `${file}.${process.pid}.tmp`;
  await writeFile(tmp, text);
  await rename(tmp, file);
}

/**
 * Opens (creating when missing) a dev directory as a memory bus: `topics.json` holds the
 * topics' partition counts and groups' committed offsets, `topics/<topic>.jsonl` one record
 * per line (partition, timestamp, key, value and headers; text as is, other bytes as
 * `{ "base64": ... }`). One writing process at a time: two that append to the same topic at
 * once both keep their records, but offsets are numbered by line order when read.
 */
export async function devBus(dir: string): Promise<DevBus> {
  await mkdir(join(dir, 'topics'), { recursive: true });
  const bus = memoryBus();
  // Lines of each topic's file already in `bus`, per partition; records beyond are new.
  const loaded = new Map<string, number[]>();
  const groups = new Set<string>();

  const load = async (): Promise<number> => {
    const index = await readIndex(dir);
    let added = 0;
    for (const [topic, spec] of Object.entries(index.topics)) {
      if (!loaded.has(topic)) {
        await bus.admin.ensureTopics([
          { topic, partitions: spec.partitions, ...(spec.config ? { config: spec.config } : {}) },
        ]);
        loaded.set(topic, new Array(spec.partitions).fill(0));
      }
      const seen = loaded.get(topic) as number[];
      const inFile = new Array<number>(seen.length).fill(0);
      const fresh: {
        partition: number;
        key: Key;
        value: Bytes;
        headers: Headers;
        timestamp: number;
      }[] = [];
      for (const line of await readLines(dir, topic)) {
        const p = line.partition;
        if (!Number.isInteger(p) || p < 0 || p >= seen.length) {
          throw badInput(`${topicFile(dir, topic)}: partition ${p} out of range`, { topic });
        }
        inFile[p] = (inFile[p] as number) + 1;
        if ((inFile[p] as number) <= (seen[p] as number)) continue;
        const headers: Record<string, Uint8Array> = {};
        for (const [name, v] of Object.entries(line.headers ?? {})) {
          headers[name] = bytesFromJson(v, `header ${name}`) ?? Buffer.alloc(0);
        }
        fresh.push({
          partition: p,
          key: bytesFromJson(line.key, 'key'),
          value: bytesFromJson(line.value, 'value'),
          headers,
          timestamp: line.timestamp,
        });
      }
      if (fresh.length > 0) bus.produce(topic, fresh);
      for (let p = 0; p < seen.length; p++)
        seen[p] = Math.max(seen[p] as number, inFile[p] as number);
      added += fresh.length;
    }
    for (const [group, offsets] of Object.entries(index.groups)) {
      // Another process's commits win over ours only for groups this one did not touch.
      if (groups.has(group)) continue;
      for (const topic of new Set(offsets.map((o) => o.topic))) {
        if (!loaded.has(topic)) continue;
        await bus.admin.resetOffsets(
          group,
          topic,
          offsets.filter((o) => o.topic === topic),
        );
      }
    }
    return added;
  };
  await load();

  const save = async (): Promise<void> => {
    const index = await readIndex(dir);
    const topics = { ...index.topics };
    for (const topic of await bus.admin.listTopics()) {
      const partitions = await bus.admin.partitions(topic);
      topics[topic] ??= { partitions };
      const seen = loaded.get(topic) ?? new Array<number>(partitions).fill(0);
      const text = bus
        .records(topic)
        .filter((r) => r.offset >= (seen[r.partition] as number))
        .map(toLine)
        .join('');
      if (text !== '') await appendFile(topicFile(dir, topic), text);
      loaded.set(
        topic,
        (await bus.admin.offsets(topic, 'latest')).map((o) => o.offset),
      );
    }
    const groupOffsets = { ...index.groups };
    for (const group of groups) {
      const all: TopicPartitionOffset[] = [];
      for (const topic of await bus.admin.listTopics())
        all.push(...(await bus.admin.committed(group, topic)));
      if (all.length > 0) groupOffsets[group] = all;
    }
    await writeAtomic(
      join(dir, 'topics.json'),
      `${JSON.stringify({ format: 1, topics, groups: groupOffsets } satisfies DevIndex, null, 2)}\n`,
    );
  };

  return {
    ...bus,
    dir,
    source: ((o: { group: string }) => {
      groups.add(o.group);
      return (bus.source as (x: unknown) => unknown)(o);
    }) as MemoryBus['source'],
    admin: {
      ...bus.admin,
      resetOffsets: async (group, topic, to) => {
        groups.add(group);
        await bus.admin.resetOffsets(group, topic, to);
      },
    },
    save,
    refresh: load,
  };
}
