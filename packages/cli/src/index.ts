/**
 * The tributary command line: topics, tail, produce, lag, replay, models and dead letters on Kafka or a file-backed dev bus.
 *
 * @packageDocumentation
 * @module @tributary/cli
 */
export type { CliErrorCode } from './cliErrorCode.js';
export type { CliIo, CliOutput } from './cliIo.js';
export { processIo } from './cliIo.js';
export type { DevBus } from './devBus.js';
export { devBus } from './devBus.js';
export { ExitCode } from './exitCodes.js';
export { main } from './main.js';
