import type { StageResult } from '@tributary/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { count, distinct, max, mean, min, std, sum } from './aggregates.js';
import { testHarness } from './internal/testContext.js';
import { type WindowResult, windowedAggregates } from './windowedAggregates.js';
import { hopping, session, sliding, tumbling, type WindowSpec } from './windows.js';

interface Ev {
  t: number;
  v: number;
  c: string;
  /** Arrival delay (≤ the allowed lateness), which reorders events without making any late. */
  d: number;
}

const LATENESS = 3000;
const events = fc.array(
  fc.record({
    t: fc.integer({ min: 0, max: 60_000 }),
    v: fc.integer({ min: -50, max: 50 }),
    c: fc.constantFrom('a', 'b', 'c', 'd'),
    d: fc.integer({ min: 0, max: LATENESS }),
  }),
  { minLength: 1, maxLength: 60 },
);
// Arrival order by t + d: no event ever falls behind the watermark (max seen − lateness).
const arrival = (evs: readonly Ev[]) => [...evs].sort((a, b) => a.t + a.d - (b.t + b.d));
const aggregates = {
  n: count(),
  total: sum((e: Ev) => e.v),
  lo: min((e: Ev) => e.v),
  hi: max((e: Ev) => e.v),
  kinds: distinct((e: Ev) => e.c),
};
type Res = { n: number; total: number; lo: number | null; hi: number | null; kinds: number };
const brute = (evs: readonly Ev[]): Res => ({
  n: evs.length,
  total: evs.reduce((s, e) => s + e.v, 0),
  lo: evs.length === 0 ? null : Math.min(...evs.map((e) => e.v)),
  hi: evs.length === 0 ? null : Math.max(...evs.map((e) => e.v)),
  kinds: new Set(evs.map((e) => e.c)).size,
});
const eventTime = (e: Ev) => e.t;
const closedResults = (r: StageResult<WindowResult<Res>>): WindowResult<Res>[] => {
  const out = r as unknown as { items: { value: WindowResult<Res> }[] } | undefined;
  return out === undefined ? [] : out.items.map((i) => i.value);
};
const windowsStage = (window: WindowSpec) =>
  windowedAggregates({
    window,
    aggregates,
    eventTime,
    allowedLatenessMs: LATENESS,
    output: 'windows',
    late: 'dead-letter',
  });
// Runs events in arrival order through a 'windows'-mode stage; returns every emitted window.
const closedWindows = (window: WindowSpec, evs: readonly Ev[]): WindowResult<Res>[] => {
  const h = testHarness();
  const stage = windowsStage(window);
  return arrival(evs).flatMap((e) =>
    closedResults(stage.process(e, h.ctx('k', 0)) as StageResult<WindowResult<Res>>),
  );
};
// [start, end) of every window holding one of `evs` (sessions: records less than the gap apart).
const windowsOf = (window: WindowSpec, evs: readonly Ev[]): [number, number][] => {
  if (window.type === 'session') {
    const sorted = [...evs].sort((a, b) => a.t - b.t);
    const out: [number, number][] = [];
    for (const e of sorted) {
      const cur = out.at(-1);
      if (cur !== undefined && e.t < cur[1]) cur[1] = e.t + window.gapMs;
      else out.push([e.t, e.t + window.gapMs]);
    }
    return out;
  }
  if (window.type === 'sliding') return [];
  const size = window.sizeMs;
  const hop = window.type === 'tumbling' ? size : window.hopMs;
  const starts = new Set<number>();
  for (const e of evs)
    for (let s = Math.floor(e.t / hop) * hop; s > e.t - size; s -= hop) starts.add(s);
  return [...starts].map((s) => [s, s + size]);
};
const byStart = (a: { window: { start: number } }, b: { window: { start: number } }) =>
  a.window.start - b.window.start;

