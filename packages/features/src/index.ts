/**
 * Online feature transforms and per-key event-time windowed aggregates.
 *
 * @packageDocumentation
 * @module @tributary/features
 */
export type { AggregateKind, AggregateResults, Aggregator } from './aggregates.js';
export { count, distinct, max, mean, min, std, sum } from './aggregates.js';
export type { ClipOptions } from './clip.js';
export { clip } from './clip.js';
export type {
  Composed,
  ComposedSnapshot,
  ComposeOrder,
  ComposeStageOptions,
  VectorModel,
} from './compose.js';
export { compose } from './compose.js';
export type { FieldTransformOptions, TransformImpl } from './defineTransform.js';
export { defineTransform } from './defineTransform.js';
export type { FeaturesErrorCode } from './errors.js';
export type { FeatureHasher, FeatureHasherOptions } from './featureHasher.js';
export { featureHasher } from './featureHasher.js';
export type { FeatureMap, FeatureValue, NumericFeatures } from './featureMap.js';
export type {
  FeatureVector,
  FeatureVectorAssembler,
  FeatureVectorOptions,
} from './featureVector.js';
export { featureVector } from './featureVector.js';
export type { ImputerOptions, ImputeStrategy } from './imputer.js';
export { imputer } from './imputer.js';
export type { ObjectSchemaLike } from './inputColumns.js';
export { inputColumns } from './inputColumns.js';
export type { IntervalJoined, IntervalJoinOptions, JoinSide } from './intervalJoin.js';
export { intervalJoin } from './intervalJoin.js';
export type { LogTransformOptions } from './logTransform.js';
export { logTransform } from './logTransform.js';
export type { MergeableTransform } from './mergeableTransform.js';
export type { MinMaxScalerOptions } from './minMaxScaler.js';
export { minMaxScaler } from './minMaxScaler.js';
export { murmur3 } from './murmur3.js';
export type { OneHotColumns, OneHotEncoder, OneHotEncoderOptions } from './oneHotEncoder.js';
export { oneHotEncoder } from './oneHotEncoder.js';
export type { RowLayout, RowStep, RowTransform } from './rowTransform.js';
export type { StandardScalerOptions } from './standardScaler.js';
export { standardScaler } from './standardScaler.js';
export type { SinceLast, TimeSinceLastOptions } from './timeSinceLast.js';
export { timeSinceLast } from './timeSinceLast.js';
export type { Transform, TransformOptions } from './transform.js';
export type { TransformSnapshot } from './transformSnapshot.js';
export type { Vectorizer, VectorizerSnapshot } from './vectorize.js';
export { vectorize } from './vectorize.js';
export type {
  AggregatedInput,
  LatePolicy,
  SlidingFeatures,
  SlidingWindowsOptions,
  WindowBounds,
  WindowedAggregatesOptions,
  WindowedFeatures,
  WindowResult,
} from './windowedAggregates.js';
export { windowedAggregates } from './windowedAggregates.js';
export type {
  HoppingWindow,
  SessionWindow,
  SlidingWindow,
  TumblingWindow,
  WindowSpec,
} from './windows.js';
export { hopping, session, sliding, tumbling } from './windows.js';
