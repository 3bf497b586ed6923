import { jsonSerde, memoryBus, pipeline, run, silentLogger } from '@tributary/core';
import { linearRegression, logisticRegression } from '@tributary/learn';
import { describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { compose } from './compose.js';
import { featureHasher } from './featureHasher.js';
import { imputer } from './imputer.js';
import { inputColumns } from './inputColumns.js';
import { minMaxScaler } from './minMaxScaler.js';
import { oneHotEncoder } from './oneHotEncoder.js';
import { standardScaler } from './standardScaler.js';
import { vectorize } from './vectorize.js';

interface Ride {
  temp: number;
  hum: number | null;
  holiday: boolean;
  weather: string;
  hour: number;
}

// A reproducible stream of parsed records.
function rides(n: number): { x: Ride; busy: boolean; users: number }[] {
  let s = 7;
  const rnd = () => {
    s = (s * 16807) % 2147483647;
    return s / 2147483647;
  };
  const weathers = ['clear', 'mist', 'rain', 'storm'];
  return Array.from({ length: n }, (_, t) => {
    const x: Ride = {
      temp: 5 + 30 * rnd(),
      hum: rnd() < 0.05 ? null : 100 * rnd(),
      holiday: rnd() < 0.1,
      weather: weathers[Math.floor(rnd() * rnd() * 4)]!,
      hour: t % 24,
    };
    const users = 10 * x.temp - (x.hum ?? 50) + (x.weather === 'clear' ? 80 : 0) + 5 * (x.hour % 7);
    return { x, busy: users > 250, users };
  });
}

const steps = () => [
  inputColumns(['holiday']),
  imputer<Ride>({ fields: { hum: 'mean' } }),
  standardScaler<Ride>({ fields: ['temp', 'hum'] }),
  oneHotEncoder<Ride, 'weather' | 'hour'>({
    fields: ['weather', 'hour'],
    maxCategories: 24,
  }),
];

// The same chain on the object forms and an explicit vector (River's order by hand).
function byHand(stream: ReturnType<typeof rides>, names: readonly string[]) {
  const imp = imputer<Ride>({ fields: { hum: 'mean' } });
  const sc = standardScaler<Ride>({ fields: ['temp', 'hum'] });
  const oh = oneHotEncoder<Ride, 'weather' | 'hour'>({
    fields: ['weather', 'hour'],
    maxCategories: 24,
  });
  const model = logisticRegression();
  const vec = (x: Ride) => {
    const o = oh.transform(sc.transform(imp.transform(x))) as unknown as Record<string, unknown>;
    return Float64Array.from(names, (n) => {
      const v = o[n];
      return typeof v === 'boolean' ? (v ? 1 : 0) : typeof v === 'number' ? v : 0;
    });
  };
  return stream.map(({ x, busy }) => {
    const p = model.predictProba(vec(x));
    imp.learn(x);
    const a = imp.transform(x);
    sc.learn(a);
    oh.learn(sc.transform(a));
    model.learn(vec(x), busy);
    return p;
  });
}

describe('compose', () => {
  it("predicts then learns in River's order, as the object forms do by hand", () => {
    const stream = rides(3000);
    const c = compose(...steps(), logisticRegression());
    const ps = stream.map(({ x, busy }) => {
      const p = c.predictProba(x);
      c.learn(x, busy);
      return p;
    });
    // Slot names follow the categories learned; the hand-built vector uses the final names.
    const expected = byHand(stream, c.names());
    ps.forEach((p, i) => {
      expect(p).toBeCloseTo(expected[i]!, 12);
    });
    expect(c.names().slice(0, 3)).toEqual(['holiday', 'hum', 'temp']);
    expect(c.names()).toContain('weather=clear');
    // predictLearn does the same in one call (the record decoded once).
    const c2 = compose(...steps(), logisticRegression());
    stream.forEach(({ x, busy }, i) => {
      expect(c2.predictLearn(x, busy)).toBe(ps[i]! > 0.5);
    });
    expect(c2.snapshot()).toEqual(c.snapshot());
  });

  it("'learnThenPredict' is the stage behaviour of transforms: learn, then one row for both", () => {
    const stream = rides(500);
    const c = compose(standardScaler<Ride>({ fields: ['temp'] }), linearRegression());
    const sc = standardScaler<Ride>({ fields: ['temp'] });
    const m = linearRegression();
    for (const { x, users } of stream) {
      const got = c.predictLearn(x, users, { order: 'learnThenPredict' });
      const v = Float64Array.of(sc.learnTransform(x).temp);
      expect(got).toBeCloseTo(m.predict(v), 10);
      m.learn(v, users);
    }
  });

  it('snapshots to JSON and restores into a clone with identical predictions', () => {
    const stream = rides(1000);
    const c = compose(...steps(), logisticRegression());
    for (const { x, busy } of stream) c.learn(x, busy);
    const copy = c.clone();
    expect(copy.predictProba(stream[0]!.x)).toBe(0.5);
    copy.restore(JSON.parse(JSON.stringify(c.snapshot())));
    for (const { x } of stream.slice(0, 50)) expect(copy.predictProba(x)).toBe(c.predictProba(x));
    expect(copy.names()).toEqual(c.names());
    const before = JSON.stringify(c.snapshot());
    const bad = structuredClone(c.snapshot()) as { state: { model: { type: string } } };
    bad.state.model.type = 'perceptron';
    expect(() => c.restore(bad)).toThrow();
    expect(JSON.stringify(c.snapshot())).toBe(before);
  });

  it('rejects ±Infinity and unimputed missing values before anything learns', () => {
    const c = compose(standardScaler<Ride>({ fields: ['temp', 'hum'] }), logisticRegression());
    c.learn({ temp: 10, hum: 50 }, true);
    const before = JSON.stringify(c.snapshot());
    expect(() => c.learn({ temp: Number.POSITIVE_INFINITY, hum: 1 }, true)).toThrow(
      expect.objectContaining({ code: 'FEATURE_NOT_FINITE' }),
    );
    expect(() => c.learn({ temp: 12, hum: null }, true)).toThrow(
      expect.objectContaining({ code: 'FEATURE_MISSING', details: { missing: ['hum'] } }),
    );
    expect(() => c.predict({ temp: 'hot', hum: 1 })).toThrow(
      expect.objectContaining({ code: 'FEATURE_NOT_NUMERIC' }),
    );
    expect(JSON.stringify(c.snapshot())).toBe(before);
  });

  it('runs as a pipeline stage, learning labelled records and carrying its state', async () => {
    const bus = memoryBus();
    const stream = rides(400);
    bus.produce(
      'rides',
      stream.map(({ x, busy }) => ({ value: { ...x, busy } })),
      { serde: jsonSerde<Ride & { busy: boolean }>() },
    );
    const model = compose(...steps(), logisticRegression());
    const stage = model.stage({
      label: (v: Ride & { busy: boolean }) => v.busy,
      predict: (m, x) => m.predictProba(x),
      output: (v, p) => ({ busy: v.busy, p }),
    });
    const handle = run(
      pipeline(
        bus.source({
          serde: jsonSerde<Ride & { busy: boolean }>(),
          topic: 'rides',
          group: 'g',
          stopAtEnd: true,
        }),
      )
        .pipe(stage)
        .to(bus.sink({ topic: 'scored' })),
      { logger: silentLogger },
    );
    await handle.done;
    const out = bus.records('scored', jsonSerde<{ busy: boolean; p: number }>());
    expect(out).toHaveLength(400);
    // Same predictions as the direct calls.
    const direct = compose(...steps(), logisticRegression());
    out.forEach((r, i) => {
      expect(r.value.p).toBeCloseTo(direct.predictProba(stream[i]!.x), 12);
      direct.learn(stream[i]!.x, stream[i]!.busy);
    });
    expect(stage.snapshot?.()).toEqual(model.snapshot());
  });
});

describe('vectorize and the row forms', () => {
  it('takes its input columns from a zod schema (numbers and booleans)', () => {
    const schema = z.object({
      temp: z.number(),
      hum: z.number().nullable(),
      holiday: z.boolean(),
      weather: z.enum(['clear', 'rain']),
      note: z.string().optional(),
    });
    const v = vectorize([inputColumns(schema), minMaxScaler({ fields: ['temp'] })]);
    expect(v.names()).toEqual(['temp', 'hum', 'holiday']);
    v.learn({ temp: 0, hum: 1, holiday: false });
    v.learn({ temp: 10, hum: 2, holiday: true });
    expect([...v.transform({ temp: 5, hum: 3, holiday: true })]).toEqual([0.5, 3, 1]);
  });

  it('shares snapshots with the object forms', () => {
    const obj = standardScaler<Ride>({ fields: ['temp'] });
    const v = vectorize([standardScaler<Ride>({ fields: ['temp'] })]);
    for (const { x } of rides(50)) {
      obj.learn(x);
      v.learn(x);
    }
    expect(v.snapshot().steps[0]).toEqual(obj.snapshot());
    const fresh = standardScaler<Ride>({ fields: ['temp'] });
    fresh.restore(v.snapshot().steps[0]);
    expect(fresh.transform({ temp: 20 } as Ride).temp).toBe(v.transform({ temp: 20 })[0]);
  });

  it('gives in its generated row program the rows that calling each step gives', () => {
    // A chain no other test here builds: a program of the same source would be reused.
    const chain = () => [
      inputColumns(['holiday']),
      imputer<Ride>({ fields: { hum: 'mean' } }),
      standardScaler<Ride>({ fields: ['hum', 'temp'] }),
      oneHotEncoder<Ride, 'weather' | 'hour'>({ fields: ['weather', 'hour'], maxCategories: 24 }),
    ];
    // Without code generation (a CSP without 'unsafe-eval'), vectorize calls the steps.
    vi.stubGlobal('Function', () => {
      throw new EvalError('code generation from strings disallowed');
    });
    const calls = vectorize(chain());
    vi.unstubAllGlobals();
    const program = vectorize(chain());
    expect(String(calls.learnDecoded)).toContain('learnRow(');
    expect(String(program.learnDecoded)).not.toContain('learnRow(');
    const both = (f: (v: typeof program) => Float64Array | readonly string[]) => {
      const a = [...f(program)];
      expect(a).toEqual([...f(calls)]);
      return a;
    };
    const stream = rides(300);
    stream.forEach(({ x }, i) => {
      if (i % 3 === 0) both((v) => v.learn(x));
      else {
        both((v) => v.transformAndKeep(x));
        both((v) => v.learnDecoded(x));
      }
      both((v) => v.transform(stream[(i * 7) % 300]!.x));
      if (i === 150) {
        const s = program.snapshot();
        program.reset();
        calls.reset();
        both((v) => v.transform(x));
        program.restore(s);
        calls.restore(s);
      }
    });
    expect(both((v) => v.names())).toContain('weather=storm');
    for (const v of [program, calls]) {
      expect(() => v.transform({ temp: 1, hum: 2, holiday: 'no' })).toThrow(
        expect.objectContaining({ code: 'FEATURE_NOT_NUMERIC' }),
      );
    }
  });

  it('needs a fixed width for one-hot and hashed columns', () => {
    expect(() => vectorize([oneHotEncoder({ fields: ['w'] })])).toThrow(
      expect.objectContaining({ code: 'INVALID_OPTION' }),
    );
    const v = vectorize([
      oneHotEncoder({ fields: ['w'], categories: { w: ['a', 'b'] } }),
      featureHasher({ fields: ['t'], nFeatures: 4 }),
    ]);
    expect(v.names()).toEqual([
      'w=a',
      'w=b',
      'w=__unknown__',
      'hashed[0]',
      'hashed[1]',
      'hashed[2]',
      'hashed[3]',
    ]);
    const h = featureHasher({ fields: ['t'], nFeatures: 4 }).hash({ t: 'x' });
    expect([...v.transform({ w: 'c', t: 'x' })]).toEqual([0, 0, 1, ...h]);
  });
});
