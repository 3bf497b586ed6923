import { Command } from 'commander';
import type { CliIo } from '../cliIo.js';
import { table } from '../internal/output.js';
import { integerArg } from '../internal/parseArgs.js';
import { withConnection } from '../internal/withConnection.js';

/** A topic as `tributary topics` lists it. */
export interface TopicRow {
  readonly topic: string;
  readonly partitions: number;
  /** Records held: end offsets minus first offsets, over all partitions. */
  readonly records: number;
}

/** `tributary topics [list]` and `tributary topics create <topic>`. */
export function topicsCommand(io: CliIo): Command {
  const topics = new Command('topics').description('list or create topics');
  topics
    .command('list', { isDefault: true })
    .description('list topics with their partitions and record counts (the default)')
    .action((_o: object, cmd: Command) =>
      withConnection(io, cmd, async ({ conn, out }) => {
        const rows: TopicRow[] = [];
        for (const topic of await conn.bus.admin.listTopics()) {
          const [first, end] = await Promise.all([
            conn.bus.admin.offsets(topic, 'earliest'),
            conn.bus.admin.offsets(topic, 'latest'),
          ]);
          const records = end.reduce((n, o, i) => n + o.offset - (first[i]?.offset ?? 0), 0);
          rows.push({ topic, partitions: end.length, records });
        }
        out.result(rows, () =>
          rows.length === 0
            ? 'no topics'
            : table(
                ['TOPIC', 'PARTITIONS', 'RECORDS'],
                rows.map((r) => [r.topic, r.partitions, r.records]),
              ),
        );
      }),
    );
  topics
    .command('create')
    .description('create a topic (an existing one is left as it is)')
    .argument('<topic>', 'topic name')
    .option('-p, --partitions <n>', 'partitions', integerArg('--partitions', 1), 1)
    .option(
      '--replication-factor <n>',
      'replicas (-1: the broker default)',
      integerArg('--replication-factor', -1),
      -1,
    )
    .action((topic: string, _o: object, cmd: Command) =>
      withConnection<{ partitions: number; replicationFactor: number }, void>(
        io,
        cmd,
        async ({ conn, out, options }) => {
          await conn.bus.admin.ensureTopics([
            { topic, partitions: options.partitions, replicationFactor: options.replicationFactor },
          ]);
          const partitions = await conn.bus.admin.partitions(topic);
          out.result({ topic, partitions }, () => `${topic}: ${partitions} partition(s)`);
        },
      ),
    );
  return topics;
}
