import { describe, expect, it } from 'vitest';
import {
  DeadLetterHeaders,
  deadLetter,
  isRetryable,
  memoryBus,
  type OutRecord,
  pipeline,
  run,
  type Sink,
  silentLogger,
  skip,
  TributaryError,
} from './index.js';

describe('isRetryable', () => {
  it('is false only for errors that say retryable: false', () => {
    expect(isRetryable(new TributaryError('X', 'bad input', { retryable: false }))).toBe(false);
    expect(isRetryable(new TributaryError('X', 'peer down', { retryable: true }))).toBe(true);
    expect(isRetryable(new TributaryError('X', 'unknown'))).toBe(true);
    expect(isRetryable(new Error('plain'))).toBe(true);
    expect(isRetryable('text')).toBe(true);
    expect(isRetryable(null)).toBe(true);
  });
});

describe('a sink error that is not retryable', () => {
  it('skips the write retries: the batch is split at once and only the bad record meets the policy', async () => {
    const bus = memoryBus();
    // Bytes on the bus, one byte per record: the value is the record's number.
    bus.produce(
      'in',
      Array.from({ length: 10 }, (_, i) => ({ value: Uint8Array.of(i) })),
    );
    const calls: number[][] = [];
    const written: number[] = [];
    const sink: Sink<Uint8Array | null> = {
      name: 'picky',
      write: async (batch: readonly OutRecord<Uint8Array | null>[]) => {
        const values = batch.map((r) => (r.value as Uint8Array)[0] as number);
        calls.push(values);
        if (values.includes(4)) {
          throw new TributaryError('BAD_RECORD', 'record 4 is malformed', { retryable: false });
        }
        written.push(...values);
      },
    };
    const dlq: OutRecord[] = [];
    const summary = await run(
      pipeline(bus.source({ topic: 'in', group: 'g', stopAtEnd: true, maxBatchSize: 10 })).to(sink),
      {
        logger: silentLogger,
        batchSize: 10,
        sinkRetry: { retries: 5, initialDelayMs: 1 },
        onError: deadLetter({ name: 'dlq', write: async (b) => void dlq.push(...b) }),
      },
    ).done;
    // One batch attempt (no retries), then each record alone.
    expect(calls[0]).toHaveLength(10);
    expect(calls.slice(1)).toEqual(Array.from({ length: 10 }, (_, i) => [i]));
    expect(summary.metrics.sinks.picky?.retries).toBe(0);
    expect(written).toEqual([0, 1, 2, 3, 5, 6, 7, 8, 9]);
    expect(dlq).toHaveLength(1);
    expect(dlq[0]?.headers[DeadLetterHeaders.code]).toBe('BAD_RECORD');
    expect(dlq[0]?.headers[DeadLetterHeaders.attempts]).toBe('2');
  });

  it('is still retried when the route says so with its own retryable', async () => {
    const bus = memoryBus();
    bus.produce('in', [{ value: Uint8Array.of(1) }]);
    let calls = 0;
    const sink: Sink<Uint8Array | null> = {
      name: 'once',
      write: async () => {
        calls++;
        if (calls === 1) throw new TributaryError('X', 'first try fails', { retryable: false });
      },
    };
    const summary = await run(
      pipeline(bus.source({ topic: 'in', group: 'g', stopAtEnd: true })).to(sink),
      { logger: silentLogger, sinkRetry: { retries: 2, initialDelayMs: 1, retryable: () => true } },
    ).done;
    expect(calls).toBe(2);
    expect(summary.metrics.sinks.once?.retries).toBe(1);
  });

  it('is not retried in a stage either', async () => {
    const bus = memoryBus();
    bus.produce('in', [{ value: Uint8Array.of(1) }]);
    let calls = 0;
    const summary = await run(
      pipeline(bus.source({ topic: 'in', group: 'g', stopAtEnd: true }))
        .pipe(
          () => {
            calls++;
            throw new TributaryError('X', 'never valid', { retryable: false });
          },
          { name: 'strict', retry: { retries: 3, initialDelayMs: 1 }, onError: skip },
        )
        .to({ name: 'none', write: async () => {} }),
      { logger: silentLogger },
    ).done;
    expect(calls).toBe(1);
    expect(summary.skipped).toBe(1);
  });
});
