import {
  DeadLetterHeaders,
  type Headers,
  headerToString,
  type StageContext,
} from '@tributary/core';

/**
 * Header names of the lineage every prediction record carries. The source coordinates use the
 * same names as core's dead-letter headers, so one tool reads both.
 */
export const LineageHeaders = {
  /** Name of the model in the model store, e.g. `fraud-classifier`. */
  model: 'tributary.model.name',
  /** The model version (store version; 0 = the untrained model before the first publish). */
  modelVersion: 'tributary.model.version',
  /** Topic, partition and offset of the input record that produced the prediction. */
  topic: DeadLetterHeaders.topic,
  partition: DeadLetterHeaders.partition,
  offset: DeadLetterHeaders.offset,
  /** Event time of the input, epoch milliseconds. */
  eventTime: 'tributary.event.time',
} as const;

/** Where a score came from: the model version and the input record. */
export interface Lineage {
  readonly model: string;
  readonly modelVersion: number;
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
  readonly eventTime: number;
}

/** The lineage of a score computed now, for the record `ctx` is processing. */
export function lineageOf(
  model: string,
  modelVersion: number,
  eventTime: number,
  ctx: Pick<StageContext, 'topic' | 'partition' | 'offset'>,
): Lineage {
  return {
    model,
    modelVersion,
    topic: ctx.topic,
    partition: ctx.partition,
    offset: ctx.offset,
    eventTime,
  };
}

/** Lineage as record headers (text values). */
export function lineageHeaders(l: Lineage): Headers {
  return {
    [LineageHeaders.model]: l.model,
    [LineageHeaders.modelVersion]: String(l.modelVersion),
    [LineageHeaders.topic]: l.topic,
    [LineageHeaders.partition]: String(l.partition),
    [LineageHeaders.offset]: String(l.offset),
    [LineageHeaders.eventTime]: String(l.eventTime),
  };
}

/** Reads lineage back from headers (bytes or text); undefined when a header is missing. */
export function lineageFromHeaders(headers: Headers): Lineage | undefined {
  const get = (name: string) => headerToString(headers[name]);
  const model = get(LineageHeaders.model);
  const topic = get(LineageHeaders.topic);
  const numbers = [
    LineageHeaders.modelVersion,
    LineageHeaders.partition,
    LineageHeaders.offset,
    LineageHeaders.eventTime,
  ].map((h) => Number(get(h) ?? Number.NaN));
  if (model === undefined || topic === undefined || numbers.some((n) => !Number.isFinite(n)))
    return undefined;
  const [modelVersion, partition, offset, eventTime] = numbers as [number, number, number, number];
  return { model, modelVersion, topic, partition, offset, eventTime };
}
