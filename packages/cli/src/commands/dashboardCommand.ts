import { basename, extname, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Bus, RunHandle } from '@tributary/core';
import { Command } from 'commander';
import type { CliIo } from '../cliIo.js';
import { integerArg } from '../internal/parseArgs.js';
import { cliError, usageError } from '../internal/usageError.js';
import { withConnection } from '../internal/withConnection.js';

/** What the command uses of @tributary/dashboard (loaded at run time: it is an optional package). */
interface DashboardLike {
  readonly url: string;
  add(name: string, pipeline: RunHandle): unknown;
  close(): Promise<void>;
}
type DashboardFactory = (options: { port?: number; title?: string }) => Promise<DashboardLike>;

/** What a pipeline file's default export receives. */
export interface DashboardPipelineContext {
  /** The bus of the command line (`--brokers` or `--dev`). */
  readonly bus: Bus;
  /** The running dashboard, for models, serving versions and custom series (its `add` options). */
  readonly dashboard: unknown;
}

const isHandle = (v: unknown): v is RunHandle =>
  typeof v === 'object' &&
  v !== null &&
  typeof (v as RunHandle).stop === 'function' &&
  (v as RunHandle).done instanceof Promise;

async function loadDashboard(): Promise<DashboardFactory> {
  const name = '@tributary/dashboard';
  let mod: { dashboard?: unknown };
  try {
    mod = (await import(name)) as { dashboard?: unknown };
  } catch (cause) {
    throw cliError(
      'CLI_NOT_AVAILABLE',
      `tributary dashboard needs ${name}: npm install ${name} (${(cause as Error).message})`,
    );
  }
  if (typeof mod.dashboard !== 'function') {
    throw cliError(
      'CLI_NOT_AVAILABLE',
      `${name} has no dashboard() function: update it to the CLI's version`,
    );
  }
  return mod.dashboard as DashboardFactory;
}

/**
 * `tributary dashboard <pipeline-file>`: serves @tributary/dashboard for the pipelines the
 * file starts. Its default export is called with `{ bus, dashboard }` and returns a run handle
 * or an object of named handles; the command shows them until they end or Ctrl-C stops them.
 */
export function dashboardCommand(io: CliIo): Command {
  return new Command('dashboard')
    .description('serve the live dashboard (@tributary/dashboard) of the pipelines a file starts')
    .argument(
      '<pipeline-file>',
      'ES module whose default export ({ bus, dashboard }) => RunHandle | { name: RunHandle }',
    )
    .option('--port <port>', 'port on 127.0.0.1 (0: any free one)', integerArg('--port', 0), 9465)
    .option('--title <title>', 'page heading')
    .addHelpText(
      'after',
      '\nA .ts file needs a TypeScript loader: node --import tsx $(which tributary) dashboard flow.ts',
    )
    .action((file: string, _o: object, cmd: Command) =>
      withConnection<{ port: number; title?: string }, void>(
        io,
        cmd,
        async ({ conn, out, options }) => {
          const factory = await loadDashboard();
          const mod = (await import(pathToFileURL(resolve(file)).href)) as { default?: unknown };
          if (typeof mod.default !== 'function') {
            throw usageError(
              `${file}: its default export must be a function ({ bus, dashboard }) => RunHandle`,
            );
          }
          const board = await factory({
            port: options.port,
            ...(options.title !== undefined ? { title: options.title } : {}),
          });
          try {
            const started: unknown = await mod.default({
              bus: conn.bus,
              dashboard: board,
            } satisfies DashboardPipelineContext);
            const handles: [string, RunHandle][] = isHandle(started)
              ? [[basename(file, extname(file)), started]]
              : typeof started === 'object' && started !== null
                ? Object.entries(started).filter((e): e is [string, RunHandle] => isHandle(e[1]))
                : [];
            if (handles.length === 0)
              throw usageError(`${file}: the default export returned no run handle`);
            for (const [name, h] of handles) board.add(name, h);
            out.result(
              { url: board.url, pipelines: handles.map(([n]) => n) },
              () => `dashboard on ${board.url} (Ctrl-C stops)`,
            );
            let unlisten: (() => void) | undefined;
            const interrupted = new Promise<void>((r) => {
              unlisten = io.onInterrupt?.(r);
            });
            await Promise.race([Promise.allSettled(handles.map(([, h]) => h.done)), interrupted]);
            unlisten?.();
            await Promise.allSettled(handles.map(([, h]) => h.stop()));
          } finally {
            await board.close();
          }
        },
      ),
    );
}
