import type { Bytes, StartFrom, TRecord } from '@tributary/core';
import { errorCode, errorMessage } from '@tributary/core';
import { Command } from 'commander';
import type { CliIo } from '../cliIo.js';
import { bytesText, bytesToJson, headersToJson } from '../internal/bytesJson.js';
import { choiceArg, integerArg, parseTimestamp } from '../internal/parseArgs.js';
import { readTopic } from '../internal/readTopic.js';
import { cliError, usageError } from '../internal/usageError.js';
import { type SerdeName, serdeNames, valueDecoder } from '../internal/valueCodec.js';
import { withConnection } from '../internal/withConnection.js';

interface TailOptions {
  fromBeginning?: boolean;
  fromTimestamp?: string;
  serde: SerdeName;
  subject?: string;
  follow: boolean;
  max?: number;
  timeout?: number;
  group?: string;
}

/** A record as `tail --json` prints it (one JSON object per line). */
export interface TailLine {
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
  readonly timestamp: number;
  readonly key: ReturnType<typeof bytesToJson>;
  readonly headers: ReturnType<typeof headersToJson>;
  readonly value?: unknown;
  /** Set instead of `value` when the value does not decode with `--serde`. */
  readonly error?: {
    readonly code: string | undefined;
    readonly message: string;
    readonly raw: ReturnType<typeof bytesToJson>;
  };
}

/** Text for people: a header line, then the value pretty-printed. */
export function formatTailLine(line: TailLine): string {
  const head = `${line.topic}[${line.partition}]@${line.offset}  ${new Date(line.timestamp).toISOString()}${
    line.key === null ? '' : `  key=${bytesText(line.key)}`
  }`;
  const headers = Object.entries(line.headers)
    .map(([k, v]) => `  ${k}: ${bytesText(v)}`)
    .join('\n');
  const body =
    line.error !== undefined
      ? `  !! ${line.error.code ?? 'ERROR'}: ${line.error.message}\n  raw: ${JSON.stringify(line.error.raw)}`
      : line.value === undefined || line.value === null
        ? '  (tombstone)'
        : typeof line.value === 'string'
          ? line.value
          : JSON.stringify(line.value, null, 2);
  return [head, headers, body].filter((s) => s !== '').join('\n');
}

/** Start position from `--from-beginning` / `--from-timestamp` (default: the end, new records only). */
export function startFrom(o: { fromBeginning?: boolean; fromTimestamp?: string }): StartFrom {
  if (o.fromBeginning === true && o.fromTimestamp !== undefined) {
    throw usageError('--from-beginning and --from-timestamp exclude each other');
  }
  if (o.fromBeginning === true) return 'earliest';
  if (o.fromTimestamp !== undefined)
    return { timestamp: parseTimestamp(o.fromTimestamp, '--from-timestamp') };
  return 'latest';
}

/** `tributary tail <topic>`: decodes and prints records, following the topic. */
export function tailCommand(io: CliIo): Command {
  return new Command('tail')
    .description('print records of a topic as they arrive (decoded, pretty-printed)')
    .argument('<topic>', 'topic to read')
    .option('-b, --from-beginning', 'start at the first record (default: only new records)')
    .option(
      '--from-timestamp <time>',
      'start at the first record at or after this time (ISO 8601 or epoch ms)',
    )
    .option(
      '-s, --serde <serde>',
      `value decoding: ${serdeNames.join(', ')}`,
      choiceArg('--serde', serdeNames),
      'auto',
    )
    .option('--subject <subject>', 'registry subject (default <topic>-value)')
    .option('--no-follow', 'stop at the end of the topic instead of waiting for new records')
    .option('-n, --max <n>', 'stop after n records', integerArg('--max', 0))
    .option('--timeout <ms>', 'stop after this many milliseconds', integerArg('--timeout', 1))
    .option(
      '-g, --group <group>',
      'read as this consumer group and commit its positions at the end',
    )
    .addHelpText(
      'after',
      '\nRecords that do not decode are printed with their error and raw bytes, and the exit code is 2.',
    )
    .action((topic: string, _o: object, cmd: Command) =>
      withConnection<TailOptions, void>(io, cmd, async ({ conn, out, options }) => {
        const decode = valueDecoder(
          options.serde,
          options,
          io.env,
          options.subject ?? `${topic}-value`,
        );
        const from = startFrom(options);
        await conn.bus.admin.partitions(topic); // TOPIC_NOT_FOUND before waiting on a topic that is not there
        let undecodable = 0;
        const print = async (r: TRecord<Bytes>) => {
          const base = {
            topic: r.topic,
            partition: r.partition,
            offset: r.offset,
            timestamp: r.timestamp,
            key: bytesToJson(r.key),
            headers: headersToJson(r.headers),
          };
          let line: TailLine;
          try {
            line = { ...base, value: await decode(r.value) };
          } catch (error) {
            undecodable++;
            line = {
              ...base,
              error: {
                code: errorCode(error),
                message: errorMessage(error),
                raw: bytesToJson(r.value),
              },
            };
          }
          out.item(line, () => formatTailLine(line));
        };
        const { count, end } = await readTopic(
          conn,
          io,
          {
            topic,
            from,
            follow: options.follow,
            max: options.max,
            timeoutMs: options.timeout,
            group: options.group,
          },
          print,
        );
        if (!out.json) out.note(`${count} record(s)${end === 'end' ? '' : ` (stopped: ${end})`}`);
        if (undecodable > 0) {
          throw cliError(
            'CLI_BAD_INPUT',
            `${undecodable} of ${count} record(s) did not decode with --serde ${options.serde}`,
            { undecodable, count },
          );
        }
      }),
    );
}
