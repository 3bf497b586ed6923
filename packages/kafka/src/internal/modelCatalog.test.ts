import { describe, expect, it } from 'vitest';
import { encodeModelKey, encodeModelValue, ModelCatalog } from './modelCatalog.js';

const snapshot = (w: number) => ({
  type: 'test',
  version: 1 as const,
  options: {},
  state: { w },
});
const key = (name: string, seq: number, writer = 'a') => encodeModelKey({ name, writer, seq });
const value = (name: string, w: number) => encodeModelValue(name, snapshot(w), 1000 + w, { w });

describe('ModelCatalog', () => {
  it('numbers each version by its offset + 1 and keeps names apart', () => {
    const c = new ModelCatalog(Number.POSITIVE_INFINITY);
    expect(c.apply(0, key('m', 1), value('m', 1))).toEqual({
      name: 'm',
      version: 1,
      snapshot: snapshot(1),
      savedAt: 1001,
      metadata: { w: 1 },
    });
    c.apply(1, key('other', 1), value('other', 2));
    c.apply(2, key('m', 1, 'b'), value('m', 3));
    expect(c.versions('m').map((v) => v.version)).toEqual([1, 3]);
    expect(c.versions('other').map((v) => v.version)).toEqual([2]);
    expect(c.versions('none')).toEqual([]);
    expect(c.names()).toEqual(['m', 'other']);
    c.apply(3, key('other', 1), null);
    expect(c.names()).toEqual(['m']);
  });

  it('ignores a record read again (a restarted follower) and lets a tombstone remove a version', () => {
    const c = new ModelCatalog(Number.POSITIVE_INFINITY);
    c.apply(0, key('m', 1), value('m', 1));
    c.apply(1, key('m', 2), value('m', 2));
    expect(c.apply(0, key('m', 1), value('m', 1))).toBeUndefined();
    expect(c.apply(2, key('m', 1), null)).toBeUndefined();
    expect(c.versions('m').map((v) => v.version)).toEqual([2]);
    // A tombstone for a version never seen (compacted away) changes nothing.
    expect(c.apply(3, key('m', 9), null)).toBeUndefined();
    expect(c.versions('m').map((v) => v.version)).toEqual([2]);
  });

  it('exposes the newest `keep` versions and lists the older live ones to tombstone', () => {
    const c = new ModelCatalog(2);
    for (let i = 0; i < 4; i++) c.apply(i, key('m', i), value('m', i));
    expect(c.versions('m').map((v) => v.version)).toEqual([3, 4]);
    expect(c.expired('m')).toEqual([key('m', 0), key('m', 1)]);
    c.apply(4, key('m', 0), null);
    c.apply(5, key('m', 1), null);
    expect(c.expired('m')).toEqual([]);
    expect(c.versions('m').map((v) => v.version)).toEqual([3, 4]);
  });

  it('lets the later record win when a key appears twice, as compaction would', () => {
    const c = new ModelCatalog(Number.POSITIVE_INFINITY);
    c.apply(0, key('m', 1), value('m', 1));
    c.apply(1, key('m', 1), value('m', 1));
    expect(c.versions('m').map((v) => v.version)).toEqual([2]);
  });

  it('rejects records that are not model versions', () => {
    const c = new ModelCatalog(Number.POSITIVE_INFINITY);
    expect(() => c.apply(0, 'plain-key', '{}')).toThrow();
    expect(() => c.apply(0, key('m', 1), '{"format":1,"name":"other"}')).toThrow(/not a model/);
    expect(() => c.apply(0, null, '{}')).toThrow(/without a key/);
    expect(c.versions('m')).toEqual([]);
  });
});
