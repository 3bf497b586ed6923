import { describe, expect, it } from 'vitest';
import type { ModelVersion } from './modelStore.js';
import { modelSubscribers } from './modelSubscribers.js';

const version = (name: string, v: number): ModelVersion => ({
  name,
  version: v,
  snapshot: { type: 'test', version: 1, options: {}, state: { v } },
  savedAt: 0,
  metadata: {},
});

describe('modelSubscribers', () => {
  it('hands each listener of the name its own copy; failures are returned or reported, not thrown', async () => {
    const reported: unknown[] = [];
    const report = (error: unknown) => reported.push((error as Error).message);
    const subs = modelSubscribers((_m, error) => report(error));
    const heard: ModelVersion[] = [];
    subs.add('m', () => {
      throw new Error('sync');
    });
    subs.add('m', async () => {
      throw new Error('async');
    });
    subs.add('m', (m) => {
      heard.push(m);
    });
    const other: ModelVersion[] = [];
    subs.add('other', (m) => {
      other.push(m);
    });
    const v = version('m', 1);
    for (const error of subs.notify(v)) report(error);
    await Promise.resolve();
    expect(heard).toEqual([v]);
    expect(heard[0]).not.toBe(v);
    expect(other).toEqual([]);
    expect(reported).toEqual(['sync', 'async']);
  });

  it('unsubscribe and clear stop the notifications', () => {
    const subs = modelSubscribers();
    const heard: number[] = [];
    const off = subs.add('m', (m) => {
      heard.push(m.version);
    });
    subs.notify(version('m', 1));
    off();
    subs.notify(version('m', 2));
    subs.add('m', (m) => {
      heard.push(m.version * 10);
    });
    subs.notify(version('m', 3));
    subs.clear();
    subs.notify(version('m', 4));
    expect(heard).toEqual([1, 30]);
  });
});
