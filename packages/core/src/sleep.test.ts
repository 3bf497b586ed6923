import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { sleep } from './sleep.js';

describe('sleep', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('resolves after the delay, with or without a signal', async () => {
    let plain = false;
    let guarded = false;
    void sleep(100).then(() => {
      plain = true;
    });
    void sleep(100, new AbortController().signal).then(() => {
      guarded = true;
    });
    await vi.advanceTimersByTimeAsync(99);
    expect([plain, guarded]).toEqual([false, false]);
    await vi.advanceTimersByTimeAsync(1);
    expect([plain, guarded]).toEqual([true, true]);
  });

  it('rejects with the reason when the signal aborts, and leaves no timer behind', async () => {
    const stop = new AbortController();
    const slept = sleep(10_000, stop.signal);
    stop.abort(new Error('stopping'));
    await expect(slept).rejects.toThrow('stopping');
    expect(vi.getTimerCount()).toBe(0);
  });

  it('rejects at once for a signal that has already aborted', async () => {
    const stop = new AbortController();
    stop.abort('gone');
    await expect(sleep(10, stop.signal)).rejects.toBe('gone');
    expect(vi.getTimerCount()).toBe(0);
  });
});
