import type { OutRecord } from './record.js';

/**
 * A destination for records. `write` receives a batch in order and resolves once
 * every record of it is durably written; the runtime commits source offsets only then.
 */
export interface Sink<V = unknown> {
  /** Name of the route in metrics, logs and dead-letter headers (e.g. `kafka:alerts`). */
  readonly name: string;
  /** Called once before the first write, e.g. to connect or check the target. */
  open?(): Promise<void>;
  /** Writes a batch in order; resolves only once every record of it is durable. */
  // A property, not a method, so a sink of the wrong type is a compile error (no bivariance).
  readonly write: (records: readonly OutRecord<V>[]) => Promise<void>;
  /**
   * How many `write` calls may be under way at once. Default 1. A sink that sets more must
   * apply concurrent writes in call order (as an idempotent Kafka producer does per
   * partition); a batch that is retried may then land after later ones.
   */
  readonly writeConcurrency?: number;
  /** Makes everything written so far durable (called before commits and on stop). */
  flush?(): Promise<void>;
  /** Called once on stop, after the last flush. */
  close?(): Promise<void>;
}
