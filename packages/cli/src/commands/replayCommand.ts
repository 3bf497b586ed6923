import type { StartFrom } from '@tributary/core';
import { Command } from 'commander';
import type { CliIo } from '../cliIo.js';
import { table } from '../internal/output.js';
import { parseTimestamp } from '../internal/parseArgs.js';
import { usageError } from '../internal/usageError.js';
import { withConnection } from '../internal/withConnection.js';

interface ReplayOptions {
  group: string;
  toTimestamp?: string;
  toEarliest?: boolean;
  toLatest?: boolean;
  dryRun?: boolean;
}

/** One partition of a replay plan. */
export interface ReplayRow {
  readonly partition: number;
  /** The group's position now; null when it has none. */
  readonly from: number | null;
  readonly to: number;
  /** Records the group reads again (negative: records it skips). */
  readonly replayed: number | null;
}

/** The target of `replay` from exactly one of `--to-timestamp`, `--to-earliest`, `--to-latest`. */
export function replayTarget(
  o: Pick<ReplayOptions, 'toTimestamp' | 'toEarliest' | 'toLatest'>,
): StartFrom {
  const given = [o.toTimestamp !== undefined, o.toEarliest === true, o.toLatest === true].filter(
    Boolean,
  ).length;
  if (given !== 1) {
    throw usageError(
      'replay needs exactly one of --to-timestamp <time>, --to-earliest, --to-latest',
    );
  }
  if (o.toEarliest === true) return 'earliest';
  if (o.toLatest === true) return 'latest';
  return { timestamp: parseTimestamp(o.toTimestamp as string) };
}

/** `tributary replay <topic> --group <g> --to-timestamp <t>`: moves a group's offsets. */
export function replayCommand(io: CliIo): Command {
  return new Command('replay')
    .description(
      "move a consumer group's offsets on a topic so it reads again from a time (stop the group first)",
    )
    .argument('<topic>', 'topic')
    .requiredOption('-g, --group <group>', 'consumer group to move')
    .option('--to-timestamp <time>', 'first record at or after this time (ISO 8601 or epoch ms)')
    .option('--to-earliest', 'the first offset of each partition')
    .option('--to-latest', 'the end of each partition (skip everything not read yet)')
    .option('--dry-run', 'print the plan without moving anything')
    .action((topic: string, _o: object, cmd: Command) =>
      withConnection<ReplayOptions, void>(io, cmd, async ({ conn, out, options }) => {
        const target = replayTarget(options);
        const [current, to] = await Promise.all([
          conn.bus.admin.committed(options.group, topic),
          conn.bus.admin.offsets(topic, target),
        ]);
        const rows: ReplayRow[] = to.map((t) => {
          const from = current.find((c) => c.partition === t.partition)?.offset ?? null;
          return {
            partition: t.partition,
            from,
            to: t.offset,
            replayed: from === null ? null : from - t.offset,
          };
        });
        const dryRun = options.dryRun === true;
        // Explicit offsets: what was printed is what is applied, even if records arrive meanwhile.
        if (!dryRun) await conn.bus.admin.resetOffsets(options.group, topic, to);
        const replayed = rows.reduce((n, r) => n + (r.replayed ?? 0), 0);
        out.result({ topic, group: options.group, dryRun, replayed, partitions: rows }, () =>
          [
            table(
              ['PARTITION', 'FROM', 'TO', 'REPLAYED'],
              rows.map((r) => [r.partition, r.from ?? '-', r.to, r.replayed ?? '-']),
            ),
            dryRun
              ? `dry run: group ${options.group} not moved (${replayed} record(s) would be read again)`
              : `group ${options.group} moved on ${topic}: ${replayed} record(s) to read again`,
          ].join('\n'),
        );
      }),
    );
}
