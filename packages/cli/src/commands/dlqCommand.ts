import {
  type Bytes,
  DeadLetterHeaders,
  type Headers,
  headerToString,
  type OutRecord,
  type TRecord,
} from '@tributary/core';
import { Command } from 'commander';
import type { CliIo } from '../cliIo.js';
import { type BytesJson, bytesText, bytesToJson } from '../internal/bytesJson.js';
import type { Connection } from '../internal/connect.js';
import { table } from '../internal/output.js';
import {
  choiceArg,
  collectWhere,
  integerArg,
  type WhereClause,
  type WhereField,
} from '../internal/parseArgs.js';
import { progress } from '../internal/progress.js';
import { readTopic } from '../internal/readTopic.js';
import { cliError } from '../internal/usageError.js';
import { type SerdeName, serdeNames, valueDecoder } from '../internal/valueCodec.js';
import { withConnection } from '../internal/withConnection.js';

/** A dead letter with its reason, read from the `tributary.error.*` and `tributary.source.*` headers. */
export interface DeadLetter {
  readonly partition: number;
  readonly offset: number;
  readonly timestamp: number;
  readonly code: string | undefined;
  readonly stage: string | undefined;
  readonly message: string | undefined;
  readonly attempts: number | undefined;
  /** When the record failed, ISO 8601. */
  readonly failedAt: string | undefined;
  readonly details: unknown;
  /** Where the record came from. */
  readonly source: {
    readonly topic: string | undefined;
    readonly partition: number | undefined;
    readonly offset: number | undefined;
  };
  readonly key: BytesJson;
}

/** Header name that `dlq replay` sets on each record it sends: `<dead-letter topic>:<partition>:<offset>`. */
export const replayedFromHeader = 'tributary.dlq.replayed-from';

const reasonHeaders = new Set<string>(Object.values(DeadLetterHeaders));

const num = (h: Headers, name: string): number | undefined => {
  const text = headerToString(h[name]);
  const n = text === undefined ? Number.NaN : Number(text);
  return Number.isFinite(n) ? n : undefined;
};

/** The reason and origin a dead-letter record carries. */
export function deadLetterOf(r: TRecord<Bytes>): DeadLetter {
  const h = r.headers;
  const at = num(h, DeadLetterHeaders.at);
  const detailsText = headerToString(h[DeadLetterHeaders.details]);
  let details: unknown;
  if (detailsText !== undefined) {
    try {
      details = JSON.parse(detailsText);
    } catch {
      details = detailsText;
    }
  }
  return {
    partition: r.partition,
    offset: r.offset,
    timestamp: r.timestamp,
    code: headerToString(h[DeadLetterHeaders.code]),
    stage: headerToString(h[DeadLetterHeaders.stage]),
    message: headerToString(h[DeadLetterHeaders.message]),
    attempts: num(h, DeadLetterHeaders.attempts),
    failedAt: at === undefined ? undefined : new Date(at).toISOString(),
    details,
    source: {
      topic: headerToString(h[DeadLetterHeaders.topic]),
      partition: num(h, DeadLetterHeaders.partition),
      offset: num(h, DeadLetterHeaders.offset),
    },
    key: bytesToJson(r.key),
  };
}

const fieldOf = (d: DeadLetter, f: WhereField): string | undefined => {
  switch (f) {
    case 'topic':
      return d.source.topic;
    case 'partition':
      return d.source.partition?.toString();
    case 'offset':
      return d.source.offset?.toString();
    case 'attempts':
      return d.attempts?.toString();
    default:
      return d[f];
  }
};

/** True when the dead letter meets every clause (`=` exact, `~=` contains). */
export function matches(d: DeadLetter, where: readonly WhereClause[]): boolean {
  return where.every((c) => {
    const v = fieldOf(d, c.field);
    if (v === undefined) return false;
    return c.op === '=' ? v === c.value : v.includes(c.value);
  });
}

/** The record `dlq replay` sends: original key, value, timestamp and headers, reason headers dropped. */
export function replayRecord(r: TRecord<Bytes>, dlqTopic: string): OutRecord<Bytes> {
  const headers: Record<string, Headers[string]> = {};
  for (const [name, v] of Object.entries(r.headers))
    if (!reasonHeaders.has(name)) headers[name] = v;
  headers[replayedFromHeader] = `${dlqTopic}:${r.partition}:${r.offset}`;
  return { key: r.key, value: r.value, headers, timestamp: r.timestamp };
}

interface DlqOptions {
  where?: WhereClause[];
  max?: number;
  serde: SerdeName;
}

async function readDeadLetters(
  conn: Connection,
  io: CliIo,
  topic: string,
  o: DlqOptions,
  each: (r: TRecord<Bytes>, d: DeadLetter) => Promise<void> | void,
): Promise<number> {
  await conn.bus.admin.partitions(topic);
  let matched = 0;
  await readTopic(conn, io, { topic, from: 'earliest', follow: false }, async (r) => {
    if (o.max !== undefined && matched >= o.max) return;
    const d = deadLetterOf(r);
    if (!matches(d, o.where ?? [])) return;
    matched++;
    await each(r, d);
  });
  return matched;
}

const whereHelp =
  'only dead letters whose header field matches: field=value or field~=text; fields code, stage, message, topic, partition, offset, attempts (repeatable, all must match)';

