import type { ModelVersion } from '@tributary/learn';
import { Command } from 'commander';
import type { CliIo } from '../cliIo.js';
import type { CliModelStore } from '../internal/cliModelStore.js';
import type { GlobalOptions } from '../internal/connect.js';
import { table } from '../internal/output.js';
import { integerArg } from '../internal/parseArgs.js';
import { cliError, usageError } from '../internal/usageError.js';
import { type CommandRun, withConnection } from '../internal/withConnection.js';

/** A version without its snapshot's state, as `models show` lists them. */
export interface ModelSummary {
  readonly name: string;
  readonly version: number;
  readonly savedAt: string;
  readonly type: string;
  /** Size of the snapshot as JSON, in bytes. */
  readonly bytes: number;
  readonly metadata: ModelVersion['metadata'];
}

/** The summary of one version. */
export function summarize(m: ModelVersion): ModelSummary {
  return {
    name: m.name,
    version: m.version,
    savedAt: new Date(m.savedAt).toISOString(),
    type: m.snapshot.type,
    bytes: Buffer.byteLength(JSON.stringify(m.snapshot)),
    metadata: m.metadata,
  };
}

/**
 * The rollback rule: saves version `to` (default: the one before the newest) again, so it
 * becomes the newest version and every server that follows the store swaps to it. Nothing
 * is deleted; the new version's metadata is the old one's plus `rolledBackFrom` (the newest
 * version before the rollback) and `restoredVersion`.
 */
export async function rollback(
  store: CliModelStore,
  name: string,
  to: number | undefined,
): Promise<{
  readonly restored: ModelVersion;
  readonly saved: ModelVersion;
  readonly previous: number;
}> {
  const versions = await store.versions(name);
  const newest = versions.at(-1);
  if (newest === undefined)
    throw cliError('CLI_MODEL_NOT_FOUND', `no model named ${name}`, { name });
  const version = to ?? versions.at(-2);
  if (version === undefined) {
    throw cliError(
      'CLI_MODEL_NOT_FOUND',
      `${name} has only version ${newest}: nothing to roll back to`,
      { name },
    );
  }
  if (version === newest) throw usageError(`${name} v${version} is already the newest version`);
  const restored = await store.load(name, version);
  if (restored === undefined) {
    throw cliError(
      'CLI_MODEL_NOT_FOUND',
      `${name} has no version ${version} (kept: ${versions.join(', ')})`,
      {
        name,
        version,
      },
    );
  }
  const saved = await store.save(name, restored.snapshot, {
    ...restored.metadata,
    rolledBackFrom: newest,
    restoredVersion: version,
  });
  return { restored, saved, previous: newest };
}

interface ModelsOptions extends GlobalOptions {
  topic?: string;
}

/** `tributary models list|show|rollback` on a model store topic. */
export function modelsCommand(io: CliIo): Command {
  const models = new Command('models')
    .description('list, inspect and roll back models in a model store')
    .option('-t, --topic <topic>', 'model store topic (default TRIBUTARY_MODELS_TOPIC)');
  const withStore = <O, T>(
    cmd: Command,
    f: (store: CliModelStore, run: CommandRun<O & ModelsOptions>) => Promise<T>,
  ) =>
    withConnection<O & ModelsOptions, T>(io, cmd, async (run) => {
      const topic = run.options.topic ?? io.env.TRIBUTARY_MODELS_TOPIC;
      if (topic === undefined || topic === '') {
        throw usageError('models needs --topic <model store topic> (or TRIBUTARY_MODELS_TOPIC)', {
          option: '--topic',
        });
      }
      const store = run.conn.modelStore(topic);
      try {
        return await f(store, run);
      } finally {
        await store.close();
      }
    });

  models
    .command('list')
    .description('models in the store with their versions')
    .action((_o: object, cmd: Command) =>
      withStore(cmd, async (store, { out }) => {
        const rows: {
          name: string;
          versions: number[];
          latest: number | null;
          savedAt: string | null;
        }[] = [];
        for (const name of await store.names()) {
          const versions = await store.versions(name);
          const latest = await store.load(name);
          rows.push({
            name,
            versions,
            latest: versions.at(-1) ?? null,
            savedAt: latest === undefined ? null : new Date(latest.savedAt).toISOString(),
          });
        }
        out.result(rows, () =>
          rows.length === 0
            ? 'no models'
            : table(
                ['NAME', 'LATEST', 'VERSIONS', 'SAVED'],
                rows.map((r) => [r.name, r.latest, r.versions.join(','), r.savedAt]),
              ),
        );
      }),
    );

  models
    .command('show')
    .description(
      'one version of a model (default the newest), with its metadata; --snapshot prints the state',
    )
    .argument('<name>', 'model name')
    .argument('[version]', 'version (default the newest)', integerArg('version', 1))
    .option('--snapshot', 'include the full snapshot')
    .action((name: string, version: number | undefined, _o: object, cmd: Command) =>
      withStore<{ snapshot?: boolean }, void>(cmd, async (store, { out, options: o }) => {
        const m = await store.load(name, version);
        if (m === undefined) {
          throw cliError(
            'CLI_MODEL_NOT_FOUND',
            version === undefined ? `no model named ${name}` : `${name} has no version ${version}`,
            { name, version },
          );
        }
        const s = summarize(m);
        const versions = await store.versions(name);
        const value = { ...s, versions, ...(o.snapshot === true ? { snapshot: m.snapshot } : {}) };
        out.result(value, () =>
          [
            `${s.name} v${s.version}  (${s.type}, ${s.bytes} bytes, saved ${s.savedAt})`,
            `versions: ${versions.join(', ')}`,
            `metadata: ${JSON.stringify(s.metadata, null, 2)}`,
            ...(o.snapshot === true ? [`snapshot: ${JSON.stringify(m.snapshot, null, 2)}`] : []),
          ].join('\n'),
        );
      }),
    );

  models
    .command('rollback')
    .description(
      'make an older version the newest again (saved as a new version; nothing is deleted)',
    )
    .argument('<name>', 'model name')
    .option(
      '--to <version>',
      'version to restore (default: the one before the newest)',
      integerArg('--to', 1),
    )
    .action((name: string, _o: object, cmd: Command) =>
      withStore<{ to?: number }, void>(cmd, async (store, { out, options: o }) => {
        const r = await rollback(store, name, o.to);
        out.result(
          {
            name,
            restoredVersion: r.restored.version,
            previous: r.previous,
            version: r.saved.version,
          },
          () =>
            `${name}: v${r.saved.version} is v${r.restored.version}'s snapshot (was v${r.previous})`,
        );
      }),
    );
  return models;
}