describe('windowedAggregates properties', () => {
  it('tumbling and hopping windows emit exactly the brute-force aggregates of every closed window, in any order within the lateness', () => {
    fc.assert(
      fc.property(
        events,
        fc.constantFrom<[number, number]>([10_000, 10_000], [10_000, 2500], [7000, 3500]),
        (evs, [size, hop]) => {
          const window = size === hop ? tumbling(size) : hopping(size, hop);
          const emitted = closedWindows(window, evs);
          const mark = Math.max(...evs.map((e) => e.t)) - LATENESS;
          const starts = new Set<number>();
          for (const e of evs)
            for (let s = Math.floor(e.t / hop) * hop; s > e.t - size; s -= hop) starts.add(s);
          const expected = [...starts]
            .filter((s) => s + size <= mark)
            .map((s) => ({
              key: 'k',
              window: { start: s, end: s + size },
              aggregates: brute(evs.filter((e) => e.t >= s && e.t < s + size)),
              late: false,
              closedBy: 'watermark',
            }))
            .sort(byStart);
          expect([...emitted].sort(byStart)).toEqual(expected);
        },
      ),
    );
  });

  it('session windows emit the brute-force sessions of the sorted events once closed', () => {
    fc.assert(
      fc.property(events, fc.integer({ min: 500, max: 8000 }), (evs, gap) => {
        const emitted = closedWindows(session(gap), evs);
        const sorted = [...evs].sort((a, b) => a.t - b.t);
        const sessions: Ev[][] = [];
        for (const e of sorted) {
          const cur = sessions.at(-1);
          if (cur !== undefined && e.t - cur.at(-1)!.t < gap) cur.push(e);
          else sessions.push([e]);
        }
        const mark = sorted.at(-1)!.t - LATENESS;
        const expected = sessions
          .filter((s) => s.at(-1)!.t + gap <= mark)
          .map((s) => ({
            key: 'k',
            window: { start: s[0]!.t, end: s.at(-1)!.t + gap },
            aggregates: brute(s),
            late: false,
            closedBy: 'watermark',
          }));
        expect([...emitted].sort(byStart)).toEqual(expected);
      }),
    );
  });

  it("with many keys on a partition, timers and the end of input emit every key's every window exactly once; counts add up to the in-window records", () => {
    fc.assert(
      fc.property(
        events,
        fc.constantFrom<WindowSpec>(
          tumbling(10_000),
          hopping(10_000, 2500),
          hopping(7000, 3500),
          session(4000),
        ),
        (evs, window) => {
          const h = testHarness();
          const stage = windowsStage(window);
          // The key is the event's kind: four keys share one partition's watermark.
          const emitted = arrival(evs).flatMap((e) =>
            closedResults(stage.process(e, h.ctx(e.c, 0)) as StageResult<WindowResult<Res>>),
          );
          const atEnd = closedResults(stage.end?.(h.endCtx()) as StageResult<WindowResult<Res>>);
          expect(atEnd.every((w) => w.closedBy === 'end')).toBe(true);
          expect(emitted.every((w) => w.closedBy === 'watermark')).toBe(true);
          const all = [...emitted, ...atEnd].map(({ closedBy: _, ...w }) => w);
          // Brute force per key over every window holding one of its events.
          const expected: Omit<WindowResult<Res>, 'closedBy'>[] = [];
          for (const c of new Set(evs.map((e) => e.c))) {
            const mine = evs.filter((e) => e.c === c);
            for (const [start, end] of windowsOf(window, mine)) {
              const inside = mine.filter((e) => e.t >= start && e.t < end);
              expected.push({
                key: c,
                window: { start, end },
                aggregates: brute(inside),
                late: false,
              });
            }
          }
          const order = (a: { key: string; window: { start: number } }, b: typeof a) =>
            a.key.localeCompare(b.key) || a.window.start - b.window.start;
          expect([...all].sort(order)).toEqual(expected.sort(order));
          const inWindow =
            evs.length * (window.type === 'hopping' ? window.sizeMs / window.hopMs : 1);
          expect(all.reduce((n, w) => n + w.aggregates.n, 0)).toBe(inWindow);
        },
      ),
    );
  });

  it('sliding and tumbling enrichment equal brute force over the records arrived so far', () => {
    fc.assert(
      fc.property(events, fc.integer({ min: 1000, max: 20_000 }), (evs, size) => {
        const h = testHarness();
        const slide = windowedAggregates({
          window: sliding(size),
          aggregates,
          eventTime,
          allowedLatenessMs: LATENESS,
          late: 'dead-letter',
        });
        const tumble = windowedAggregates({
          window: tumbling(size),
          aggregates,
          eventTime,
          allowedLatenessMs: LATENESS,
          late: 'dead-letter',
        });
        const seen: Ev[] = [];
        for (const e of arrival(evs)) {
          seen.push(e);
          const s = slide.process(e, h.ctx('slide', 0)) as { aggregates: Res };
          expect(s.aggregates).toEqual(brute(seen.filter((x) => x.t > e.t - size && x.t <= e.t)));
          const start = Math.floor(e.t / size) * size;
          const t = tumble.process(e, h.ctx('tumble', 0)) as { aggregates: Res };
          expect(t.aggregates).toEqual(
            brute(seen.filter((x) => x.t >= start && x.t < start + size)),
          );
        }
      }),
    );
  });

  it('keeps keys apart: interleaving keys changes nothing per key', () => {
    fc.assert(
      fc.property(events, (evs) => {
        const h = testHarness();
        const stage = windowedAggregates({
          window: sliding(5000),
          aggregates,
          eventTime,
          allowedLatenessMs: LATENESS,
        });
        const alone = testHarness();
        const solo = windowedAggregates({
          window: sliding(5000),
          aggregates,
          eventTime,
          allowedLatenessMs: LATENESS,
        });
        arrival(evs).forEach((e, i) => {
          const key = i % 2 === 0 ? 'even' : 'odd';
          const mixed = stage.process(e, h.ctx(key, 0));
          if (key === 'even') expect(mixed).toEqual(solo.process(e, alone.ctx('even', 0)));
        });
      }),
    );
  });
});

