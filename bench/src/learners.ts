// Learner throughput on Elec2: predict + learn per record, test-then-train, in records/s.
// Run: npx tsx bench/src/learners.ts [--rounds N]   (needs `npm run build -w @tributary/learn`)
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import {
  adagrad,
  adam,
  type Bandit,
  type ContextualBandit,
  epsilonGreedy,
  ftrlProximal,
  gaussianNaiveBayes,
  halfSpaceTrees,
  hoeffdingTree,
  kMeans,
  linearRegression,
  linearThompsonSampling,
  linUcb,
  logisticRegression,
  oneVsRest,
  passiveAggressiveClassifier,
  passiveAggressiveRegressor,
  perceptron,
  recursiveLeastSquares,
  thompsonSampling,
  ucb1,
} from '@tributary/learn';

const roundsArg = process.argv.indexOf('--rounds');
const rounds = roundsArg > 0 ? Number(process.argv[roundsArg + 1]) : 3;

// --- data: Elec2 (all 8 numeric features, as River), class UP = true --------------------
const file = new URL('../../packages/learn/test-data/elec2_electricity.csv.gz', import.meta.url);
const lines = gunzipSync(readFileSync(file)).toString('utf8').trim().split('\n').slice(1);
const raw = lines.map((l) => Float64Array.from(l.split(',').slice(0, 8).map(Number)));
const label = lines.map((l) => l.endsWith('UP'));
const n = raw.length;

// Online standard scaling (statistics of earlier records only), precomputed so the timings are
// the learners' alone: the scaler belongs to @tributary/features.
const scaled = (() => {
  const d = 8;
  const mean = new Float64Array(d);
  const m2 = new Float64Array(d);
  return raw.map((x, i) => {
    const out = new Float64Array(d);
    for (let f = 0; f < d; f++) {
      const sd = i > 0 ? Math.sqrt(m2[f]! / i) : 0;
      out[f] = sd > 0 ? (x[f]! - mean[f]!) / sd : 0;
      const delta = x[f]! - mean[f]!;
      mean[f] = mean[f]! + delta / (i + 1);
      m2[f] = m2[f]! + delta * (x[f]! - mean[f]!);
    }
    return out;
  });
})();
// Regression task: nswdemand (column 4) from the other scaled features.
const regX = scaled.map((x) => Float64Array.from([...x.slice(0, 4), ...x.slice(5)]));
const regY = raw.map((x) => x[4]!);

// --- contenders -------------------------------------------------------------------------
interface Row {
  readonly name: string;
  readonly input: string;
  /** One pass over the stream; returns a quality figure (accuracy, MAE, mean score…). */
  readonly pass: () => number;
  readonly quality: string;
}

const binary =
  (make: () => import('@tributary/learn').BinaryClassifier, xs: Float64Array[]) => () => {
    const m = make();
    let ok = 0;
    for (let i = 0; i < n; i++) {
      if (m.predict(xs[i]!) === label[i]) ok++;
      m.learn(xs[i]!, label[i]!);
    }
    return ok / n;
  };
const multi =
  (make: () => import('@tributary/learn').MulticlassClassifier, xs: Float64Array[]) => () => {
    const m = make();
    let ok = 0;
    for (let i = 0; i < n; i++) {
      const y = label[i] ? 1 : 0;
      if (m.predict(xs[i]!) === y) ok++;
      m.learn(xs[i]!, y);
    }
    return ok / n;
  };
const regression = (make: () => import('@tributary/learn').Regressor) => () => {
  const m = make();
  let err = 0;
  for (let i = 0; i < n; i++) {
    err += Math.abs(m.predict(regX[i]!) - regY[i]!);
    m.learn(regX[i]!, regY[i]!);
  }
  return err / n;
};
const unsupervised =
  (make: () => import('@tributary/learn').AnomalyDetector | import('@tributary/learn').Clusterer) =>
  () => {
    const m = make();
    let s = 0;
    for (let i = 0; i < n; i++) {
      s += m.predict(raw[i]!);
      m.learn(raw[i]!);
    }
    return s / n;
  };
// Bandits: arm 1 = "price goes UP", arm 0 = "DOWN"; reward 1 when right.
const bandit = (make: () => Bandit) => () => {
  const b = make();
  let r = 0;
  for (let i = 0; i < n; i++) {
    const arm = b.select();
    const reward = (arm === 1) === label[i] ? 1 : 0;
    r += reward;
    b.update(arm, reward);
  }
  return r / n;
};
const contextual = (make: () => ContextualBandit) => () => {
  const b = make();
  let r = 0;
  for (let i = 0; i < n; i++) {
    const arm = b.select(scaled[i]!);
    const reward = (arm === 1) === label[i] ? 1 : 0;
    r += reward;
    b.update(arm, scaled[i]!, reward);
  }
  return r / n;
};

