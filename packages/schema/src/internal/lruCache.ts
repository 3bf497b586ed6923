/** A bounded map: beyond `max` entries it forgets the least recently used one. */
export class LruCache<K, V> {
  private readonly map = new Map<K, V>();
  constructor(private readonly max: number) {}

  /** The cached value for `key` (now the most recently used), or the one `load()` returns, cached. */
  get(key: K, load: () => V): V {
    const map = this.map;
    const hit = map.get(key);
    if (hit !== undefined) {
      map.delete(key);
      map.set(key, hit);
      return hit;
    }
    const value = load();
    map.set(key, value);
    if (map.size > this.max) map.delete(map.keys().next().value as K);
    return value;
  }

  /** Forgets `key` when it still maps to `value` (a newer value stays). */
  forget(key: K, value: V): void {
    if (this.map.get(key) === value) this.map.delete(key);
  }

  /** Entries held. */
  get size(): number {
    return this.map.size;
  }
}
