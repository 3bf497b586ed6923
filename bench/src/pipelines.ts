// End-to-end learner pipelines from parsed records: compose(scaler, one-hot encoder, model),
// test-then-train, in records/s; the River side is bench/python/river_pipelines.py.
// Run: npx tsx --expose-gc bench/src/pipelines.ts [--rounds N] [--clock cpu|wall]
// (needs the packages built; `npm run pipelines -w @tributary/bench` passes --expose-gc).
// Each contender: one warm-up pass, then its best of N passes. The default clock is the process's CPU time (user +
// system, all threads), which a shared machine disturbs less than wall time; River's script
// takes the same option.
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { compose, featureVector, oneHotEncoder, standardScaler } from '@tributary/features';
import { logisticRegression } from '@tributary/learn';

const roundsArg = process.argv.indexOf('--rounds');
const rounds = roundsArg > 0 ? Number(process.argv[roundsArg + 1]) : 5;
const clockArg = process.argv.indexOf('--clock');
const clock = clockArg > 0 ? process.argv[clockArg + 1] : 'cpu';
if (clock !== 'cpu' && clock !== 'wall') throw new Error('--clock cpu|wall');
/** Milliseconds on the chosen clock. */
const now = (): number => {
  if (clock === 'wall') return Number(process.hrtime.bigint()) / 1e6;
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
type Rec = Record<string, number | string>;

// --- streams: records parsed once, before timing (River gets the same dicts) ---------------
interface Stream {
  readonly name: string;
  readonly records: Rec[];
  readonly labels: boolean[];
  readonly numeric: string[];
  readonly categorical: string[];
  /** The categories of each field, as a schema would give them (River learns them online). */
  readonly categories: Record<string, readonly (string | number)[]>;
}

const range = (a: number, b: number) => Array.from({ length: b - a + 1 }, (_, i) => a + i);

function elec2(): Stream {
  const file = new URL('../../packages/learn/test-data/elec2_electricity.csv.gz', import.meta.url);
  const lines = gunzipSync(readFileSync(file)).toString('utf8').trim().split('\n');
  const head = lines[0]!.split(',');
  const records: Rec[] = [];
  const labels: boolean[] = [];
  for (const l of lines.slice(1)) {
    const c = l.split(',');
    const r: Rec = {};
    for (let i = 0; i < 8; i++) r[head[i]!] = Number(c[i]);
    records.push(r);
    labels.push(c[8] === 'UP');
  }
  return {
    name: 'Elec2',
    records,
    labels,
    numeric: ['date', 'period', 'nswprice', 'nswdemand', 'vicprice', 'vicdemand', 'transfer'],
    categorical: ['day'],
    categories: { day: range(1, 7) },
  };
}

// Bike sharing, hourly: is the hour busier than the median (140 users)? Calendar and weather
// one-hot (12 + 24 + 7 + 3 categories, plus an always-0 unknown column each), six scaled numbers:
// 56 columns (River: 52, the unknown columns never move a linear model).
function bike(): Stream {
  const file = new URL('../../../shared/datasets/bike_sharing_dataset_clean.csv', import.meta.url);
  const lines = readFileSync(file, 'utf8').trim().split('\n');
  const head = lines[0]!.split(',');
  const records: Rec[] = [];
  const labels: boolean[] = [];
  for (const l of lines.slice(1)) {
    const c = l.split(',');
    const r: Rec = {};
    head.forEach((h, i) => {
      if (h === 'date_time' || h === 'users') return;
      r[h] = h === 'weather' ? c[i]! : Number(c[i]);
    });
    records.push(r);
    labels.push(Number(c[head.indexOf('users')]) > 140);
  }
  return {
    name: 'Bike sharing',
    records,
    labels,
    numeric: ['holiday', 'workingday', 'temp', 'atemp', 'hum', 'windspeed'],
    categorical: ['month', 'hour', 'weekday', 'weather'],
    categories: {
      month: range(1, 12),
      hour: range(0, 23),
      weekday: range(0, 6),
      weather: ['clear', 'mist', 'rain'],
    },
  };
}

// --- contenders ---------------------------------------------------------------------------
/** One pass over a stream; returns its accuracy (undefined when it predicts nothing). */
type Pass = () => number | undefined;
/** Where passes that predict nothing leave a result, so that their work is not optimised away. */
let sink = 0;

/** compose(...) with predict-then-learn (River's order), on parsed records. */
const composed =
  (s: Stream): Pass =>
  () => {
    const model = compose(
      standardScaler({ fields: s.numeric }),
      oneHotEncoder({ fields: s.categorical, categories: s.categories }),
      logisticRegression(),
    );
    let ok = 0;
    const { records, labels } = s;
    for (let i = 0; i < records.length; i++) {
      if (model.predictLearn(records[i]!, labels[i]!) === labels[i]) ok++;
    }
    return ok / records.length;
  };

/** The same on the object forms (object copies, a Map lookup per field), the path before. */
const objects =
  (s: Stream): Pass =>
  () => {
    const scaler = standardScaler<Rec>({ fields: s.numeric });
    const encoder = oneHotEncoder<Rec, string>({ fields: s.categorical, categories: s.categories });
    const vector = featureVector({ missing: 0 });
    const model = logisticRegression();
    let ok = 0;
    const { records, labels } = s;
    // River's order by hand; vectors padded to the final width, since the vocabulary grows.
    const width =
      s.numeric.length + s.categorical.reduce((w, f) => w + s.categories[f]!.length + 1, 0);
    const pad = (x: Float64Array) => {
      const out = new Float64Array(width);
      out.set(x);
      return out;
    };
    for (let i = 0; i < records.length; i++) {
      const x = records[i]!;
      const p = model.predict(pad(vector.assemble(encoder.transform(scaler.transform(x)))));
      if (p === labels[i]) ok++;
      scaler.learn(x);
      const scaled = scaler.transform(x);
      encoder.learn(scaled);
      model.learn(pad(vector.assemble(encoder.transform(scaled))), labels[i]!);
    }
    return ok / records.length;
  };

/**
 * The feature part of `predictLearn` alone: the row to predict on, then the row to learn. By
 * default from a fresh `compose` every pass (a backtest per run); `reused`: one compose for all
 * passes (a service that builds its pipeline once; its statistics go on learning).
 */
const featuresAlone = (s: Stream, reused = false): Pass => {
  const build = () =>
    compose(
      standardScaler({ fields: s.numeric }),
      oneHotEncoder({ fields: s.categorical, categories: s.categories }),
      logisticRegression(),
    );
  const once = reused ? build() : undefined;
  return () => {
    const { features } = once ?? build();
    const { records } = s;
    let sum = 0;
    for (let i = 0; i < records.length; i++) {
      sum += features.transformAndKeep(records[i]!)[0]!;
      sum += features.learnDecoded(records[i]!)[0]!;
    }
    sink += sum;
    return undefined;
  };
};

/** The learner alone on the rows compose feeds it (both per record), prebuilt. */
const learnerAlone = (s: Stream): Pass => {
  const c = compose(
    standardScaler({ fields: s.numeric }),
    oneHotEncoder({ fields: s.categorical, categories: s.categories }),
    logisticRegression(),
  );
  const predictRows: Float64Array[] = [];
  const learnRows: Float64Array[] = [];
  for (let i = 0; i < s.records.length; i++) {
    predictRows.push(c.features.transform(s.records[i]!).slice());
    learnRows.push(c.features.learn(s.records[i]!).slice());
  }
  return () => {
    const m = logisticRegression();
    let ok = 0;
    for (let i = 0; i < predictRows.length; i++) {
      if (m.predict(predictRows[i]!) === s.labels[i]) ok++;
      m.learn(learnRows[i]!, s.labels[i]!);
    }
    return ok / predictRows.length;
  };
};

/** Best time (ms) and result of `pass`: one warm-up pass, then `rounds` timed passes. */
function time(pass: Pass): { best: number; quality: number | undefined } {
  // Collect what the contender before left, so that its garbage (collected on other threads,
  // which the CPU clock counts) is not charged to this one; `gc` needs node's --expose-gc.
  (globalThis as { gc?: () => void }).gc?.();
  let quality = pass();
  let best = Number.POSITIVE_INFINITY;
  for (let r = 0; r < rounds; r++) {
    const t0 = now();
    quality = pass();
    best = Math.min(best, now() - t0);
  }
  return { best, quality };
}

const fmt = (x: number) => Math.round(x).toLocaleString('en-US');
console.log(
  `# Pipelines from parsed records: test-then-train, best of ${rounds} passes (${clock} time), Node ${process.version}\n`,
);
console.log('| stream | contender | columns | records/s | µs/record | accuracy |');
console.log('|---|---|---:|---:|---:|---|');
for (const s of [elec2(), bike()]) {
  const width = compose(
    standardScaler({ fields: s.numeric }),
    oneHotEncoder({ fields: s.categorical, categories: s.categories }),
    logisticRegression(),
  ).features.width;
  const n = s.records.length;
  const contenders = [
    ['compose(standardScaler, oneHotEncoder, logisticRegression)', composed(s)],
    [
      'object forms (standardScaler, oneHotEncoder, featureVector) + logisticRegression',
      objects(s),
    ],
    ['feature part of compose alone (transformAndKeep + learnDecoded)', featuresAlone(s)],
    ['the same, one compose reused across the passes', featuresAlone(s, true)],
    ['logisticRegression alone on the prebuilt rows', learnerAlone(s)],
  ] as const;
  for (const [name, pass] of contenders) {
    const { best, quality } = time(pass);
    const q = quality === undefined ? '–' : quality.toFixed(4);
    console.log(
      `| ${s.name} (${fmt(n)}) | ${name} | ${width} | ${fmt(n / (best / 1000))} | ${((best * 1000) / n).toFixed(2)} | ${q} |`,
    );
  }
}
if (Number.isNaN(sink)) console.log('(a feature row held NaN)');