const rows: Row[] = [
  {
    name: 'logisticRegression (SGD)',
    input: 'scaled',
    quality: 'accuracy',
    pass: binary(() => logisticRegression(), scaled),
  },
  {
    name: 'logisticRegression (AdaGrad, L2)',
    input: 'scaled',
    quality: 'accuracy',
    pass: binary(() => logisticRegression({ optimizer: adagrad(), l2: 1e-4 }), scaled),
  },
  {
    name: 'logisticRegression (Adam, L1)',
    input: 'scaled',
    quality: 'accuracy',
    pass: binary(() => logisticRegression({ optimizer: adam(0.01), l1: 1e-4 }), scaled),
  },
  {
    name: 'ftrlProximal',
    input: 'scaled',
    quality: 'accuracy',
    pass: binary(() => ftrlProximal(), scaled),
  },
  {
    name: 'perceptron',
    input: 'scaled',
    quality: 'accuracy',
    pass: binary(() => perceptron(), scaled),
  },
  {
    name: 'passiveAggressiveClassifier',
    input: 'scaled',
    quality: 'accuracy',
    pass: binary(() => passiveAggressiveClassifier(), scaled),
  },
  {
    name: 'gaussianNaiveBayes',
    input: 'raw',
    quality: 'accuracy',
    pass: multi(() => gaussianNaiveBayes(), raw),
  },
  {
    name: 'hoeffdingTree',
    input: 'raw',
    quality: 'accuracy',
    pass: multi(() => hoeffdingTree(), raw),
  },
  {
    name: 'oneVsRest(logisticRegression)',
    input: 'scaled',
    quality: 'accuracy',
    pass: multi(() => oneVsRest(logisticRegression()), scaled),
  },
  {
    // Plain SGD(0.01) diverges here: vicprice is constant until record 11,473, so its first
    // scaled values are ~38 and a squared-loss step overshoots. AdaGrad bounds the steps.
    name: 'linearRegression (AdaGrad)',
    input: 'scaled',
    quality: 'MAE nswdemand',
    pass: regression(() => linearRegression({ optimizer: adagrad(0.01) })),
  },
  {
    name: 'recursiveLeastSquares',
    input: 'scaled',
    quality: 'MAE nswdemand',
    pass: regression(() => recursiveLeastSquares()),
  },
  {
    name: 'passiveAggressiveRegressor',
    input: 'scaled',
    quality: 'MAE nswdemand',
    pass: regression(() => passiveAggressiveRegressor({ epsilon: 0.01, C: 0.01 })),
  },
  {
    name: 'halfSpaceTrees',
    input: 'raw [0,1]',
    quality: 'mean score',
    pass: unsupervised(() => halfSpaceTrees()),
  },
  {
    name: 'kMeans (k=5)',
    input: 'raw',
    quality: 'mean cluster id',
    pass: unsupervised(() => kMeans()),
  },
  {
    name: 'epsilonGreedy',
    input: '—',
    quality: 'mean reward',
    pass: bandit(() => epsilonGreedy({ arms: 2 })),
  },
  { name: 'ucb1', input: '—', quality: 'mean reward', pass: bandit(() => ucb1({ arms: 2 })) },
  {
    name: 'thompsonSampling (Beta)',
    input: '—',
    quality: 'mean reward',
    pass: bandit(() => thompsonSampling({ arms: 2 })),
  },
  {
    name: 'linUcb',
    input: 'scaled',
    quality: 'mean reward',
    pass: contextual(() => linUcb({ arms: 2, alpha: 0.1 })),
  },
  {
    name: 'linearThompsonSampling',
    input: 'scaled',
    quality: 'mean reward',
    pass: contextual(() => linearThompsonSampling({ arms: 2, scale: 0.05 })),
  },
];

const fmt = (x: number) => Math.round(x).toLocaleString('en-US');
console.log(
  `# Learner throughput on Elec2 (${fmt(n)} records, 8 features): predict + learn per record, best of ${rounds} passes, Node ${process.version}\n`,
);
console.log('| learner | input | records/s | µs/record | quality |');
console.log('|---|---|---:|---:|---|');
for (const row of rows) {
  row.pass(); // warm-up
  let best = Number.POSITIVE_INFINITY;
  let quality = 0;
  for (let r = 0; r < rounds; r++) {
    const t0 = process.hrtime.bigint();
    quality = row.pass();
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    best = Math.min(best, ms);
  }
  console.log(
    `| ${row.name} | ${row.input} | ${fmt(n / (best / 1000))} | ${((best * 1000) / n).toFixed(2)} | ${row.quality} ${quality.toFixed(4)} |`,
  );
}
