/**
 * Console, JSON Lines file, HTTP and PostgreSQL sinks for Tributary pipelines.
 *
 * @packageDocumentation
 * @module @tributary/sinks
 */
export type { ConsoleSinkOptions, ConsoleStream } from './consoleSink.js';
export { consoleSink } from './consoleSink.js';
export type { HttpSinkOptions } from './httpSink.js';
export { httpSink } from './httpSink.js';
export { jsonlFiles } from './jsonlFiles.js';
export type { JsonlRotation, JsonlSinkOptions } from './jsonlSink.js';
export { jsonlSink } from './jsonlSink.js';
export type { PostgresColumns, PostgresSinkOptions } from './postgresSink.js';
export { postgresSink } from './postgresSink.js';
export { readJsonl } from './readJsonl.js';
export type { SinksErrorCode } from './sinksErrorCode.js';
