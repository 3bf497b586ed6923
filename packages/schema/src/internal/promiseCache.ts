/**
 * A bounded cache of promises: beyond `max` entries it forgets the least recently used one,
 * and it forgets a promise that rejects, so a later call tries again.
 */
export class PromiseCache<K, V> {
  private readonly map = new Map<K, Promise<V>>();
  constructor(private readonly max: number) {}

  /** The cached promise for `key`, or the one `load()` returns, cached. */
  get(key: K, load: () => Promise<V>): Promise<V> {
    const hit = this.map.get(key);
    if (hit !== undefined) {
      this.map.delete(key);
      this.map.set(key, hit);
      return hit;
    }
    const p = load();
    this.map.set(key, p);
    if (this.map.size > this.max) this.map.delete(this.map.keys().next().value as K);
    p.catch(() => {
      if (this.map.get(key) === p) this.map.delete(key);
    });
    return p;
  }
}