describe('windowedAggregates with several sliding windows', () => {
  const stats = {
    n: count(),
    total: sum((e: Ev) => e.v),
    avg: mean((e: Ev) => e.v),
    sd: std((e: Ev) => e.v),
    lo: min((e: Ev) => e.v),
    hi: max((e: Ev) => e.v),
    kinds: distinct((e: Ev) => e.c),
  };
  type Stats = Res & { avg: number | null; sd: number | null };
  const bruteStats = (evs: readonly Ev[]): Stats => {
    const n = evs.length;
    const avg = n === 0 ? null : evs.reduce((s, e) => s + e.v, 0) / n;
    const sd = n < 2 ? null : Math.sqrt(evs.reduce((s, e) => s + (e.v - avg!) ** 2, 0) / (n - 1));
    return { ...brute(evs), avg, sd };
  };
  const close = (got: Stats, want: Stats) => {
    expect({ ...got, avg: 0, sd: 0 }).toEqual({ ...want, avg: 0, sd: 0 });
    for (const k of ['avg', 'sd'] as const) {
      if (want[k] === null) expect(got[k]).toBeNull();
      else expect(got[k]).toBeCloseTo(want[k] as number, 9);
    }
  };

  it('equals brute force per window, in order, out of order and late (include)', () => {
    // Arrival in a shuffled order: some records are behind the watermark, included anyway.
    const shuffled = fc.array(
      fc.record({
        t: fc.integer({ min: 0, max: 60_000 }),
        v: fc.integer({ min: -50, max: 50 }),
        c: fc.constantFrom('a', 'b', 'c', 'd'),
        d: fc.integer({ min: 0, max: 20_000 }),
      }),
      { minLength: 1, maxLength: 80 },
    );
    fc.assert(
      fc.property(shuffled, fc.integer({ min: 0, max: 5000 }), (evs, lateness) => {
        const sizes = { short: 2000, mid: 7000, long: 20_000 } as const;
        const h = testHarness();
        const stage = windowedAggregates({
          windows: {
            short: sliding(sizes.short),
            mid: sliding(sizes.mid),
            long: sliding(sizes.long),
          },
          aggregates: stats,
          eventTime,
          allowedLatenessMs: lateness,
          late: 'include',
        });
        const seen: Ev[] = [];
        let newest = Number.NEGATIVE_INFINITY;
        for (const e of arrival(evs)) {
          seen.push(e);
          const out = stage.process(e, h.ctx('k', 0)) as unknown as {
            aggregates: Record<keyof typeof sizes, Stats>;
            windows: Record<keyof typeof sizes, { start: number; end: number }>;
            late: boolean;
          };
          expect(out.late).toBe(e.t < newest - lateness);
          newest = Math.max(newest, e.t);
          for (const [name, size] of Object.entries(sizes) as [keyof typeof sizes, number][]) {
            expect(out.windows[name]).toEqual({ start: e.t - size, end: e.t });
            // The buffer keeps what the longest window and the lateness need: a late record's
            // window holds what is still kept, as with one window.
            const kept = seen.filter((x) => x.t > newest - lateness - sizes.long || x === e);
            close(
              out.aggregates[name],
              bruteStats(kept.filter((x) => x.t > e.t - size && x.t <= e.t)),
            );
          }
        }
      }),
    );
  });

  it('gives each window what a one-window stage gives', () => {
    fc.assert(
      fc.property(events, (evs) => {
        const h = testHarness();
        const multi = windowedAggregates({
          windows: { a: sliding(1500), b: sliding(9000) },
          aggregates,
          eventTime,
          allowedLatenessMs: LATENESS,
        });
        const single = [1500, 9000].map((size) =>
          windowedAggregates({
            window: sliding(size),
            aggregates,
            eventTime,
            allowedLatenessMs: LATENESS,
          }),
        );
        const alone = [testHarness(), testHarness()];
        for (const e of arrival(evs)) {
          const m = multi.process(e, h.ctx('k', 0)) as unknown as {
            aggregates: { a: Res; b: Res };
            sinceLastMs: number | null;
          };
          const [a, b] = single.map(
            (s, i) =>
              s.process(e, alone[i]!.ctx('k', 0)) as unknown as {
                aggregates: Res;
                sinceLastMs: number | null;
              },
          );
          expect(m.aggregates.a).toEqual(a!.aggregates);
          expect(m.aggregates.b).toEqual(b!.aggregates);
          expect(m.sinceLastMs).toBe(a!.sinceLastMs);
        }
      }),
    );
  });
});
