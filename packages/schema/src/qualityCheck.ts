import {
  type ErrorPolicy,
  invalidOption,
  type StageContext,
  type StageObject,
  TributaryError,
} from '@tributary/core';
import { assertPolicy } from './internal/assertPolicy.js';
import { getField, splitPath } from './internal/fieldPath.js';
import type { Rule } from './rule.js';
import type { SchemaErrorCode } from './schemaErrorCode.js';

/** One broken rule on one record. */
export interface RuleViolation {
  /** Name of the broken rule. */
  readonly rule: string;
  /** The rule's kind. */
  readonly kind: Rule['kind'];
  /** The rule's action: `route` the record, or only `count` it. */
  readonly action: Rule['action'];
  /** The checked field's path; null for a `predicate` rule. */
  readonly field: string | null;
  /** What is wrong, e.g. `"XX" is not allowed`. */
  readonly message: string;
  /** The offending value when it is a scalar (objects are left out of headers). */
  readonly value?: string | number | boolean | null;
}

/** Options of {@link qualityCheck}. */
export interface QualityCheckOptions {
  /** Where records breaking a `route` rule go, e.g. `deadLetter(sink)`. Default: the pipeline's policy. */
  readonly onViolation?: ErrorPolicy;
  /** Stage name. Default `'quality'`. */
  readonly name?: string;
}

/** The rule-checking stage: a pass-through stage object plus its counters. */
export interface QualityCheckStage<T> extends StageObject<T, T> {
  /** The stage name. */
  readonly name: string;
  /** Violations per rule name since the stage was created. */
  counts(): Readonly<Record<string, number>>;
}

interface Compiled {
  readonly rule: Rule;
  readonly path: readonly string[] | null;
  readonly check: (v: unknown) => string | undefined;
}

/**
 * A pass-through stage checking each value against data-quality rules. Violations of
 * `count` rules are counted (`rule.<name>`) and the record goes on; if any `route` rule
 * is broken the stage throws SCHEMA_RULE_VIOLATION with every violation in
 * `details.violations`, and `onViolation` (e.g. `deadLetter(sink)`) takes the record.
 */
export function qualityCheck<T = unknown>(
  rules: readonly Rule[],
  options: QualityCheckOptions = {},
): QualityCheckStage<T> {
  if (!Array.isArray(rules) || rules.length === 0) {
    throw invalidOption('rules', 'a non-empty array of rules', rules);
  }
  if (options.onViolation !== undefined) assertPolicy('onViolation', options.onViolation);
  const names = new Set<string>();
  const compiled = rules.map((r, i) => {
    if (names.has(r?.name)) throw invalidOption(`rules[${i}].name`, 'a unique name', r?.name);
    names.add(r?.name);
    return compile(r, i);
  });
  const counts: Record<string, number> = {};

  const stage: QualityCheckStage<T> = {
    name: options.name ?? 'quality',
    retry: { retries: 0 },
    process(value: T, ctx: StageContext) {
      const violations = findViolations(value, compiled);
      if (violations.length === 0) return value;
      for (const v of violations) {
        counts[v.rule] = (counts[v.rule] ?? 0) + 1;
        ctx.count(`rule.${v.rule}`);
      }
      if (violations.some((v) => v.action === 'route')) {
        ctx.count('violations.routed');
        const first = violations[0]!;
        throw new TributaryError<SchemaErrorCode>(
          'SCHEMA_RULE_VIOLATION',
          `Data-quality rule ${first.rule} broken: ${first.message}` +
            (violations.length > 1 ? ` (and ${violations.length - 1} more)` : ''),
          { details: { reason: 'rule', violations } },
        );
      }
      ctx.count('violations.counted');
      return value;
    },
    counts: () => ({ ...counts }),
  };
  return options.onViolation === undefined ? stage : { ...stage, onError: options.onViolation };
}

