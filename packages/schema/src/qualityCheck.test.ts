import { deadLetter, type Sink } from '@tributary/core';
import { describe, expect, it } from 'vitest';
import { fakeContext } from './internal/testing/fakeContext.js';
import { readCsv } from './internal/testing/readCsv.js';
import { thrown } from './internal/testing/thrown.js';
import { checkRules, qualityCheck } from './qualityCheck.js';
import { type Rule, rule } from './rule.js';

const sink: Sink<unknown> = { name: 'dlq', write: async () => {} };

describe('rules', () => {
  it('are plain data that can come from JSON', () => {
    const fromJson = JSON.parse(
      '[{"kind":"range","field":"a.b","min":0,"max":1,"name":"ab","action":"count"}]',
    ) as Rule[];
    expect(checkRules({ a: { b: 2 } }, fromJson)).toEqual([
      {
        rule: 'ab',
        kind: 'range',
        action: 'count',
        field: 'a.b',
        message: '2 > max 1',
        value: 2,
      },
    ]);
    expect(rule.regex('id', /^x\d+$/i)).toEqual({
      kind: 'regex',
      field: 'id',
      pattern: '^x\\d+$',
      flags: 'i',
      name: 'regex:id',
      action: 'route',
    });
  });

  it('check notNull, range, allowed, regex and predicate', () => {
    const rules = [
      rule.notNull('id'),
      rule.range('amount', { min: 0, max: 100 }),
      rule.allowed('currency', ['EUR', 'USD']),
      rule.regex('id', /^tx-\d+$/),
      rule.predicate('refund-has-reason', (v) => {
        const r = v as { amount?: number; reason?: string };
        return (r.amount ?? 0) >= 0 || r.reason !== undefined;
      }),
    ];
    expect(checkRules({ id: 'tx-1', amount: 5, currency: 'EUR' }, rules)).toEqual([]);
    // Null or missing values are only the business of notNull.
    expect(checkRules({ id: null, amount: null }, rules).map((v) => v.rule)).toEqual([
      'notNull:id',
    ]);
    const v = checkRules({ id: 'oops', amount: -5, currency: 'GBP' }, rules);
    expect(v.map((x) => [x.rule, x.message])).toEqual([
      ['range:amount', '-5 < min 0'],
      ['allowed:currency', '"GBP" is not allowed'],
      ['regex:id', 'does not match /^tx-\\d+$/'],
      ['refund-has-reason', 'predicate is false'],
    ]);
    expect(checkRules({ id: 'tx-1', amount: '5' }, rules)[0]?.message).toBe(
      'is not a number (string)',
    );
    expect(checkRules({ id: 'tx-1', amount: Number.NaN }, [rule.notNull('amount')])).toHaveLength(
      1,
    );
  });
});

describe('qualityCheck', () => {
  it('passes clean records through unchanged', () => {
    const stage = qualityCheck([rule.notNull('id')]);
    const value = { id: 1 };
    expect(stage.process(value, fakeContext())).toBe(value);
  });

  it('routes records breaking a route rule, with every violation in details', async () => {
    const stage = qualityCheck(
      [rule.notNull('id'), rule.range('amount', { min: 0 }, { action: 'count' })],
      { onViolation: deadLetter(sink) },
    );
    expect(stage.onError).toEqual({ kind: 'deadLetter', sink });
    const ctx = fakeContext();
    const error = await thrown(() => stage.process({ amount: -1 }, ctx));
    expect(error.code).toBe('SCHEMA_RULE_VIOLATION');
    expect(error.message).toBe(
      'Data-quality rule notNull:id broken: is null or missing (and 1 more)',
    );
    expect(error.details.violations).toEqual([
      {
        rule: 'notNull:id',
        kind: 'notNull',
        action: 'route',
        field: 'id',
        message: 'is null or missing',
      },
      {
        rule: 'range:amount',
        kind: 'range',
        action: 'count',
        field: 'amount',
        message: '-1 < min 0',
        value: -1,
      },
    ]);
    expect(ctx.counters).toEqual({
      'rule.notNull:id': 1,
      'rule.range:amount': 1,
      'violations.routed': 1,
    });
  });

  it('only counts records breaking count rules, and lets them through', () => {
    const stage = qualityCheck([rule.range('amount', { min: 0 }, { action: 'count' })]);
    const ctx = fakeContext();
    expect(stage.process({ amount: -3 }, ctx)).toEqual({ amount: -3 });
    expect(ctx.counters).toEqual({ 'rule.range:amount': 1, 'violations.counted': 1 });
    expect(stage.counts()).toEqual({ 'range:amount': 1 });
  });

  it('fails fast on bad rules, naming the option', async () => {
    const cases: [unknown, string][] = [
      [[], '`rules`'],
      [[rule.range('a', { min: 2, max: 1 })], '`rules[0].max`'],
      [[rule.notNull('a'), rule.notNull('a')], '`rules[1].name`'],
      [
        [{ kind: 'regex', field: 'a', pattern: '(', name: 'r', action: 'route' }],
        '`rules[0].pattern`',
      ],
      [[{ kind: 'nope', field: 'a', name: 'r', action: 'route' }], '`rules[0].kind`'],
      [[{ kind: 'notNull', field: 'a', name: 'r', action: 'drop' }], '`rules[0].action`'],
      [[{ kind: 'notNull', name: 'r', action: 'count' }], '`rules[0].field`'],
    ];
    for (const [rules, option] of cases) {
      const error = await thrown(() => qualityCheck(rules as Rule[]));
      expect(error.code).toBe('INVALID_OPTION');
      expect(error.message).toContain(option);
    }
  });

  it('counts rule violations on real bike-sharing rows', () => {
    const stage = qualityCheck(
      [
        rule.allowed('weather', ['clear', 'mist', 'rain'], { action: 'count' }),
        rule.range('hum', { min: 30, max: 100 }, { action: 'count' }),
        rule.range('windspeed', { max: 30 }, { action: 'count' }),
      ],
      { name: 'bike-quality' },
    );
    const ctx = fakeContext();
    for (const r of readCsv('bike-sharing-head.csv')) {
      stage.process(
        { weather: r.weather, hum: Number(r.hum), windspeed: Number(r.windspeed) },
        ctx,
      );
    }
    // Counted independently with awk over the CSV: hum < 30 in 26 rows, windspeed > 30 in 48.
    expect(stage.counts()).toEqual({ 'range:hum': 26, 'range:windspeed': 48 });
    expect(ctx.counters['violations.counted']).toBe(69); // rows breaking either rule
  });
});
