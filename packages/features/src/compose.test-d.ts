import { linearRegression, logisticRegression } from '@tributary/learn';
import { describe, expectTypeOf, it } from 'vitest';
import { compose } from './compose.js';
import { standardScaler } from './standardScaler.js';

describe('compose types', () => {
  it('takes label, prediction and probability types from the model', () => {
    const c = compose(standardScaler(), logisticRegression());
    expectTypeOf(c.predict({ a: 1 })).toEqualTypeOf<boolean>();
    expectTypeOf(c.predictProba({ a: 1 })).toEqualTypeOf<number>();
    c.learn({ a: 1 }, true);
    // @ts-expect-error: a binary model learns booleans
    c.learn({ a: 1 }, 1);
    const r = compose(standardScaler(), linearRegression());
    expectTypeOf(r.predict({ a: 1 })).toEqualTypeOf<number>();
    r.learn({ a: 1 }, 2.5);
    // @ts-expect-error: the model must come last
    compose(logisticRegression(), standardScaler());
  });
});
