import { describe, expect, it } from 'vitest';
import { LruCache } from './lruCache.js';

describe('LruCache', () => {
  it('loads on a miss only and forgets the least recently used entry beyond its size', () => {
    const loads: string[] = [];
    const cache = new LruCache<string, string>(2);
    const get = (k: string) =>
      cache.get(k, () => {
        loads.push(k);
        return k.toUpperCase();
      });
    expect([get('a'), get('b'), get('a')]).toEqual(['A', 'B', 'A']);
    expect(loads).toEqual(['a', 'b']);
    get('c'); // b is now the least recently used: forgotten
    expect(cache.size).toBe(2);
    get('a');
    get('b');
    expect(loads).toEqual(['a', 'b', 'c', 'b']);
  });

  it('forgets a key only while it still maps to the given value', () => {
    const cache = new LruCache<string, number>(4);
    cache.get('k', () => 1);
    cache.forget('k', 2);
    expect(cache.get('k', () => 3)).toBe(1);
    cache.forget('k', 1);
    expect(cache.get('k', () => 3)).toBe(3);
  });
});
