import type { TopicPartition, TopicPartitionOffset } from '@tributary/core';
import { describe, expect, it } from 'vitest';
import type { AdapterConsumer, InBatch } from './adapter.js';
import { type GuardTransactions, RebalanceGuard } from './rebalanceGuard.js';

const tp = (partition: number): TopicPartition => ({ topic: 't', partition });
const at = (partition: number, offset: number): TopicPartitionOffset => ({
  topic: 't',
  partition,
  offset,
});

/** A consumer that records what the guard asks of it (no client, no broker). */
function recordingConsumer(revokesAfterRejoin: boolean, failCommit?: Error) {
  const seeks: TopicPartitionOffset[] = [];
  const commits: TopicPartitionOffset[][] = [];
  const consumer = {
    revokesAfterRejoin,
    native: undefined,
    seek: (o: TopicPartitionOffset) => void seeks.push(o),
    commit: async (offsets: readonly TopicPartitionOffset[]) => {
      if (failCommit !== undefined) throw failCommit;
      commits.push([...offsets]);
    },
  } as unknown as AdapterConsumer;
  return { consumer, seeks, commits };
}

/** Transactions that record commits and aborts; `open` says whether anything was written. */
function recordingTransactions(failWith?: Error) {
  const log: string[] = [];
  const txns: GuardTransactions & { open: boolean } = {
    open: false,
    commit: async (_c, _g, offsets) => {
      if (failWith !== undefined) throw failWith;
      log.push(`commit ${offsets.map((o) => `${o.partition}@${o.offset}`).join(',')}`);
    },
    abort: async () => void log.push('abort'),
  };
  return { txns, log };
}

function guardWith(opts: {
  revokesAfterRejoin?: boolean;
  transactions?: GuardTransactions;
  committed?: TopicPartitionOffset;
  failCommit?: Error;
}) {
  const recording = recordingConsumer(opts.revokesAfterRejoin ?? false, opts.failCommit);
  const failures: unknown[] = [];
  const waits: number[] = [];
  const guard = new RebalanceGuard({
    consumer: recording.consumer,
    group: 'g',
    transactions: opts.transactions,
    committed: async () => opts.committed,
    wait: async (ms) => void waits.push(ms),
    failed: (e) => void failures.push(e),
  });
  return { guard, failures, waits, ...recording };
}

const batch = (partition: number, first: number): InBatch => ({
  topic: 't',
  partition,
  messages: [{ offset: first, key: null, value: null, headers: {}, timestamp: 0 }],
});

