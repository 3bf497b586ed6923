import { fstatSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { type Bytes, errorMessage, isTributaryError, type OutRecord } from '@tributary/core';
import { Command } from 'commander';
import type { CliIo } from '../cliIo.js';
import { bytesFromJson } from '../internal/bytesJson.js';
import { choiceArg, integerArg } from '../internal/parseArgs.js';
import { progress } from '../internal/progress.js';
import { cliError } from '../internal/usageError.js';
import {
  type SerdeName,
  serdeNames,
  type ValueEncoder,
  valueEncoder,
} from '../internal/valueCodec.js';
import { withConnection } from '../internal/withConnection.js';

interface ProduceOptions {
  records?: boolean;
  serde: SerdeName;
  subject?: string;
  key?: string;
  batch: number;
}

const recordFields = new Set([
  'key',
  'value',
  'headers',
  'timestamp',
  'partition',
  'topic',
  'offset',
]);

/**
 * One input line as a record to send. Lines are values; with `records`, a line is a JSON
 * object `{ value, key?, headers?, timestamp?, partition? }` (`topic` and `offset`, as
 * `tail --json` prints them, are ignored).
 */
export async function lineToRecord(
  line: string,
  records: boolean,
  encode: ValueEncoder,
  key: string | undefined,
): Promise<OutRecord<Bytes>> {
  if (!records) {
    return {
      key: key ?? null,
      value: await encode(line, 'line'),
      headers: {},
      timestamp: Date.now(),
    };
  }
  let o: Record<string, unknown>;
  try {
    o = JSON.parse(line) as Record<string, unknown>;
  } catch (cause) {
    throw cliError('CLI_BAD_INPUT', `not a JSON record: ${(cause as Error).message}`);
  }
  if (typeof o !== 'object' || o === null || Array.isArray(o) || !('value' in o)) {
    throw cliError('CLI_BAD_INPUT', 'a record line is a JSON object with a "value" field');
  }
  const unknown = Object.keys(o).filter((k) => !recordFields.has(k));
  if (unknown.length > 0)
    throw cliError('CLI_BAD_INPUT', `unknown record field(s): ${unknown.join(', ')}`);
  if (o.timestamp !== undefined && !Number.isSafeInteger(o.timestamp)) {
    throw cliError('CLI_BAD_INPUT', 'timestamp must be epoch milliseconds (an integer)');
  }
  if (
    o.partition !== undefined &&
    (!Number.isInteger(o.partition) || (o.partition as number) < 0)
  ) {
    throw cliError('CLI_BAD_INPUT', 'partition must be an integer >= 0');
  }
  if (
    o.headers !== undefined &&
    (typeof o.headers !== 'object' || o.headers === null || Array.isArray(o.headers))
  ) {
    throw cliError('CLI_BAD_INPUT', 'headers must be an object of text values');
  }
  const headers: Record<string, Uint8Array> = {};
  for (const [name, v] of Object.entries((o.headers ?? {}) as Record<string, unknown>)) {
    headers[name] = wrapped(() => bytesFromJson(v, `header ${name}`)) ?? Buffer.alloc(0);
  }
  const recordKey =
    o.key === undefined ? (key ?? null) : wrapped(() => bytesFromJson(o.key, 'key'));
  return {
    key: recordKey,
    value: await encode(o.value, 'record'),
    headers,
    timestamp: (o.timestamp as number | undefined) ?? Date.now(),
    ...(o.partition !== undefined ? { partition: o.partition as number } : {}),
  };
}

function wrapped<T>(f: () => T): T {
  try {
    return f();
  } catch (error) {
    throw cliError('CLI_BAD_INPUT', errorMessage(error));
  }
}

function stdinSize(io: CliIo): number {
  try {
    if ((io.stdin as { fd?: number }).fd !== 0) return 0;
    const s = fstatSync(0);
    return s.isFile() ? s.size : 0;
  } catch {
    return 0;
  }
}

/** `tributary produce <topic> < file`: one record per input line. */
export function produceCommand(io: CliIo): Command {
  return new Command('produce')
    .description('send one record per line of stdin to a topic')
    .argument('<topic>', 'topic to write to (must exist: see topics create)')
    .option(
      '-r, --records',
      'lines are JSON records {value, key?, headers?, timestamp?, partition?} (as tail --json prints them)',
    )
    .option(
      '-s, --serde <serde>',
      'value encoding: string (as is), json (checked), bytes ({"base64"}), registry',
      choiceArg('--serde', serdeNames),
      'string',
    )
    .option('--subject <subject>', 'registry subject (default <topic>-value)')
    .option('-k, --key <key>', 'key of every record (a record line may set its own)')
    .option('--batch <n>', 'records per write', integerArg('--batch', 1), 500)
    .addHelpText(
      'after',
      '\nEmpty lines are skipped. A bad line stops the command (exit code 2) after the records before it were sent; the error says how many.',
    )
    .action((topic: string, _o: object, cmd: Command) =>
      withConnection<ProduceOptions, void>(io, cmd, async ({ conn, out, options }) => {
        const encode = valueEncoder(
          options.serde,
          options,
          io.env,
          options.subject ?? `${topic}-value`,
        );
        await conn.bus.admin.partitions(topic);
        const sink = conn.bus.sink({ topic });
        await sink.open?.();
        const size = stdinSize(io);
        const bar = progress(
          io,
          options.progress !== false && !out.json,
          `produce ${topic}`,
          size,
          'bytes',
        );
        let sent = 0;
        let lineNo = 0;
        let batch: OutRecord<Bytes>[] = [];
        let batchBytes = 0;
        const flush = async () => {
          if (batch.length === 0) return;
          await sink.write(batch);
          sent += batch.length;
          bar.increment(batchBytes);
          batch = [];
          batchBytes = 0;
        };
        try {
          for await (const line of createInterface({
            input: io.stdin,
            crlfDelay: Number.POSITIVE_INFINITY,
          })) {
            lineNo++;
            batchBytes += Buffer.byteLength(line) + 1;
            if (line.trim() === '') continue;
            try {
              batch.push(await lineToRecord(line, options.records === true, encode, options.key));
            } catch (error) {
              await flush();
              if (!isTributaryError(error, 'CLI_BAD_INPUT')) throw error;
              const detail = errorMessage(error);
              throw cliError(
                'CLI_BAD_INPUT',
                `line ${lineNo}: ${detail} (${sent} record(s) before it were sent)`,
                {
                  line: lineNo,
                  sent,
                },
              );
            }
            if (batch.length >= options.batch) await flush();
          }
          await flush();
        } finally {
          bar.stop();
          await sink.flush?.();
          await sink.close?.();
        }
        out.result({ topic, records: sent }, () => `${sent} record(s) sent to ${topic}`);
      }),
    );
}
