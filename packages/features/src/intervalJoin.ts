import {
  type Bytes,
  type Deserializer,
  type Emit,
  type ErrorPolicy,
  emit,
  invalidOption,
  type KeyedState,
  type Many,
  many,
  type StageContext,
  type StageEndContext,
  type StageObject,
  TributaryError,
} from '@tributary/core';
import { isPlainObject } from './internal/guards.js';
import { type KeyKind, keyFrom, keyKind } from './internal/keyForm.js';
import {
  checkedEventTime,
  type LatePolicy,
  latenessOf,
  lateVerdict,
} from './internal/latePolicy.js';
import { insertByTime } from './internal/timeOrdered.js';

/** One input of an {@link intervalJoin}: its topic, how its values decode, and their event time. */
export interface JoinSide<T> {
  /** The side's topic, one of the source's topics (the two sides' topics differ). */
  readonly topic: string;
  /**
   * Decodes the side's values. They are buffered in keyed state (on Kafka, its changelog), so
   * they must be plain JSON data, as `jsonSerde` decodes; a record whose value is `null` is skipped.
   */
  readonly values: Deserializer<T, Bytes>;
  /** Event time of a value, in ms. Default: the record timestamp (`ctx.timestamp`). */
  readonly eventTime?: (value: T, ctx: StageContext) => number;
}

/** A pair of an {@link intervalJoin}: a left record and a right one of the same key, close in event time. */
export interface IntervalJoined<L, R> {
  /** The left record's value. */
  readonly left: L;
  /** The right record's value: always set in an inner join, `undefined` for a left record that found none in a left join. */
  readonly right: R;
}

/** Options of {@link intervalJoin}. */
export interface IntervalJoinOptions<L, R> {
  /** The left input; in a left join, each of its records appears at least once. */
  readonly left: JoinSide<L>;
  /** The right input. */
  readonly right: JoinSide<R>;
  /** The largest event-time distance of a pair, in ms: records at t and t' join when |t − t'| ≤ withinMs. */
  readonly withinMs: number;
  /**
   * `'inner'` (default) emits pairs only; `'left'` also emits `{ left, right: undefined }` for a
   * left record whose window closed (or whose input ended) without a partner.
   */
  readonly kind?: 'inner' | 'left';
  /** How far behind its key's newest event (over both topics) a record may be and still be on time, in ms. Default 0. */
  readonly allowedLatenessMs?: number;
  /** Policy for records behind the key's watermark. Default `'drop'` (counted `late_dropped`). */
  readonly late?: LatePolicy;
  /** Step name in metrics, logs and dead-letter headers, also the keyed-state namespace of the buffers. Default `'intervalJoin'`. */
  readonly name?: string;
  /** Error policy of this step, e.g. `deadLetter(lateSink)` with `late: 'dead-letter'`. */
  readonly onError?: ErrorPolicy;
}

// Per key and topic partition (plain JSON, so a changelog store keeps it): m, the side's newest
// event time of the key; b, its buffered records [t, value] ordered by t, a left one marked
// [t, value, 1] once an output holds it; k, the key's type when not text, for `end`.
type Buffered = [number, unknown] | [number, unknown, 1];
interface SideState {
  m: number;
  b: Buffered[];
  k?: KeyKind;
}

/**
 * A windowed stream–stream join in event time on a source that reads both topics
 * (`topic: [left, right]`), which must be co-partitioned (same key, partitioner and partition
 * count; on Kafka each member is assigned the same partition numbers of both). Each record is
 * buffered in the stage's keyed state of its own partition (with `kafkaStateStore`, its
 * changelog, so the buffers move with the partitions and come back on restart) and joined with
 * every buffered record of the same key on the other topic's partition of the same number whose
 * event time is at most `withinMs` away, one `{ left, right }` output per pair, whichever
 * arrived first. The key's watermark is its newest event time over both topics minus
 * `allowedLatenessMs`: a record behind it follows the `late` policy, and a buffered record
 * older than the watermark minus `withinMs`, which no on-time record can join any more, is
 * evicted. In a left join an evicted left record that found no partner is emitted with
 * `right: undefined`, and at the end of input every such record still buffered is (it stays
 * buffered, so a partner read after a restart still joins it). An output's timestamp is the
 * newest event time of its pair (the left record's for an unmatched one).
 */
