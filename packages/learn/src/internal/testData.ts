// Test and benchmark helpers only (not part of the public surface): load the bundled
// datasets and replay them test-then-train.
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';

/** A labelled dataset as feature rows and boolean targets. */
export interface Dataset {
  readonly names: readonly string[];
  readonly x: Float64Array[];
  readonly y: boolean[];
}

const dataDir = new URL('../../test-data/', import.meta.url);

function csv(file: string): string[][] {
  const text = gunzipSync(readFileSync(new URL(file, dataDir))).toString('utf8');
  return text
    .trim()
    .split('\n')
    .map((line) => line.trim().split(','));
}

function load(file: string, target: string, positive: (v: string) => boolean): Dataset {
  const [header, ...rows] = csv(file);
  if (header === undefined) throw new Error(`${file} is empty`);
  const t = header.indexOf(target);
  const names = header.filter((_, i) => i !== t);
  const x = rows.map((r) => Float64Array.from(r.filter((_, i) => i !== t).map(Number)));
  const y = rows.map((r) => positive(r[t] ?? ''));
  return { names, x, y };
}

/** Elec2: 45,312 rows, all 8 numeric features (as River's `datasets.Elec2`), target class === 'UP'. */
export function elec2(): Dataset {
  return load('elec2_electricity.csv.gz', 'class', (v) => v === 'UP');
}

/** Phishing: 1,250 rows, 9 features, target is_phishing === 1. */
export function phishing(): Dataset {
  return load('phishing.csv.gz', 'is_phishing', (v) => v === '1');
}

/** An online standard scaler (Welford, population variance) as River's StandardScaler. */
export class Scaler {
  private n = 0;
  private readonly mean: Float64Array;
  private readonly m2: Float64Array;
  readonly out: Float64Array;

  constructor(d: number) {
    this.mean = new Float64Array(d);
    this.m2 = new Float64Array(d);
    this.out = new Float64Array(d);
  }

  learn(x: Float64Array): void {
    this.n += 1;
    for (let i = 0; i < x.length; i++) {
      const delta = x[i]! - this.mean[i]!;
      this.mean[i] = this.mean[i]! + delta / this.n;
      this.m2[i] = this.m2[i]! + delta * (x[i]! - this.mean[i]!);
    }
  }

  /** Scales into `out` (reused); 0 where the variance is 0. */
  transform(x: Float64Array): Float64Array {
    for (let i = 0; i < x.length; i++) {
      const sd = Math.sqrt(this.m2[i]! / this.n);
      this.out[i] = sd > 0 ? (x[i]! - this.mean[i]!) / sd : 0;
    }
    return this.out;
  }
}
