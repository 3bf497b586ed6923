import type { Command } from 'commander';
import type { CliIo } from '../cliIo.js';
import { type Connection, connect, type GlobalOptions } from './connect.js';
import { type Output, output } from './output.js';

/** What a command's action gets: its bus, how to print, and every option (global ones too). */
export interface CommandRun<O> {
  readonly conn: Connection;
  readonly out: Output;
  readonly options: O & GlobalOptions;
  readonly io: CliIo;
}

/**
 * Runs a command's action on the bus the global options name. Dev mode writes what the
 * action changed back to the directory even when it fails midway (records it sent stay sent).
 */
export async function withConnection<O, T>(
  io: CliIo,
  command: Command,
  action: (run: CommandRun<O>) => Promise<T>,
): Promise<T> {
  const options = command.optsWithGlobals<O & GlobalOptions>();
  const out = output(io, options.json === true);
  const conn = await connect(options, io.env);
  let result: T;
  try {
    result = await action({ conn, out, options, io });
  } catch (error) {
    // Keep the action's error; a failing save then only adds to it in --verbose.
    await conn.save().catch(() => undefined);
    await conn.close();
    throw error;
  }
  try {
    await conn.save();
  } finally {
    await conn.close();
  }
  return result;
}