export function intervalJoin<L, R>(
  options: IntervalJoinOptions<L, R> & { readonly kind: 'left' },
): StageObject<Bytes, IntervalJoined<L, R | undefined>>;
/** The inner form of {@link intervalJoin}: only pairs are emitted. */
export function intervalJoin<L, R>(
  options: IntervalJoinOptions<L, R> & { readonly kind?: 'inner' },
): StageObject<Bytes, IntervalJoined<L, R>>;
export function intervalJoin<L, R>(
  options: IntervalJoinOptions<L, R>,
): StageObject<Bytes, IntervalJoined<L, R | undefined>> {
  if (!isPlainObject(options)) throw invalidOption('options', 'an object', options);
  const left = checkedSide(options.left, 'left');
  const right = checkedSide(options.right, 'right');
  if (left.topic === right.topic) {
    throw invalidOption('right.topic', 'a topic other than the left one', right.topic);
  }
  const within = options.withinMs;
  if (typeof within !== 'number' || !Number.isFinite(within) || within < 0) {
    throw invalidOption('withinMs', 'a finite number >= 0', within);
  }
  if (options.kind !== undefined && options.kind !== 'inner' && options.kind !== 'left') {
    throw invalidOption('kind', "'inner' or 'left'", options.kind);
  }
  const leftJoin = options.kind === 'left';
  const lateness = latenessOf(options);
  type Out = IntervalJoined<L, R | undefined>;
  const pair = (l: unknown, r: unknown, at: number): Emit<Out> =>
    emit({ left: l as L, right: r as R | undefined }, { timestamp: at });

  const join = (value: unknown, isLeft: boolean, ctx: StageContext) => {
    if (ctx.partitionStateOn === undefined) {
      throw new TributaryError(
        'INVALID_PIPELINE',
        'intervalJoin needs a runtime context (run it in a pipeline)',
      );
    }
    const side = (isLeft ? left : right) as JoinSide<unknown>;
    const t = checkedEventTime(side.eventTime ? side.eventTime(value, ctx) : ctx.timestamp);
    const own = readSide(ctx.state.get());
    const otherSlot = ctx.partitionStateOn((isLeft ? right : left).topic).of(ctx.key);
    const other = readSide(otherSlot.get());
    const newest = Math.max(
      own?.m ?? Number.NEGATIVE_INFINITY,
      other?.m ?? Number.NEGATIVE_INFINITY,
    );
    const verdict = lateVerdict(lateness, t, newest - lateness.allowedLatenessMs, 'key', ctx);
    if (verdict === 'dropped') return undefined;

    const outs: Emit<Out>[] = [];
    let otherChanged = false;
    for (const e of other?.b ?? []) {
      if (Math.abs(e[0] - t) > within) continue;
      outs.push(
        isLeft ? pair(value, e[1], Math.max(t, e[0])) : pair(e[1], value, Math.max(t, e[0])),
      );
      if (!isLeft && !held(e)) {
        hold(e);
        otherChanged = true;
      }
    }
    const st: SideState = own ?? { m: t, b: [] };
    st.m = Math.max(st.m, t);
    const kind = keyKind(ctx.key);
    if (kind !== undefined) st.k = kind;
    insertByTime(st.b, isLeft && outs.length > 0 ? [t, value, 1] : [t, value]);

    // Evict what no on-time record can join: older than the new watermark minus withinMs.
    const horizon = Math.max(newest, t) - lateness.allowedLatenessMs - within;
    const closed: Emit<Out>[] = [];
    const evict = (s: SideState, ofLeft: boolean): boolean => {
      let n = 0;
      while (n < s.b.length && s.b[n]![0] < horizon) {
        const e = s.b[n]!;
        if (ofLeft && !held(e)) {
          ctx.count('unmatched');
          if (leftJoin) closed.push(pair(e[1], undefined, e[0]));
        }
        n++;
      }
      if (n > 0) s.b.splice(0, n);
      return n > 0;
    };
    evict(st, isLeft);
    if (other !== undefined && evict(other, !isLeft)) otherChanged = true;
    ctx.state.set(st);
    if (otherChanged) otherSlot.set(other);
    // Closed windows' outputs first; no new array per record when nothing closed.
    if (closed.length === 0) return outputOf(outs);
    for (const o of outs) closed.push(o);
    return outputOf(closed);
  };

  // End of input: a left join's left records still buffered without a partner, in event-time order.
  const end = (ctx: StageEndContext): Many<Out> | undefined => {
    if (!leftJoin || ctx.topic !== left.topic) return undefined;
    const found: { t: number; key: string; out: Emit<Out> }[] = [];
    for (const key of ctx.partitionState.keys()) {
      const slot: KeyedState = ctx.partitionState.of(key);
      const st = readSide(slot.get());
      if (st === undefined) continue;
      let marked = false;
      for (const e of st.b) {
        if (held(e)) continue;
        found.push({
          t: e[0],
          key,
          out: emit(
            { left: e[1] as L, right: undefined },
            { key: keyFrom(key, st.k), timestamp: e[0] },
          ),
        });
        hold(e);
        marked = true;
      }
      if (marked) slot.set(st);
    }
    if (found.length === 0) return undefined;
    ctx.count('unmatched', found.length);
    found.sort((a, b) => a.t - b.t || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    return many(found.map((f) => f.out));
  };

  return {
    name: options.name ?? 'intervalJoin',
    process: (raw, ctx) => {
      const isLeft = ctx.topic === left.topic;
      if (!isLeft && ctx.topic !== right.topic) {
        throw new TributaryError(
          'INVALID_PIPELINE',
          `intervalJoin got a record of topic ${ctx.topic}, neither ${left.topic} nor ${right.topic}`,
        );
      }
      if (raw === null) {
        ctx.count('null_skipped');
        return undefined;
      }
      const value = (isLeft ? left : right).values.deserialize(raw);
      return value instanceof Promise
        ? value.then((v) => join(v, isLeft, ctx))
        : join(value, isLeft, ctx);
    },
    end,
    // Lateness fails the same way every time: retrying it only delays the policy.
    retry: { retries: 0 },
    ...(options.onError === undefined ? {} : { onError: options.onError }),
  };
}

function checkedSide<T>(side: JoinSide<T> | undefined, name: 'left' | 'right'): JoinSide<T> {
  if (!isPlainObject(side)) {
    throw invalidOption(name, '{ topic, values } of one input', side);
  }
  if (typeof side.topic !== 'string' || side.topic.length === 0) {
    throw invalidOption(`${name}.topic`, 'a topic name', side.topic);
  }
  if (typeof side.values?.deserialize !== 'function') {
    throw invalidOption(`${name}.values`, 'a deserializer such as jsonSerde()', side.values);
  }
  if (side.eventTime !== undefined && typeof side.eventTime !== 'function') {
    throw invalidOption(`${name}.eventTime`, 'a function (value, ctx) => ms', side.eventTime);
  }
  return side;
}

function readSide(raw: unknown): SideState | undefined {
  if (raw === undefined) return undefined;
  const s = raw as SideState;
  if (!isPlainObject(raw) || typeof s.m !== 'number' || !Array.isArray(s.b)) {
    throw new TributaryError('STATE_FAILED', 'intervalJoin: keyed state has an unknown shape', {
      details: { got: typeof raw },
    });
  }
  return s;
}

/** True once an output holds this left record. */
function held(e: Buffered): boolean {
  return e.length === 3;
}

function hold(e: Buffered): void {
  (e as [number, unknown, 1])[2] = 1;
}

function outputOf<O>(outs: readonly Emit<O>[]): Emit<O> | Many<O> | undefined {
  return outs.length === 0 ? undefined : outs.length === 1 ? outs[0] : many(outs);
}
