import { Base } from './base.js';
import { learnError } from './errors.js';
import { pickBest } from './multiclass.js';
import type { Parts } from './parts.js';
import { Rng } from './rng.js';
import { arr, f64, type JsonObject, json } from './snapshot.js';

/** Options every bandit has. */
export interface ArmOptions {
  readonly arms: number;
  readonly seed: number;
}

/** Checks an arm index. */
export function checkArm(arm: number, arms: number): void {
  if (!(Number.isInteger(arm) && arm >= 0 && arm < arms)) {
    throw learnError('LEARN_BAD_ARM', `Arm must be an integer in [0, ${arms}), got ${arm}`, {
      arm,
      arms,
    });
  }
}

/** Checks a reward. */
export function checkReward(reward: number): void {
  if (!Number.isFinite(reward)) {
    throw learnError('LEARN_NON_FINITE', `Reward is ${reward}`, { reward });
  }
}

/** Pull counts, reward sums, a seeded RNG and a random tie-break: the base of the bandits. */
export abstract class ArmStats<O extends ArmOptions> extends Base<O> {
  protected pulls: Float64Array;
  protected sums: Float64Array;
  protected rng: Rng;
  protected total = 0;

  constructor(options: O) {
    super(options);
    this.pulls = new Float64Array(options.arms);
    this.sums = new Float64Array(options.arms);
    this.rng = new Rng(options.seed);
  }

  get arms(): number {
    return this.options.arms;
  }

  update(arm: number, reward: number): void {
    checkArm(arm, this.options.arms);
    checkReward(reward);
    this.pulls[arm] = this.pulls[arm]! + 1;
    this.sums[arm] = this.sums[arm]! + reward;
    this.total += 1;
  }

  stats(): { readonly pulls: Float64Array; readonly meanReward: Float64Array } {
    const mean = new Float64Array(this.options.arms);
    for (let a = 0; a < mean.length; a++) {
      mean[a] = this.pulls[a]! > 0 ? this.sums[a]! / this.pulls[a]! : 0;
    }
    return { pulls: this.pulls.slice(), meanReward: mean };
  }

  /** The first arm never played, or -1. */
  protected untried(): number {
    for (let a = 0; a < this.options.arms; a++) if (this.pulls[a] === 0) return a;
    return -1;
  }

  /** The policy's value of an arm at selection time. */
  abstract score(arm: number): number;

  /** Argmax of `score(arm)`, ties broken uniformly at random. */
  protected argmax(): number {
    return pickBest(this.options.arms, this, undefined, this.rng);
  }

  /** Merge rule (exact): pulls and reward sums per arm are summed; each worker keeps its RNG. */
  protected override toParts(): Parts {
    return {
      dim: 0,
      records: this.total,
      parts: {
        pulls: { kind: 'stat', values: this.pulls },
        sums: { kind: 'stat', values: this.sums },
      },
    };
  }

  protected override fromParts(p: Parts): void {
    this.pulls = p.parts.pulls!.values.slice();
    this.sums = p.parts.sums!.values.slice();
    this.total = p.records;
  }

  protected exportState(): JsonObject {
    return {
      pulls: json(this.pulls),
      sums: json(this.sums),
      total: this.total,
      rng: this.rng.state(),
    };
  }

  protected importState(state: JsonObject): void {
    this.pulls = f64(state, 'pulls', this.options.arms);
    this.sums = f64(state, 'sums', this.options.arms);
    this.total = typeof state.total === 'number' ? state.total : 0;
    this.rng.setState(arr(state, 'rng'));
  }
}