/** `tributary dlq inspect|replay <topic>`: read dead letters with their reasons, send them back. */
export function dlqCommand(io: CliIo): Command {
  const dlq = new Command('dlq').description(
    'read dead letters with their reasons and send them back',
  );

  dlq
    .command('inspect')
    .description('print dead letters: reason, origin, key and value')
    .argument('<topic>', 'dead-letter topic')
    .option('-w, --where <clause>', whereHelp, collectWhere)
    .option('-n, --max <n>', 'at most n dead letters', integerArg('--max', 0))
    .option(
      '-s, --serde <serde>',
      `value decoding: ${serdeNames.join(', ')}`,
      choiceArg('--serde', serdeNames),
      'auto',
    )
    .action((topic: string, _o: object, cmd: Command) =>
      withConnection<DlqOptions, void>(io, cmd, async ({ conn, out, options }) => {
        const decode = valueDecoder(options.serde, options, io.env, `${topic}-value`);
        const byCode = new Map<string, number>();
        const count = await readDeadLetters(conn, io, topic, options, async (r, d) => {
          byCode.set(d.code ?? '(none)', (byCode.get(d.code ?? '(none)') ?? 0) + 1);
          let value: unknown;
          try {
            value = await decode(r.value);
          } catch {
            value = bytesToJson(r.value);
          }
          out.item({ ...d, value }, () =>
            [
              `${topic}[${d.partition}]@${d.offset}  ${d.code ?? '(no code)'}  at ${d.stage ?? '?'}  attempts ${d.attempts ?? '?'}  ${d.failedAt ?? ''}`,
              `  from ${d.source.topic ?? '?'}[${d.source.partition ?? '?'}]@${d.source.offset ?? '?'}${d.key === null ? '' : `  key=${bytesText(d.key)}`}`,
              `  reason: ${d.message ?? '(none)'}`,
              ...(d.details === undefined ? [] : [`  details: ${JSON.stringify(d.details)}`]),
              `  value: ${typeof value === 'string' ? value : JSON.stringify(value)}`,
            ].join('\n'),
          );
        });
        if (!out.json) {
          out.note(
            count === 0
              ? 'no dead letters'
              : `${count} dead letter(s)\n${table(
                  ['CODE', 'COUNT'],
                  [...byCode].sort((a, b) => b[1] - a[1]),
                )}`,
          );
        }
      }),
    );

  dlq
    .command('replay')
    .description(
      "send dead letters' original records back to their source topic (or --to), reason headers removed",
    )
    .argument('<topic>', 'dead-letter topic')
    .option('--to <topic>', 'send to this topic instead of each record’s source topic')
    .option('-w, --where <clause>', whereHelp, collectWhere)
    .option('-n, --max <n>', 'at most n dead letters', integerArg('--max', 0))
    .option('--dry-run', 'print what would be sent, send nothing')
    .addHelpText(
      'after',
      `\nEach record keeps its key, value bytes, timestamp and own headers, plus ${replayedFromHeader}.\nReplaying twice sends twice. To fix records first: dlq inspect --json, edit, then produce --records.`,
    )
    .action((topic: string, _o: object, cmd: Command) =>
      withConnection<DlqOptions & { to?: string; dryRun?: boolean }, void>(
        io,
        cmd,
        async ({ conn, out, options }) => {
          const picked: { target: string | undefined; record: OutRecord<Bytes> }[] = [];
          await readDeadLetters(conn, io, topic, { ...options, serde: 'bytes' }, (r, d) => {
            picked.push({ target: options.to ?? d.source.topic, record: replayRecord(r, topic) });
          });
          const byTarget = new Map<string, OutRecord<Bytes>[]>();
          let unroutable = 0;
          for (const p of picked) {
            if (p.target === undefined) {
              unroutable++;
              continue;
            }
            const list = byTarget.get(p.target) ?? [];
            list.push(p.record);
            byTarget.set(p.target, list);
          }
          const dryRun = options.dryRun === true;
          if (!dryRun) {
            const bar = progress(
              io,
              options.progress !== false && !out.json,
              `replay ${topic}`,
              picked.length - unroutable,
            );
            try {
              for (const [target, records] of byTarget) {
                await conn.bus.admin.partitions(target);
                const sink = conn.bus.sink({ topic: target });
                await sink.open?.();
                for (let i = 0; i < records.length; i += 500) {
                  const batch = records.slice(i, i + 500);
                  await sink.write(batch);
                  bar.increment(batch.length);
                }
                await sink.flush?.();
              }
            } finally {
              bar.stop();
            }
          }
          const targets = [...byTarget].map(([t, rs]) => ({ topic: t, records: rs.length }));
          out.result({ topic, dryRun, matched: picked.length, unroutable, targets }, () =>
            [
              targets.length === 0
                ? 'nothing to replay'
                : table(
                    ['TO', 'RECORDS'],
                    targets.map((t) => [t.topic, t.records]),
                  ),
              dryRun ? 'dry run: nothing sent' : `${picked.length - unroutable} record(s) sent`,
            ].join('\n'),
          );
          if (unroutable > 0) {
            throw cliError(
              'CLI_DLQ_UNROUTABLE',
              `${unroutable} dead letter(s) have no ${DeadLetterHeaders.topic} header and were not sent; give --to <topic>`,
              { unroutable },
            );
          }
        },
      ),
    );
  return dlq;
}
