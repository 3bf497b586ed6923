import type { ModelVersion } from '@tributary/learn';
import { describe, expect, it } from 'vitest';
import { ModelSubscribers } from './modelSubscribers.js';

const version = (name: string, v: number): ModelVersion => ({
  name,
  version: v,
  snapshot: { type: 'test', version: 1, options: {}, state: { v } },
  savedAt: 0,
  metadata: {},
});

describe('ModelSubscribers', () => {
  it('hands each listener of the name its own copy; failures are reported, not thrown', async () => {
    const reported: unknown[] = [];
    const subs = new ModelSubscribers((_m, error) => reported.push((error as Error).message));
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
    subs.notify(v);
    await Promise.resolve();
    expect(heard).toEqual([v]);
    expect(heard[0]).not.toBe(v);
    expect(other).toEqual([]);
    expect(reported).toEqual(['sync', 'async']);
  });

  it('unsubscribe and clear stop the notifications', () => {
    const subs = new ModelSubscribers(() => {});
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
