import { describe, expect, it } from 'vitest';
import { testHarness } from './internal/testContext.js';
import { timeSinceLast } from './timeSinceLast.js';

describe('timeSinceLast', () => {
  it('gives event time since the key’s newest earlier event, per key', () => {
    const h = testHarness();
    const stage = timeSinceLast<string>();
    const p = (key: string, t: number) =>
      (stage.process('x', h.ctx(key, t)) as { sinceLastMs: number | null }).sinceLastMs;
    expect(p('a', 1000)).toBeNull();
    expect(p('a', 4000)).toBe(3000);
    expect(p('b', 4500)).toBeNull();
    expect(p('a', 3500)).toBe(-500); // out of order: negative, newest stays 4000
    expect(p('a', 5000)).toBe(1000);
  });

  it('reads event time from the value when asked and rejects non-finite times', () => {
    const h = testHarness();
    const stage = timeSinceLast<{ at: number }>({ eventTime: (v) => v.at });
    stage.process({ at: 10 }, h.ctx('k', 0));
    expect(stage.process({ at: 25 }, h.ctx('k', 0))).toEqual({
      value: { at: 25 },
      sinceLastMs: 15,
    });
    expect(() => stage.process({ at: Number.NaN }, h.ctx('k', 0))).toThrow(
      expect.objectContaining({ code: 'EVENT_TIME_INVALID' }),
    );
  });
});
