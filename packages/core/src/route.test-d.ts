import { describe, expectTypeOf, it } from 'vitest';
import {
  pipeline,
  type Route,
  type Sink,
  type Source,
  type StageContext,
  to,
  when,
} from './index.js';

interface Scored {
  readonly kind: 'score';
  readonly id: string;
  readonly p: number;
}
interface Drift {
  readonly kind: 'drift';
  readonly at: number;
}
type Out = Scored | Drift;
interface Alert {
  readonly id: string;
  readonly level: 'high' | 'low';
}

const source = {} as Source<{ readonly id: string; readonly amount: number }>;
const outs = pipeline(source).pipe((t): Out => ({ kind: 'score', id: t.id, p: t.amount }));
const alerts = {} as Sink<Alert>;
const drifts = {} as Sink<Drift>;
const everything = {} as Sink<Out>;

describe('route types', () => {
  it('when(guard, map, sink): the map gets the narrowed value and feeds the sink', () => {
    outs.to(
      when(
        (o): o is Scored => o.kind === 'score',
        (s, ctx): Alert => {
          expectTypeOf(s).toEqualTypeOf<Scored>();
          expectTypeOf(ctx).toEqualTypeOf<StageContext>();
          return { id: s.id, level: s.p > 0.9 ? 'high' : 'low' };
        },
        alerts,
      ),
    );
    // TypeScript infers the guard from a comparison, so the map is narrowed here too.
    outs.to(
      when(
        (o) => o.kind === 'score',
        // A literal field needs `as const` (or a return type): TypeScript widens it otherwise.
        (s) => ({ id: s.id, level: 'high' as const }),
        alerts,
      ),
    );
    outs.to(
      when(
        (o) => o.kind === 'score',
        // @ts-expect-error the map's output lacks `level`, which the sink needs
        (s) => ({ id: s.id }),
        alerts,
      ),
    );
  });

  it('when(predicate, map, sink) with a boolean predicate: the map gets every output', () => {
    const route = when(
      (o: Out): boolean => o.kind === 'score',
      (o) => {
        expectTypeOf(o).toEqualTypeOf<Out>();
        return { id: o.kind, level: 'low' as const };
      },
      alerts,
    );
    expectTypeOf(route).toEqualTypeOf<Route<Out>>();
    outs.to(route);
    const alertOf = (s: Scored): Alert => ({ id: s.id, level: 'high' });
    // @ts-expect-error a boolean predicate narrows nothing: the map must take every output
    outs.to(when((o): boolean => o.kind === 'score', alertOf, alerts));
  });

  it('when(predicate, sink): only a type guard lets the sink take a narrower type', () => {
    outs.to(when((o): o is Drift => o.kind === 'drift', drifts));
    outs.to(when((o) => o.kind === 'drift', drifts));
    outs.to(when((o): boolean => o.kind === 'drift', everything));
    // @ts-expect-error a boolean predicate narrows nothing: the sink must take every output
    outs.to(when((o): boolean => o.kind === 'drift', drifts));
  });

  it('to(sink, { map }) reshapes every output', () => {
    outs.to(
      to(alerts, {
        map: (o) => {
          expectTypeOf(o).toEqualTypeOf<Out>();
          return { id: o.kind, level: 'low' as const };
        },
        retry: { retries: 1 },
      }),
    );
    // @ts-expect-error without a map the sink must take the outputs themselves
    outs.to(to(alerts));
    // A route of another value type does not fit.
    const numbers = to({} as Sink<number>);
    // @ts-expect-error a route of numbers cannot take these outputs
    outs.to(numbers);
  });
});
