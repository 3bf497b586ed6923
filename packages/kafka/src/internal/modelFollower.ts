import { errorMessage, type Logger } from '@tributary/core';
import type { InMessage } from './adapter.js';
import type { FollowOptions, TopicFollower } from './followTopic.js';
import { modelStoreError } from './modelStoreError.js';

/** Wait before a crashed follower starts again. */
const RESTART_MS = 1000;

/** What the follower hands {@link ModelFollowerHost.open}. */
export type FollowHooks = Required<Pick<FollowOptions, 'onStart' | 'onMessage' | 'onCrash'>>;

/** The model store, as its follower sees it. */
export interface ModelFollowerHost {
  readonly topic: string;
  readonly log: Logger;
  /** Creates the topic when missing and starts a consumer from its start (`followTopic`). */
  open(hooks: FollowHooks): Promise<TopicFollower>;
  /**
   * A record of the topic, in offset order. `fresh` when no follower of this store read it
   * before and it is past the end offset seen at the first start: subscribers hear only those.
   */
  record(message: InMessage, fresh: boolean): void;
}

/**
 * Follows the model topic for as long as the store is open: `started()` resolves once the
 * topic was read to its end (starting the consumer on first use, again after a failed start);
 * a consumer that crashes later is restarted after {@link RESTART_MS}, until `close()`.
 */
export class ModelFollower {
  private follower: TopicFollower | undefined;
  private ready: Promise<void> | undefined;
  private restartTimer: NodeJS.Timeout | undefined;
  // Records from this offset on are new to subscribers; set to the end offset at the first start.
  private notifyFrom: number | undefined;
  private closed = false;

  constructor(
    private readonly host: ModelFollowerHost,
    private readonly restartMs = RESTART_MS,
  ) {}

  /** The topic has been read to its end once. */
  started(): Promise<void> {
    if (this.closed) return Promise.reject(this.failed('closed'));
    this.ready ??= this.follow().catch((error: unknown) => {
      this.ready = undefined;
      throw this.failed('could not read the topic', error);
    });
    return this.ready;
  }

  /** Stops following; a start still reading to the end fails with KAFKA_MODEL_STORE_FAILED. */
  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.restartTimer);
    const f = this.follower;
    this.follower = undefined;
    await f?.stop(this.failed('closed'));
  }

  private failed(what: string, error?: unknown) {
    return modelStoreError(this.host.topic, what, error);
  }

  /** Starts a consumer; resolves once it has read to the end offset seen at its start. */
  private async follow(): Promise<void> {
    let f: TopicFollower | undefined;
    f = await this.host.open({
      onStart: (marks) => {
        this.notifyFrom ??= marks[0]?.high ?? 0;
      },
      onMessage: (_partition, m) => {
        const fresh = m.offset >= (this.notifyFrom ?? 0);
        if (fresh) this.notifyFrom = m.offset + 1;
        this.host.record(m, fresh);
      },
      onCrash: (error) => {
        if (f !== undefined && this.follower === f) this.crashedLater(f, error);
      },
    });
    if (this.closed) {
      await f.stop();
      throw this.failed('closed');
    }
    this.follower = f;
    try {
      await f.caughtUp;
    } catch (error) {
      if (this.follower === f) this.follower = undefined;
      await f.stop();
      throw error;
    }
  }

  private crashedLater(f: TopicFollower, error: unknown): void {
    const { log, topic } = this.host;
    log.error('kafkaModelStore: the topic follower failed; restarting it', {
      topic,
      error: errorMessage(error),
    });
    this.follower = undefined;
    void f.stop();
    const restart = () => {
      this.restartTimer = undefined;
      if (this.closed) return;
      this.follow().catch((e: unknown) => {
        if (this.closed) return;
        log.error('kafkaModelStore: restarting the topic follower failed; trying again', {
          topic,
          error: errorMessage(e),
        });
        this.restartTimer = setTimeout(restart, this.restartMs);
      });
    };
    this.restartTimer = setTimeout(restart, this.restartMs);
  }
}
