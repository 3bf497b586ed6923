/**
 * Typed stream pipelines with commit-after-process, backpressure, dead letters and an embedded bus.
 *
 * @packageDocumentation
 * @module @tributary/core
 */
export type { Bus, BusAdmin, SinkOptions, SourceOptions, StartFrom, TopicSpec } from './bus.js';
export type { CheckpointMetrics, CheckpointOptions } from './checkpoint.js';
export type { ErrorPolicy } from './errorPolicy.js';
export { DeadLetterHeaders, deadLetter, fail, skip } from './errorPolicy.js';
export type { CoreErrorCode } from './errors.js';
export {
  errorCode,
  errorMessage,
  invalidOption,
  isTributaryError,
  TributaryError,
} from './errors.js';
export { fmix32 } from './fmix32.js';
export { gaussian } from './gaussian.js';
export type { GlobalTableJoinOptions } from './globalTableJoin.js';
export { globalTableJoin } from './globalTableJoin.js';
export type { JsonValue } from './jsonValue.js';
export type { KsResult } from './ksTest.js';
export { ksPValueEqualSizes, ksStatistic, ksTest } from './ksTest.js';
export type { Logger, LogLevel } from './logger.js';
export { consoleLogger, silentLogger } from './logger.js';
export type {
  MemoryBus,
  MemoryBusOptions,
  MemoryProduceOptions,
  MemoryProduceRecord,
} from './memoryBus.js';
export { memoryBus } from './memoryBus.js';
export { memoryStateStore } from './memoryStateStore.js';
export type {
  HistogramSnapshot,
  MetricsSnapshot,
  PartitionLag,
  RuntimeEvent,
  SinkMetrics,
  StepMetrics,
} from './metrics.js';
export type { LearnerSnapshot, ModelStore, ModelVersion } from './modelStore.js';
export type { ModelListener, ModelSubscribers } from './modelSubscribers.js';
export { modelSubscribers } from './modelSubscribers.js';
export type { Mulberry32State } from './mulberry32.js';
export { mulberry32, mulberry32Step } from './mulberry32.js';
export { murmur2, partitionFor } from './murmur2.js';
export type { Pipeline, PipelineBuilder, Step, StepOptions } from './pipeline.js';
export { pipeline } from './pipeline.js';
export { binCounts, psi, quantileEdges } from './psi.js';
export type {
  Headers,
  HeaderValue,
  Key,
  OutRecord,
  TopicPartition,
  TopicPartitionOffset,
  TRecord,
} from './record.js';
export { headerToString, keyToBytes, keyToString } from './record.js';
export type { RetryOptions } from './retry.js';
export { backoffDelay, isRetryable } from './retry.js';
export type { Route, RouteOptions } from './route.js';
export { to, when } from './route.js';
export { run } from './run.js';
export type { RunHandle, RunSummary } from './runHandle.js';
export type { PipelineSnapshot, RunOptions } from './runOptions.js';
export type { Bytes, Deserializer, Serde, Serializer, SyncSerde } from './serde.js';
export { encodeValue, jsonSerde, stringSerde } from './serde.js';
export type { Sink } from './sink.js';
export { sleep } from './sleep.js';
export type { Source, SourceListener, SourceSession } from './source.js';
export type {
  Emit,
  Many,
  PartitionState,
  Stage,
  StageContext,
  StageEndContext,
  StageFn,
  StageObject,
  StageOpenContext,
  StageOutput,
  StageResult,
} from './stage.js';
export { emit, isEmit, isMany, many } from './stage.js';
export type { KeyedState, StateSnapshot, StateStore } from './state.js';
export type { TableJoined, TableJoinOptions } from './tableJoin.js';
export { tableJoin } from './tableJoin.js';
