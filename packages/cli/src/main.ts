import { errorCode, errorMessage, isTributaryError } from '@tributary/core';
import { CommanderError } from 'commander';
import { type CliIo, processIo } from './cliIo.js';
import { ExitCode } from './exitCodes.js';
import { program } from './program.js';

/** The package version, set by the build (tsup `define`); source runs say 0.0.0-dev. */
declare const TRIBUTARY_CLI_VERSION: string | undefined;
const version = typeof TRIBUTARY_CLI_VERSION === 'string' ? TRIBUTARY_CLI_VERSION : '0.0.0-dev';

const usageCodes = new Set(['CLI_USAGE', 'CLI_NO_BUS', 'INVALID_OPTION']);

/**
 * Runs `tributary` with `args` (without `node` and the script), writing to `io`; resolves
 * with the exit code: 0 done, 1 usage error, 2 runtime error. Errors print their code and
 * message on stderr, with the stack under `--verbose`.
 */
export async function main(args: readonly string[], io: CliIo = processIo()): Promise<ExitCode> {
  const verbose = args.includes('--verbose');
  try {
    await program(io, version).parseAsync([...args], { from: 'user' });
    return ExitCode.ok;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and --version end here too; commander already printed what it had to say.
      return error.exitCode === 0 ? ExitCode.ok : ExitCode.usage;
    }
    const code = errorCode(error);
    const usage = isTributaryError(error) && usageCodes.has(error.code);
    io.stderr.write(`error${code === undefined ? '' : ` ${code}`}: ${errorMessage(error)}\n`);
    if (usage) io.stderr.write('(tributary --help, or tributary <command> --help)\n');
    if (verbose && error instanceof Error && error.stack !== undefined) {
      io.stderr.write(`${error.stack}\n`);
      if (error.cause !== undefined) io.stderr.write(`cause: ${errorMessage(error.cause)}\n`);
    }
    return usage ? ExitCode.usage : ExitCode.runtime;
  }
}
