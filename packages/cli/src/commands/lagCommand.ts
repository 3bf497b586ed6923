import { Command } from 'commander';
import type { CliIo } from '../cliIo.js';
import type { Connection } from '../internal/connect.js';
import { table } from '../internal/output.js';
import { withConnection } from '../internal/withConnection.js';

/** Lag of a group on one partition. */
export interface LagRow {
  readonly topic: string;
  readonly partition: number;
  /** Next offset the group reads; null when it has committed nothing there. */
  readonly committed: number | null;
  /** Next offset to be written. */
  readonly end: number;
  /** Records not yet read: end minus committed (minus the first offset when nothing is committed). */
  readonly lag: number;
}

/** Lag rows of `group` on `topics` (every topic where it committed something when none are given). */
export async function groupLag(
  conn: Connection,
  group: string,
  topics: readonly string[],
): Promise<LagRow[]> {
  const explicit = topics.length > 0;
  const rows: LagRow[] = [];
  for (const topic of explicit ? topics : await conn.bus.admin.listTopics()) {
    const committed = await conn.bus.admin.committed(group, topic);
    if (!explicit && committed.length === 0) continue;
    const [first, end] = await Promise.all([
      conn.bus.admin.offsets(topic, 'earliest'),
      conn.bus.admin.offsets(topic, 'latest'),
    ]);
    for (const e of end) {
      const c = committed.find((o) => o.partition === e.partition)?.offset ?? null;
      const start = first.find((o) => o.partition === e.partition)?.offset ?? 0;
      rows.push({
        topic,
        partition: e.partition,
        committed: c,
        end: e.offset,
        lag: Math.max(0, e.offset - (c ?? start)),
      });
    }
  }
  return rows;
}

/** `tributary lag <group>`: committed offsets against end offsets, per partition. */
export function lagCommand(io: CliIo): Command {
  return new Command('lag')
    .description("a consumer group's lag: committed offsets against end offsets, per partition")
    .argument('<group>', 'consumer group')
    .option(
      '-t, --topic <topic...>',
      'topics to look at (default: every topic the group committed on)',
    )
    .action((group: string, _o: object, cmd: Command) =>
      withConnection<{ topic?: string[] }, void>(io, cmd, async ({ conn, out, options }) => {
        const rows = await groupLag(conn, group, options.topic ?? []);
        const total = rows.reduce((n, r) => n + r.lag, 0);
        out.result({ group, total, partitions: rows }, () =>
          rows.length === 0
            ? `group ${group} has no committed offsets`
            : `${table(
                ['TOPIC', 'PARTITION', 'COMMITTED', 'END', 'LAG'],
                rows.map((r) => [r.topic, r.partition, r.committed ?? '-', r.end, r.lag]),
              )}\ntotal lag ${total}`,
        );
      }),
    );
}
