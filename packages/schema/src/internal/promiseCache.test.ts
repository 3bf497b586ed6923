import { describe, expect, it } from 'vitest';
import { PromiseCache } from './promiseCache.js';

describe('PromiseCache', () => {
  it('loads each key once and forgets the least recently used beyond max', async () => {
    const loads: string[] = [];
    const cache = new PromiseCache<string, string>(2);
    const get = (k: string) =>
      cache.get(k, async () => {
        loads.push(k);
        return k.toUpperCase();
      });
    await get('a');
    await get('b');
    await expect(get('a')).resolves.toBe('A'); // a hit refreshes 'a'
    await get('c'); // evicts 'b', the least recently used
    await get('a');
    await get('b');
    expect(loads).toEqual(['a', 'b', 'c', 'b']);
  });

  it('forgets a rejected promise so the next call loads again', async () => {
    const cache = new PromiseCache<number, number>(10);
    await expect(cache.get(1, () => Promise.reject(new Error('down')))).rejects.toThrow('down');
    await expect(cache.get(1, async () => 7)).resolves.toBe(7);
  });

  it('a late rejection of an evicted promise does not drop the newer entry', async () => {
    const cache = new PromiseCache<number, number>(1);
    let fail: (e: Error) => void = () => {};
    const first = cache.get(1, () => new Promise<number>((_, reject) => (fail = reject)));
    await cache.get(2, async () => 2); // evicts key 1
    let loads = 0;
    const load = async () => ++loads;
    await cache.get(1, load); // key 1 again, a new promise; evicts 2
    fail(new Error('late'));
    await expect(first).rejects.toThrow('late');
    await cache.get(1, load);
    expect(loads).toBe(1);
  });
});
