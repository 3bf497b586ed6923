import { LruCache } from './lruCache.js';

/**
 * A bounded cache of promises: beyond `max` entries it forgets the least recently used one,
 * and it forgets a promise that rejects, so a later call tries again.
 */
export class PromiseCache<K, V> {
  private readonly lru: LruCache<K, Promise<V>>;
  constructor(max: number) {
    this.lru = new LruCache(max);
  }

  /** The cached promise for `key`, or the one `load()` returns, cached. */
  get(key: K, load: () => Promise<V>): Promise<V> {
    return this.lru.get(key, () => {
      const p = load();
      p.catch(() => this.lru.forget(key, p));
      return p;
    });
  }
}
