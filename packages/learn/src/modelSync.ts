import { randomUUID } from 'node:crypto';
import {
  type Bus,
  invalidOption,
  jsonSerde,
  type Sink,
  type SourceSession,
  type StageObject,
  sleep,
  type TRecord,
} from '@tributary/core';
import { integer, positive } from './internal/checks.js';
import { learnError } from './internal/errors.js';
import { Rng } from './internal/rng.js';
import type { Learner, LearnerSnapshot } from './learner.js';
import type { Mergeable, ModelDelta } from './mergeable.js';

/** Clipping and Gaussian noise on each published update (the Gaussian mechanism). */
export interface ModelSyncPrivacy {
  /** Bound C on the L2 norm of an update's parameters; larger updates are scaled down to C. */
  readonly clip: number;
  /** Noise multiplier σ: each parameter gets N(0, (σ·C)²) noise. */
  readonly noise: number;
  /** Seed of the noise; default: random. */
  readonly seed?: number;
}

/** Options of {@link modelSync}. */
export interface ModelSyncOptions<I, Y> {
  /**
   * The bus the flow runs on (memory or Kafka): the updates topic lives there. Not an
   * exactly-once Kafka bus (`INVALID_OPTION`; see docs/scaling-out.md).
   */
  readonly bus: Bus;
  /** The model-updates topic (a plain, not compacted, topic: every delta counts). */
  readonly topic: string;
  /** This worker's id, unique in the group; default a random UUID. Reuse it to resume a worker. */
  readonly worker?: string;
  /** Publish an update after this many records learnt; default 500. */
  readonly every?: number;
  /** Or once this many ms passed since the last update (checked per record); default 5000. */
  readonly everyMs?: number;
  /** The feature vector of a value. */
  readonly features: (value: I) => Float64Array;
  /** The label of a value (`undefined`: no label, not learnt). Omit for unsupervised learners. */
  readonly label?: (value: I) => Y | undefined;
  /** Sample weight of a value; default 1. */
  readonly weight?: (value: I) => number;
  /**
   * Scale of peers' parameter steps when folded in: 1 (default) adds them, as one learner
   * taking every step; 1/workers averages them (federated averaging), for large steps or
   * many workers, where summed steps computed on stale models overshoot. Statistics are
   * always added exactly.
   */
  readonly stepScale?: number;
  /** Differential privacy on the published parameters; default none. */
  readonly privacy?: ModelSyncPrivacy;
  /** Partitions of the updates topic when it is created; default 1 (one total order). */
  readonly partitions?: number;
  /** How long to wait to read the updates topic to its end (start, new partitions); default 60000 ms. */
  readonly catchUpTimeoutMs?: number;
  /** Stage name; default 'modelSync'. */
  readonly name?: string;
}

/** One message on the model-updates topic. */
export interface ModelUpdate {
  /** Id of the sending worker (its `worker` option). */
  readonly worker: string;
  /** 1, 2, 3… per worker: peers merge each (worker, seq) once. */
  readonly seq: number;
  /**
   * Instance of the worker id: one more than the highest the log held when it started (absent
   * in logs from before epochs: 0). Peers drop updates of a lower epoch than they merged from
   * that worker, so a zombie instance cannot publish over its successor.
   */
  readonly epoch?: number;
  /** Updates merged into the sender's model when it sent this one (its own included). */
  readonly version: number;
  /** Positions (next offset) of the source partitions whose records this and earlier updates hold. */
  readonly offsets: readonly {
    /** Source topic. */
    topic: string;
    /** Source partition. */
    partition: number;
    /** Next offset to read: records before it are in the updates. */
    offset: number;
  }[];
  /**
   * What the sender learnt from its own records since its previous update (clipped and noised
   * under `privacy`).
   */
  readonly delta: ModelDelta;
}

/** What {@link modelSync}'s `snapshot` holds (with the model it is the worker's whole state). */
interface SyncSnapshot {
  readonly model: LearnerSnapshot;
  readonly base: LearnerSnapshot;
  readonly merged: Record<string, number>;
  readonly covered: Record<string, number>;
  /** Highest epoch merged per worker (absent in snapshots from before epochs). */
  readonly epochs?: Record<string, number>;
}

