import { describe, expect, it } from 'vitest';
import { hoeffdingTree } from './hoeffdingTree.js';
import { type Dataset, elec2, phishing, Scaler } from './internal/testData.js';
import type { BinaryClassifier, MulticlassClassifier } from './learner.js';
import { logisticRegression } from './logisticRegression.js';

/** Progressive validation (test-then-train) accuracy of a binary classifier, optionally scaled. */
function prequential(data: Dataset, model: BinaryClassifier, scale: boolean): number {
  const d = data.x[0]!.length;
  const scaler = new Scaler(d);
  let correct = 0;
  for (let i = 0; i < data.x.length; i++) {
    const raw = data.x[i]!;
    const y = data.y[i]!;
    // River's pipeline: the scaler transforms with statistics of the records before this one.
    const x = scale ? scaler.transform(raw) : raw;
    if (model.predict(x) === y) correct += 1;
    if (scale) {
      scaler.learn(raw);
      model.learn(scaler.transform(raw), y);
    } else model.learn(x, y);
  }
  return correct / data.x.length;
}

describe('accuracy against River (test-then-train)', () => {
  const e = elec2();
  const p = phishing();

  it('loads the datasets', () => {
    expect(e.x.length).toBe(45_312);
    expect(e.names).toEqual([
      'date',
      'day',
      'period',
      'nswprice',
      'nswdemand',
      'vicprice',
      'vicdemand',
      'transfer',
    ]);
    expect(e.y.filter(Boolean).length).toBe(19_237);
    expect(p.x.length).toBe(1_250);
    expect(p.y.filter(Boolean).length).toBe(548);
  });

  it('scaled logistic regression on Elec2 >= 0.82 (River 0.822)', () => {
    const acc = prequential(e, logisticRegression(), true);
    console.log('LR elec2', acc);
    expect(acc).toBeGreaterThanOrEqual(0.82);
  });

  it('scaled logistic regression on Phishing >= 0.88 (River 0.887)', () => {
    const acc = prequential(p, logisticRegression(), true);
    console.log('LR phishing', acc);
    expect(acc).toBeGreaterThanOrEqual(0.88);
  });
});

function prequentialMulti(data: Dataset, model: MulticlassClassifier): number {
  let correct = 0;
  for (let i = 0; i < data.x.length; i++) {
    const y = data.y[i]! ? 1 : 0;
    if (model.predict(data.x[i]!) === y) correct += 1;
    model.learn(data.x[i]!, y);
  }
  return correct / data.x.length;
}

describe('Hoeffding tree against River (test-then-train)', () => {
  it('Elec2 >= 0.79 (River 0.796)', () => {
    const model = hoeffdingTree();
    const acc = prequentialMulti(elec2(), model);
    console.log('HT elec2', acc, (model as unknown as { size: unknown }).size);
    expect(acc).toBeGreaterThanOrEqual(0.79);
  });
});
