export type { CliErrorCode } from './cliErrorCode.js';
export type { CliIo, CliOutput } from './cliIo.js';
export { processIo } from './cliIo.js';
export type { DevBus } from './devBus.js';
export { devBus } from './devBus.js';
export { ExitCode } from './exitCodes.js';
export { main } from './main.js';