describe('RebalanceGuard', () => {
  it('without transactions commits offsets on the consumer and wraps a failure', async () => {
    const ok = guardWith({});
    expect(await ok.guard.commit([at(0, 5)])).toBeUndefined();
    expect(ok.commits).toEqual([[at(0, 5)]]);

    const bad = guardWith({ failCommit: new Error('broker gone') });
    await expect(bad.guard.commit([at(0, 5)])).rejects.toMatchObject({
      code: 'KAFKA_COMMIT_FAILED',
    });
  });

  it('on a client that reports revokes after the rejoin, seeks kept partitions back to its own commits', async () => {
    const g = guardWith({ revokesAfterRejoin: true });
    await g.guard.commit([at(0, 7), at(1, 3)]);
    await g.guard.revoked(
      [tp(0), tp(1)],
      async () => {},
      () => false,
    );
    // Partition 0 is kept, partition 1 went to another member.
    g.guard.assigned([tp(0)]);
    expect(g.seeks).toEqual([at(0, 7)]);
    // Once forgotten, a later assignment seeks nothing.
    g.guard.assigned([tp(1)]);
    expect(g.seeks).toEqual([at(0, 7)]);
  });

  it('on a client that reports revokes before the rejoin, does not seek', async () => {
    const g = guardWith({ revokesAfterRejoin: false });
    await g.guard.commit([at(0, 7)]);
    await g.guard.revoked(
      [tp(0)],
      async () => {},
      () => false,
    );
    g.guard.assigned([tp(0)]);
    expect(g.seeks).toEqual([]);
  });

  it('exactly-once: commits the transaction only once every delivered record is done, never during a rejoin', async () => {
    const { txns, log } = recordingTransactions();
    const g = guardWith({ transactions: txns });
    g.guard.delivered(tp(0), 10);
    expect(await g.guard.commit([at(0, 4)])).toEqual([]);
    expect(log).toEqual([]);
    g.guard.rebalancing();
    expect(await g.guard.commit([at(0, 10)])).toEqual([]);
    g.guard.assignedDone();
    expect(await g.guard.commit([at(0, 10)])).toEqual([at(0, 10)]);
    expect(log).toEqual(['commit 0@10']);
    // Offsets were committed by the transaction, not by the consumer.
    expect(g.commits).toEqual([]);
  });

  it('exactly-once, revokes before the rejoin: commits what is done when the runtime let go', async () => {
    const { txns, log } = recordingTransactions();
    txns.open = true;
    const g = guardWith({ transactions: txns, revokesAfterRejoin: false });
    g.guard.delivered(tp(0), 3);
    expect(await g.guard.commit([at(0, 2)])).toEqual([]);
    const order: string[] = [];
    await g.guard.revoked(
      [tp(0)],
      async () => {
        order.push('runtime revoked');
      },
      () => false,
    );
    expect(order).toEqual(['runtime revoked']);
    expect(log).toEqual(['commit 0@2']);
  });

  it('exactly-once, revokes before the rejoin: a commit during the drain waits for its end', async () => {
    const { txns, log } = recordingTransactions();
    txns.open = true;
    const g = guardWith({ transactions: txns, revokesAfterRejoin: false });
    g.guard.delivered(tp(0), 10);
    g.guard.delivered(tp(1), 5);
    const during: (TopicPartitionOffset[] | undefined)[] = [];
    await g.guard.revoked(
      [tp(0), tp(1)],
      async () => {
        // A timer commit with offsets read before the revoke: records 4-9 of partition 0 are
        // still being drained and their outputs land in the open transaction.
        during.push(await g.guard.commit([at(0, 4), at(1, 5)]));
        // The runtime's own commit once its records settled (9 was queued and abandoned).
        during.push(await g.guard.commit([at(0, 9), at(1, 5)]));
      },
      () => false,
    );
    expect(during).toEqual([[], []]);
    // One commit, after the drain, with the offsets the drain reached.
    expect(log).toEqual(['commit 0@9,1@5']);
  });

  it('exactly-once, revokes after the rejoin: discards the open transaction instead', async () => {
    const { txns, log } = recordingTransactions();
    txns.open = true;
    const g = guardWith({ transactions: txns, revokesAfterRejoin: true });
    g.guard.delivered(tp(0), 3);
    let commitDuringRevoke: TopicPartitionOffset[] | undefined;
    await g.guard.revoked(
      [tp(0)],
      async () => {
        commitDuringRevoke = await g.guard.commit([at(0, 3)]);
      },
      () => false,
    );
    expect(commitDuringRevoke).toEqual([]);
    expect(log).toEqual(['abort']);
  });

  it('exactly-once on kafkajs: a new partition waits, then skips to a committed offset past its batch', async () => {
    const { txns } = recordingTransactions();
    const g = guardWith({ transactions: txns, revokesAfterRejoin: true, committed: at(0, 9) });
    g.guard.assigned([tp(0), tp(1)]);
    const skip = await g.guard.settle(
      batch(0, 4),
      async () => {},
      () => true,
    );
    expect(skip).toEqual(at(0, 9));
    expect(g.seeks).toEqual([at(0, 9)]);
    expect(g.waits).toHaveLength(1);
    // Settled once: the next batch of the partition goes through without a wait.
    expect(
      await g.guard.settle(
        batch(0, 9),
        async () => {},
        () => true,
      ),
    ).toBeUndefined();
    expect(g.waits).toHaveLength(1);
    // Committed offset not past the batch: nothing skipped.
    expect(
      await g.guard.settle(
        batch(1, 20),
        async () => {},
        () => true,
      ),
    ).toBeUndefined();
    expect(g.seeks).toEqual([at(0, 9)]);
  });

  it('without exactly-once, batches are never held back', async () => {
    const g = guardWith({ revokesAfterRejoin: true, committed: at(0, 9) });
    g.guard.assigned([tp(0)]);
    expect(
      await g.guard.settle(
        batch(0, 4),
        async () => {},
        () => true,
      ),
    ).toBeUndefined();
    expect(g.waits).toEqual([]);
  });

  it('a failed transaction commit fails the run and rejects', async () => {
    const boom = new Error('aborted');
    const { txns } = recordingTransactions(boom);
    const g = guardWith({ transactions: txns });
    g.guard.delivered(tp(0), 1);
    await expect(g.guard.commit([at(0, 1)])).rejects.toBe(boom);
    expect(g.failures).toEqual([boom]);
  });
});
