/** What a broken rule does: `route` rejects the record (to the stage's error policy), `count` only counts it. */
export type RuleAction = 'route' | 'count';

/** A JSON scalar, for allowed-value lists. */
export type Scalar = string | number | boolean | null;

interface RuleBase {
  /** Unique name, used in counters (`rule.<name>`) and violation details. */
  readonly name: string;
  readonly action: RuleAction;
}

/**
 * A data-quality rule, as plain data (all but `predicate` can be loaded from JSON).
 * `field` is a dotted path. Except `notNull`, rules ignore null or missing values.
 */
export type Rule =
  | (RuleBase & {
      /** The field must be present and not null. */
      readonly kind: 'notNull';
      /** Dotted path of the checked field, e.g. `customer.country`. */
      readonly field: string;
    })
  | (RuleBase & {
      /** A number within `min`..`max`. */
      readonly kind: 'range';
      /** Dotted path of the checked field, e.g. `customer.country`. */
      readonly field: string;
      /** Inclusive bounds; either may be left out. */
      readonly min?: number;
      /** Inclusive upper bound. */
      readonly max?: number;
    })
  | (RuleBase & {
      /** One of `values`. */
      readonly kind: 'allowed';
      /** Dotted path of the checked field, e.g. `customer.country`. */
      readonly field: string;
      /** The allowed values (strings, numbers, booleans or null, compared exactly). */
      readonly values: readonly Scalar[];
    })
  | (RuleBase & {
      /** A string matching `pattern`. */
      readonly kind: 'regex';
      /** Dotted path of the checked field, e.g. `customer.country`. */
      readonly field: string;
      /** A JavaScript regular expression source. */
      readonly pattern: string;
      /** Its flags, e.g. `i`. */
      readonly flags?: string;
    })
  | (RuleBase & {
      /** Any check in code (not loadable from JSON). */
      readonly kind: 'predicate';
      /** Receives the whole value; returns true when the record is fine. */
      readonly test: (value: unknown) => boolean;
    });

/** Name and action of a rule built with {@link rule}. */
export interface RuleOptions {
  /** Default `<kind>:<field>` (e.g. `range:amount`). */
  readonly name?: string;
  /** Default `route`. */
  readonly action?: RuleAction;
}

const base = (kind: string, field: string, o: RuleOptions): RuleBase => ({
  name: o.name ?? `${kind}:${field}`,
  action: o.action ?? 'route',
});

/** Builders of {@link Rule}s; the result is plain data. */
export const rule = {
  /** The field is present and neither null nor NaN. */
  notNull: (field: string, o: RuleOptions = {}): Rule => ({
    kind: 'notNull',
    field,
    ...base('notNull', field, o),
  }),
  /** The field is a number within [min, max]. */
  range: (field: string, bounds: { min?: number; max?: number }, o: RuleOptions = {}): Rule => ({
    kind: 'range',
    field,
    ...bounds,
    ...base('range', field, o),
  }),
  /** The field is one of `values` (compared with ===). */
  allowed: (field: string, values: readonly Scalar[], o: RuleOptions = {}): Rule => ({
    kind: 'allowed',
    field,
    values,
    ...base('allowed', field, o),
  }),
  /** The field is a string matching `pattern`. */
  regex: (field: string, pattern: RegExp | string, o: RuleOptions = {}): Rule => ({
    kind: 'regex',
    field,
    pattern: typeof pattern === 'string' ? pattern : pattern.source,
    ...(typeof pattern !== 'string' && pattern.flags !== '' ? { flags: pattern.flags } : {}),
    ...base('regex', field, o),
  }),
  /** `test(value)` holds for the whole value; `name` is required since there is no field. */
  predicate: (
    name: string,
    test: (value: unknown) => boolean,
    o: Omit<RuleOptions, 'name'> = {},
  ): Rule => ({ kind: 'predicate', test, name, action: o.action ?? 'route' }),
};
