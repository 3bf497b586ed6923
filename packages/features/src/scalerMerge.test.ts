import { describe, expect, it } from 'vitest';
import { minMaxScaler, standardScaler } from './index.js';

type Row = { a: number; b: number };
const rows: Row[] = Array.from({ length: 300 }, (_, i) => ({
  a: Math.sin(i) * 10 + i / 30,
  b: (i * 7919) % 101,
}));

describe('scaler merge (exact)', () => {
  it('standardScaler: three workers merged equal one scaler of every record (Chan)', () => {
    const all = standardScaler<Row>();
    const parts = [standardScaler<Row>(), standardScaler<Row>(), standardScaler<Row>()];
    rows.forEach((r, i) => {
      all.learn(r);
      parts[i % 3]!.learn(r);
    });
    parts[0]!.merge([parts[1]!.snapshot(), parts[2]!.snapshot()]);
    const probe = { a: 3, b: 50 };
    const got = parts[0]!.transform(probe);
    const want = all.transform(probe);
    expect(got.a).toBeCloseTo(want.a, 12);
    expect(got.b).toBeCloseTo(want.b, 12);
  });

  it('minMaxScaler: the range of the union', () => {
    const a = minMaxScaler<Row>();
    const b = minMaxScaler<Row>();
    a.learn({ a: 0, b: 5 });
    b.learn({ a: 10, b: -5 });
    a.merge([b.snapshot()]);
    expect(a.transform({ a: 5, b: 0 })).toEqual({ a: 0.5, b: 0.5 });
  });

  it('rejects a snapshot of another transform', () => {
    const a = standardScaler<Row>();
    expect(() => a.merge([minMaxScaler<Row>().snapshot()])).toThrow(
      expect.objectContaining({ code: 'FEATURE_SNAPSHOT_INVALID' }),
    );
  });
});