const serde = jsonSerde<ModelUpdate>();

/**
 * A learning stage for a flow that runs as several workers in one consumer group: each learns
 * from its own partitions, publishes what it learnt (a {@link ModelDelta}, see `Mergeable`) to
 * `topic` every `every` records or `everyMs` and before every commit, and folds in every
 * peer's updates (gossip: no coordinator). Each worker's model converges to the model of all
 * the group's records. Guarantees (docs/scaling-out.md): an update is merged once per (worker,
 * seq); a record's offset is committed only after its update was acknowledged, so a killed
 * worker loses nothing committed; a record already in a peer's update (learnt, published, not
 * yet committed when the peer died) is not learnt again by the partition's next owner.
 */
export function modelSync<I, Y>(
  learner: Learner<Y, unknown> & Mergeable,
  options: ModelSyncOptions<I, Y>,
): StageObject<I, I> {
  const every = integer('every', options.every ?? 500, 1);
  const everyMs = positive('everyMs', options.everyMs ?? 5000);
  const partitions = integer('partitions', options.partitions ?? 1, 1);
  const timeoutMs = positive('catchUpTimeoutMs', options.catchUpTimeoutMs ?? 60_000);
  const privacy = options.privacy;
  const stepScale = positive('stepScale', options.stepScale ?? 1);
  if (privacy !== undefined) {
    positive('privacy.clip', privacy.clip);
    positive('privacy.noise', privacy.noise, true);
  }
  const noise = new Rng(privacy?.seed ?? Math.floor(Math.random() * 2 ** 31));
  const worker = options.worker ?? randomUUID();
  if (typeof worker !== 'string' || worker === '') {
    throw invalidOption('worker', 'a non-empty string', worker);
  }
  const { bus, topic, features, label, weight } = options;
  // On an exactly-once bus the updates would be written in the flow's transactions: visible
  // only once it commits, behind commit markers a reader never gets as records, so a worker
  // could never read the topic to its end (it waited catchUpTimeoutMs and failed).
  if ((bus as { exactlyOnce?: unknown }).exactlyOnce === true) {
    throw invalidOption('bus', 'a bus without exactly-once transactions', 'exactlyOnce');
  }

  // base: the model minus what this worker learnt since its last update (peers' deltas are
  // applied to both), so `learner.delta(base)` is exactly this worker's unpublished learning.
  let base = learner.snapshot();
  const baseModel = learner.clone() as Learner<Y, unknown> & Mergeable;
  /** Last seq merged per worker (this one's own last published seq included). */
  const merged = new Map<string, number>();
  /** Epoch of the updates merged per worker: lower ones come from a replaced instance. */
  const epochs = new Map<string, number>();
  /** This instance's epoch, chosen at open once the log was read to its end. */
  let epoch = 0;
  /** Set once the log holds an update of this worker id from a newer instance. */
  let fencedBy: number | undefined;
  /** Per source partition: offsets below are in the model (learnt here or in a merged update). */
  const covered = new Map<string, number>();
  /** Per source partition: the next offset this worker expects (a gap means a new owner). */
  const next = new Map<string, number>();
  let inbox: ModelUpdate[] = [];
  const readTo = new Map<number, number>();
  let readerError: unknown;
  let session: SourceSession | undefined;
  let sink: Sink<ModelUpdate> | undefined;
  let sinceSync = 0;
  let lastSync = Date.now();
  let chain: Promise<void> = Promise.resolve();

  const version = () => {
    let v = 0;
    for (const s of merged.values()) v += s;
    return v;
  };

  const applyBoth = (delta: ModelDelta) => {
    learner.applyDelta(delta, stepScale);
    baseModel.restore(base);
    baseModel.applyDelta(delta, stepScale);
    base = baseModel.snapshot();
  };

  let log: { warn(msg: string, fields?: Record<string, unknown>): void } | undefined;
  let applied = 0;
  let duplicates = 0;
  let fenced = 0;

  /** Folds every pending update in, once per (worker, epoch, seq), none of a replaced instance. */
  const fold = () => {
    if (inbox.length === 0) return;
    const pending = inbox;
    inbox = [];
    for (const u of pending) {
      const e = u.epoch ?? 0;
      const known = epochs.get(u.worker) ?? 0;
      if (u.worker === worker && epoch > 0 && e > epoch) fencedBy ??= e;
      const last = merged.get(u.worker) ?? 0;
      if (e < known && u.seq <= last) {
        duplicates += 1; // merged before (read again, e.g. after a restore)
        continue;
      }
      if (e < known) {
        // A zombie: an instance of u.worker that a newer one replaced still publishes.
        fenced += 1;
        log?.warn('modelSync: dropped an update of a replaced instance', {
          self: worker,
          worker: u.worker,
          epoch: e,
          current: known,
          seq: u.seq,
        });
        continue;
      }
      // A newer instance numbers on from what it read at its start; its first update is new
      // even when the old one published meanwhile under the same seq.
      if (e === known && u.seq <= last) {
        duplicates += 1;
        continue;
      }
      // Only possible when the log lost updates (retention): what they held is gone.
      if (e === known && u.seq > last + 1) {
        log?.warn('modelSync: updates missing from the log', {
          self: worker,
          worker: u.worker,
          last,
          got: u.seq,
        });
      }
      applyBoth(u.delta);
      merged.set(u.worker, u.seq);
      epochs.set(u.worker, e);
      applied += 1;
      for (const o of u.offsets) {
        const k = `${o.topic}:${o.partition}`;
        if (o.offset > (covered.get(k) ?? 0)) covered.set(k, o.offset);
      }
    }
  };

  const fencedError = () =>
    learnError(
      'LEARN_SYNC_FENCED',
      `modelSync: a newer instance of worker ${worker} (epoch ${fencedBy}) published to ${topic}; this one (epoch ${epoch}) stops`,
      { topic, worker, epoch, newer: fencedBy },
    );

  const caughtUp = async () => {
    const ends = await bus.admin.offsets(topic, 'latest');
    const start = Date.now();
    for (;;) {
      if (readerError !== undefined) throw readerError;
      if (ends.every((e) => (readTo.get(e.partition) ?? 0) >= e.offset)) break;
      if (Date.now() - start > timeoutMs) {
        throw learnError(
          'LEARN_SYNC_TIMEOUT',
          `modelSync: could not read ${topic} to its end within ${timeoutMs} ms`,
          { topic, ends },
        );
      }
      await sleep(2);
    }
    fold();
  };

  const privatize = (delta: ModelDelta): ModelDelta => {
    if (privacy === undefined) return delta;
    let sq = 0;
    for (const p of Object.values(delta.parts)) for (const v of p.values) sq += v * v;
    const scale = Math.min(1, privacy.clip / Math.sqrt(sq || 1));
    const sd = privacy.noise * privacy.clip;
    const parts: Record<string, ModelDelta['parts'][string]> = {};
    for (const [name, p] of Object.entries(delta.parts)) {
      parts[name] = { kind: p.kind, values: p.values.map((v) => v * scale + sd * noise.normal()) };
    }
    return { ...delta, parts };
  };

  /** Publishes this worker's unpublished learning and waits for the bus to acknowledge it. */
  const publish = (): Promise<void> => {
    chain = chain.then(async () => {
      if (sinceSync === 0 || sink === undefined) return;
      fold();
      if (fencedBy !== undefined) throw fencedError();
      // Everything below up to the write is synchronous: the delta, the new base and the
      // offsets agree, and records learnt meanwhile go into the next update.
      const delta = privatize(learner.delta(base));
      base = learner.snapshot();
      const seq = (merged.get(worker) ?? 0) + 1;
      merged.set(worker, seq);
      epochs.set(worker, epoch);
      const offsets = [...covered].map(([k, offset]) => {
        const i = k.lastIndexOf(':');
        return { topic: k.slice(0, i), partition: Number(k.slice(i + 1)), offset };
      });
      sinceSync = 0;
      lastSync = Date.now();
      const update: ModelUpdate = { worker, seq, epoch, version: version(), offsets, delta };
      await sink.write([{ key: worker, value: update, headers: {}, timestamp: Date.now() }]);
      await sink.flush?.();
    });
    return chain;
  };

  return {
    name: options.name ?? 'modelSync',
    async open(ctx) {
      log = ctx.log;
      if (privacy !== undefined) {
        // Fail fast: the noise only covers parameters, so statistics would leave in the clear.
        const shape = learner.delta(learner.snapshot());
        for (const [name, p] of Object.entries(shape.parts)) {
          if (p.kind !== 'param') {
            throw invalidOption(
              'privacy',
              `a learner whose updates are parameters only (${shape.type}'s "${name}" is ${p.kind} data)`,
              shape.type,
            );
          }
        }
      }
      await bus.admin.ensureTopics([{ topic, partitions }]);
      sink = bus.sink({ topic, serde });
      await sink.open?.();
      // A group of its own per instance: the reader commits nothing, and a group shared with
      // an earlier instance of this worker (killed, still a member until its session times
      // out) could leave the updates' partitions with that dead member, and this one unable
      // to read the log to its end.
      const source = bus.source({
        topic,
        group: `modelSync.${topic}.${worker}.${randomUUID()}`,
        serde,
      });
      const decode = source.decode;
      session = await source.start({
        async deliver(records: readonly TRecord<Uint8Array | null>[]) {
          for (const r of records) {
            try {
              // Decode before reading `inbox`: fold() may swap the array during the await.
              const u = (decode ? await decode(r.value, r) : r.value) as ModelUpdate;
              inbox.push(u);
            } catch (e) {
              readerError = e;
            }
            readTo.set(r.partition, r.offset + 1);
          }
        },
        async assigned() {},
        async revoked() {},
        ended() {},
        failed(error) {
          readerError = error;
        },
      });
      await caughtUp();
      epoch = (epochs.get(worker) ?? 0) + 1;
    },
    async process(value, ctx) {
      if (readerError !== undefined) throw readerError;
      const k = `${ctx.topic}:${ctx.partition}`;
      // First record of a partition here, or a jump: another worker had it. Read every update
      // published so far first, so records it already learnt are recognised below.
      const before = applied + duplicates + fenced;
      if (next.get(k) !== ctx.offset) await caughtUp();
      else fold();
      if (applied + duplicates + fenced > before) {
        ctx.count('updatesMerged', applied);
        ctx.count('duplicateUpdates', duplicates);
        if (fenced > 0) ctx.count('fencedUpdates', fenced);
        applied = 0;
        duplicates = 0;
        fenced = 0;
      }
      if (fencedBy !== undefined) throw fencedError();
      next.set(k, ctx.offset + 1);
      if (ctx.offset < (covered.get(k) ?? 0)) {
        ctx.count('alreadyLearnt');
        return value;
      }
      const x = features(value);
      const w = weight === undefined ? 1 : weight(value);
      if (label === undefined) learner.learn(x, undefined as Y, w);
      else {
        const y = label(value);
        if (y === undefined) {
          ctx.count('unlabelled');
          covered.set(k, ctx.offset + 1);
          return value;
        }
        learner.learn(x, y, w);
      }
      covered.set(k, ctx.offset + 1);
      ctx.count('learned');
      sinceSync += 1;
      if (sinceSync >= every || Date.now() - lastSync >= everyMs) {
        // Read the peers' updates first: a worker never steps further than one interval on a
        // model that misses its peers' steps (summed stale steps overshoot).
        await caughtUp();
        await publish();
      }
      return value;
    },
    // Before each commit: the committed records' learning must be on the updates topic.
    flush: () => publish(),
    async close() {
      // A fenced instance has nothing left to publish: its successor owns the worker id.
      await publish().catch((error: unknown) => {
        if (fencedBy === undefined) throw error;
      });
      await session?.close();
      await sink?.close?.();
    },
    snapshot(): SyncSnapshot {
      return {
        model: learner.snapshot(),
        base,
        merged: Object.fromEntries(merged),
        covered: Object.fromEntries(covered),
        epochs: Object.fromEntries(epochs),
      };
    },
    restore(s) {
      const snap = s as SyncSnapshot;
      learner.restore(snap.model);
      base = snap.base;
      merged.clear();
      for (const [w, seq] of Object.entries(snap.merged)) merged.set(w, seq);
      covered.clear();
      for (const [k, o] of Object.entries(snap.covered)) covered.set(k, o);
      epochs.clear();
      for (const [w, e] of Object.entries(snap.epochs ?? {})) epochs.set(w, e);
    },
  };
}
