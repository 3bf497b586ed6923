import { describe, expect, it } from 'vitest';
import { oneHotEncoder } from './oneHotEncoder.js';

interface Tx {
  color: string | null;
  size: string;
  amount: number;
}

describe('oneHotEncoder', () => {
  it('grows its vocabulary online and emits every known column', () => {
    const enc = oneHotEncoder<Tx, 'color'>({ fields: ['color'] });
    expect(enc.learnTransform({ color: 'red', size: 'S', amount: 1 })).toEqual({
      size: 'S',
      amount: 1,
      'color=red': 1,
      'color=__unknown__': 0,
    });
    const out = enc.learnTransform({ color: 'blue', size: 'M', amount: 2 });
    expect(out).toEqual({
      size: 'M',
      amount: 2,
      'color=red': 0,
      'color=blue': 1,
      'color=__unknown__': 0,
    });
    // typed output: the one-hot columns are numbers, the other fields keep their types
    const red: number | undefined = out['color=red'];
    const size: string = out.size;
    expect([red, size]).toEqual([0, 'M']);
    expect(enc.columns()).toEqual(['color=red', 'color=blue', 'color=__unknown__']);
  });

  it('sends categories beyond maxCategories, and unseen ones when frozen, to the unknown bucket', () => {
    const enc = oneHotEncoder({ fields: ['c'], maxCategories: 2, unknown: 'other' });
    enc.learn({ c: 'a' });
    enc.learn({ c: 'b' });
    expect(enc.learnTransform({ c: 'z' })).toEqual({ 'c=a': 0, 'c=b': 0, 'c=other': 1 });
    const frozen = oneHotEncoder({ fields: ['c'], learn: false });
    frozen.restore(enc.snapshot());
    expect(frozen.process({ c: 'b' }, {} as never)).toEqual({
      'c=a': 0,
      'c=b': 1,
      'c=__unknown__': 0,
    });
    expect(frozen.process({ c: 'new' }, {} as never)).toEqual({
      'c=a': 0,
      'c=b': 0,
      'c=__unknown__': 1,
    });
    expect(frozen.columns()).toEqual(['c=a', 'c=b', 'c=__unknown__']);
  });

  it('sets no column for a missing value and compares values as text', () => {
    const enc = oneHotEncoder({ fields: ['c'] });
    enc.learn({ c: 1 });
    expect(enc.learnTransform({ c: '1' })).toEqual({ 'c=1': 1, 'c=__unknown__': 0 });
    expect(enc.learnTransform({ c: null })).toEqual({ 'c=1': 0, 'c=__unknown__': 0 });
    expect(enc.learnTransform({})).toEqual({ 'c=1': 0, 'c=__unknown__': 0 });
  });

  it('restores the same column order from JSON and rejects bad snapshots and options', () => {
    const enc = oneHotEncoder({ fields: ['a', 'b'] });
    for (const [a, b] of [
      ['x', 'p'],
      ['y', 'p'],
      ['x', 'q'],
    ])
      enc.learn({ a, b });
    const copy = oneHotEncoder({ fields: ['a', 'b'] });
    copy.restore(JSON.parse(JSON.stringify(enc.snapshot())));
    expect(copy.columns()).toEqual(['a=x', 'a=y', 'a=__unknown__', 'b=p', 'b=q', 'b=__unknown__']);
    expect(() => copy.restore({ kind: 'oneHotEncoder', version: 1, state: { a: [1] } })).toThrow(
      expect.objectContaining({ code: 'FEATURE_SNAPSHOT_INVALID' }),
    );
    expect(() => oneHotEncoder({ fields: [] })).toThrow(
      expect.objectContaining({ code: 'INVALID_OPTION' }),
    );
    expect(() => oneHotEncoder({ fields: ['a'], maxCategories: 0 })).toThrow(/maxCategories/);
  });
});