/** Every rule `value` breaks, in rule order (a pure function, for tests and batch checks). */
export function checkRules(value: unknown, rules: readonly Rule[]): RuleViolation[] {
  return findViolations(
    value,
    rules.map((r, i) => compile(r, i)),
  );
}

function findViolations(value: unknown, compiled: readonly Compiled[]): RuleViolation[] {
  const out: RuleViolation[] = [];
  for (const c of compiled) {
    const v = c.path === null ? value : getField(value, c.path);
    const message = c.check(v);
    if (message === undefined) continue;
    const scalar =
      v === null || ['string', 'number', 'boolean'].includes(typeof v)
        ? { value: v as string | number | boolean | null }
        : {};
    out.push({
      rule: c.rule.name,
      kind: c.rule.kind,
      action: c.rule.action,
      field: 'field' in c.rule ? c.rule.field : null,
      message,
      ...(c.path === null ? {} : scalar),
    });
  }
  return out;
}

const isNull = (v: unknown) => v === null || v === undefined || Number.isNaN(v);

function compile(r: Rule, i: number): Compiled {
  const at = `rules[${i}]`;
  if (typeof r !== 'object' || r === null) throw invalidOption(at, 'a rule object', r);
  if (typeof r.name !== 'string' || r.name === '') {
    throw invalidOption(`${at}.name`, 'a non-empty string', r.name);
  }
  if (r.action !== 'route' && r.action !== 'count') {
    throw invalidOption(`${at}.action`, "'route' or 'count'", r.action);
  }
  if (r.kind !== 'predicate' && (typeof r.field !== 'string' || r.field === '')) {
    throw invalidOption(`${at}.field`, 'a dotted field path', (r as { field?: unknown }).field);
  }
  switch (r.kind) {
    case 'notNull':
      return {
        rule: r,
        path: splitPath(r.field),
        check: (v) => (isNull(v) ? 'is null or missing' : undefined),
      };
    case 'range': {
      const { min, max } = r;
      if (min !== undefined && typeof min !== 'number')
        throw invalidOption(`${at}.min`, 'a number', min);
      if (max !== undefined && typeof max !== 'number')
        throw invalidOption(`${at}.max`, 'a number', max);
      if (min !== undefined && max !== undefined && min > max) {
        throw invalidOption(`${at}.max`, `a number ≥ min (${min})`, max);
      }
      return {
        rule: r,
        path: splitPath(r.field),
        check: (v) => {
          if (isNull(v)) return undefined;
          if (typeof v !== 'number') return `is not a number (${typeof v})`;
          if (min !== undefined && v < min) return `${v} < min ${min}`;
          if (max !== undefined && v > max) return `${v} > max ${max}`;
          return undefined;
        },
      };
    }
    case 'allowed': {
      if (!Array.isArray(r.values)) throw invalidOption(`${at}.values`, 'an array', r.values);
      const allowed = new Set<unknown>(r.values);
      return {
        rule: r,
        path: splitPath(r.field),
        check: (v) =>
          isNull(v) || allowed.has(v) ? undefined : `${JSON.stringify(v)} is not allowed`,
      };
    }
    case 'regex': {
      let re: RegExp;
      try {
        re = new RegExp(r.pattern, r.flags);
      } catch {
        throw invalidOption(`${at}.pattern`, 'a valid regular expression', r.pattern);
      }
      return {
        rule: r,
        path: splitPath(r.field),
        check: (v) => {
          if (isNull(v)) return undefined;
          if (typeof v !== 'string') return `is not a string (${typeof v})`;
          re.lastIndex = 0;
          return re.test(v) ? undefined : `does not match /${r.pattern}/`;
        },
      };
    }
    case 'predicate': {
      if (typeof r.test !== 'function') throw invalidOption(`${at}.test`, 'a function', r.test);
      return { rule: r, path: null, check: (v) => (r.test(v) ? undefined : 'predicate is false') };
    }
    default:
      throw invalidOption(
        `${at}.kind`,
        'notNull, range, allowed, regex or predicate',
        (r as { kind?: unknown }).kind,
      );
  }
}
