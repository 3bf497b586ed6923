import { TributaryError } from '@tributary/core';
import type { SchemaErrorCode } from './schemaErrorCode.js';

/** A JSON Schema document (draft-07 or 2020-12), e.g. from `z.toJSONSchema(schema)`. */
export type JsonSchema = { readonly [key: string]: unknown } | boolean;

/** What a schema change breaks; named from the old schema to the new one. */
export type CompatibilityChange =
  // Breaks BACKWARD (new readers, old data):
  | 'field-added-without-default'
  | 'field-made-required'
  | 'field-removed-from-closed-schema'
  | 'type-narrowed'
  | 'enum-value-removed'
  | 'constraint-tightened'
  // Breaks FORWARD (old readers, new data):
  | 'field-removed'
  | 'field-made-optional'
  | 'field-added-to-closed-schema'
  | 'type-widened'
  | 'enum-value-added'
  | 'constraint-loosened'
  // Either:
  | 'type-changed'
  | 'open-content';

/** One reason a direction of compatibility fails. */
export interface CompatibilityReason {
  /** BACKWARD: new schema reading old data; FORWARD: old schema reading new data. */
  readonly direction: 'BACKWARD' | 'FORWARD';
  /** The kind of change that breaks it. */
  readonly change: CompatibilityChange;
  /** Field path, e.g. `items[].price`; `$` is the root. */
  readonly path: string;
  /** What breaks, in words. */
  readonly message: string;
}

/** Compatibility levels, as the Confluent Schema Registry names them. */
export type CompatibilityLevel = 'FULL' | 'BACKWARD' | 'FORWARD' | 'NONE';

/** Verdict of {@link compatibility}. */
export interface CompatibilityResult {
  /** The strongest level that holds. */
  readonly level: CompatibilityLevel;
  /** Data written with the old schema is valid under the new one (consumers upgrade first). */
  readonly backward: boolean;
  /** Data written with the new schema is valid under the old one (producers upgrade first). */
  readonly forward: boolean;
  /** Both backward and forward hold. */
  readonly full: boolean;
  /** Every change that breaks a direction (empty when fully compatible). */
  readonly reasons: readonly CompatibilityReason[];
}

/** Options of {@link compatibility}. */
export interface CompatibilityOptions {
  /**
   * Treat open objects (no `additionalProperties: false`) as able to carry any extra
   * field, as Confluent's JSON Schema checks do: adding an optional field to an open
   * writer schema then breaks BACKWARD. Default false: extra fields are assumed absent,
   * which matches zod objects (they strip unknown keys).
   */
  readonly strictOpenContent?: boolean;
}

/** A schema given to {@link compatibility}: JSON Schema, or a schema that can produce one (zod 4). */
export type SchemaLike =
  | JsonSchema
  | {
      /**
       * The Standard Schema interface (zod 4 has it); its `jsonSchema.input` must be present,
       * else INVALID_OPTION. It gives the JSON Schema (draft 2020-12) of the input side.
       */
      readonly '~standard': unknown;
    };

/**
 * Compares two versions of a schema and tells whether the change is BACKWARD (new readers
 * accept old data), FORWARD (old readers accept new data) or FULL compatible, with every
 * reason it is not: field added without default, field removed, type narrowed, enum value
 * removed, tighter constraint, ... Zod schemas are converted with their JSON Schema of
 * the *input* side (fields with defaults are optional). Covers objects, arrays, scalars,
 * enums/const, anyOf/oneOf (nullable), local `$ref`s and numeric/string/array bounds.
 */
export function compatibility(
  oldSchema: SchemaLike,
  newSchema: SchemaLike,
  options: CompatibilityOptions = {},
): CompatibilityResult {
  const oldJs = toJsonSchema(oldSchema);
  const newJs = toJsonSchema(newSchema);
  const strict = options.strictOpenContent === true;
  const reasons: CompatibilityReason[] = [];
  new Checker('BACKWARD', oldJs, newJs, strict, reasons).check(oldJs, newJs, '$');
  new Checker('FORWARD', newJs, oldJs, strict, reasons).check(newJs, oldJs, '$');
  const backward = !reasons.some((r) => r.direction === 'BACKWARD');
  const forward = !reasons.some((r) => r.direction === 'FORWARD');
  return {
    level: backward && forward ? 'FULL' : backward ? 'BACKWARD' : forward ? 'FORWARD' : 'NONE',
    backward,
    forward,
    full: backward && forward,
    reasons,
  };
}

/** Throws SCHEMA_INCOMPATIBLE (reasons in `details.reasons`) unless the change meets `level`. */
export function assertCompatible(
  oldSchema: SchemaLike,
  newSchema: SchemaLike,
  level: Exclude<CompatibilityLevel, 'NONE'>,
  options: CompatibilityOptions = {},
): void {
  const result = compatibility(oldSchema, newSchema, options);
  const relevant = result.reasons.filter((r) => level === 'FULL' || r.direction === level);
  if (relevant.length === 0) return;
  throw new TributaryError<SchemaErrorCode>(
    'SCHEMA_INCOMPATIBLE',
    `Schema change is not ${level} compatible: ${relevant.map((r) => `${r.path}: ${r.message}`).join('; ')}`,
    { details: { level, reasons: relevant } },
  );
}

/** The JSON Schema of `schema`: as is, or from a Standard JSON Schema (zod 4) input side. */
export function toJsonSchema(schema: SchemaLike): JsonSchema {
  if (typeof schema === 'boolean') return schema;
  const std = (schema as { '~standard'?: { jsonSchema?: { input?: unknown } } })['~standard'];
  const input = std?.jsonSchema?.input;
  if (typeof input === 'function') {
    return (input as (o: { target: string }) => JsonSchema)({ target: 'draft-2020-12' });
  }
  if (std !== undefined) {
    throw new TributaryError('INVALID_OPTION', 'Schema has no JSON Schema form; pass JSON Schema', {
      details: { option: 'schema' },
    });
  }
  return schema;
}

type Node = { readonly [key: string]: unknown };

/** Checks that every value valid under `writer` is valid under `reader`, collecting reasons. */
class Checker {
  private readonly seen = new Set<string>();
  private readonly ids = new WeakMap<object, number>();
  private nextId = 0;

  private idOf(schema: JsonSchema): string {
    if (typeof schema === 'boolean') return String(schema);
    let id = this.ids.get(schema);
    if (id === undefined) {
      id = this.nextId++;
      this.ids.set(schema, id);
    }
    return String(id);
  }

  constructor(
    private readonly direction: 'BACKWARD' | 'FORWARD',
    private readonly writerRoot: JsonSchema,
    private readonly readerRoot: JsonSchema,
    private readonly strict: boolean,
    private readonly out: CompatibilityReason[],
  ) {}

  check(writerIn: JsonSchema, readerIn: JsonSchema, path: string): void {
    const writer = this.resolve(writerIn, this.writerRoot);
    const reader = this.resolve(readerIn, this.readerRoot);
    // Recursive schemas meet the same pair of $ref nodes again: compare each pair once
    // (reasons then name the first path where it was met).
    if (refOf(writerIn) !== '' || refOf(readerIn) !== '') {
      const key = `${this.idOf(writerIn)}|${this.idOf(readerIn)}`;
      if (this.seen.has(key)) return;
      this.seen.add(key);
    }
    if (reader === true || writer === false) return;
    if (reader === false) {
      this.add('type-changed', path, 'accepts nothing');
      return;
    }
    if (writer === true) {
      if (Object.keys(reader).some((k) => CONSTRAINING.has(k))) {
        this.add(this.pick('type-narrowed', 'type-widened'), path, 'was unconstrained');
      }
      return;
    }
    const wAny = branches(writer);
    if (wAny !== undefined) {
      for (const b of wAny) this.check(b, reader, path);
      return;
    }
    const rAny = branches(reader);
    if (rAny !== undefined) {
      this.checkAgainstBranches(writer, rAny, path);
      return;
    }
    if (Array.isArray(reader.allOf)) {
      for (const b of reader.allOf as JsonSchema[]) this.check(writer, b, path);
    }
    if (!this.checkValues(writer, reader, path)) return;
    if (!this.checkTypes(writer, reader, path)) return;
    this.checkBounds(writer, reader, path);
    this.checkObject(writer, reader, path);
    this.checkArray(writer, reader, path);
  }

  private checkAgainstBranches(writer: Node, readers: JsonSchema[], path: string): void {
    // The writer fits if one reader branch accepts all of it (a sound approximation).
    let best: CompatibilityReason[] | undefined;
    for (const branch of readers) {
      const trial: CompatibilityReason[] = [];
      new Checker(this.direction, this.writerRoot, this.readerRoot, this.strict, trial).check(
        writer,
        branch,
        path,
      );
      if (trial.length === 0) return;
      if (best === undefined || trial.length < best.length) best = trial;
    }
    this.out.push(...(best ?? []));
  }

  private checkValues(writer: Node, reader: Node, path: string): boolean {
    const rValues = enumOf(reader);
    if (rValues === undefined) return true;
    const wValues = enumOf(writer);
    if (wValues === undefined) {
      this.add(
        this.pick('constraint-tightened', 'constraint-loosened'),
        path,
        this.say(
          `the new schema restricts values to ${show(rValues)}`,
          `the old schema restricts values to ${show(rValues)}`,
        ),
      );
      return false;
    }
    const missing = wValues.filter((w) => !rValues.some((r) => sameJson(r, w)));
    if (missing.length > 0) {
      this.add(
        this.pick('enum-value-removed', 'enum-value-added'),
        path,
        this.say(`value(s) ${show(missing)} removed`, `value(s) ${show(missing)} added`),
      );
    }
    return false; // Values checked exhaustively; types of listed values need no more checks.
  }

  private checkTypes(writer: Node, reader: Node, path: string): boolean {
    const r = typesOf(reader);
    if (r === undefined) return true;
    const w = typesOf(writer);
    if (w === undefined) {
      this.add(
        this.pick('type-narrowed', 'type-widened'),
        path,
        `type is now limited to ${[...r].join(' | ')}`,
      );
      return false;
    }
    const accepted = (t: string) => r.has(t) || (t === 'integer' && r.has('number'));
    const lost = [...w].filter((t) => !accepted(t));
    if (lost.length === 0) return true;
    const overlap = [...w].some(accepted) || (w.has('number') && r.has('integer'));
    const [from, to] = this.direction === 'BACKWARD' ? [[...w], [...r]] : [[...r], [...w]];
    this.add(
      overlap ? this.pick('type-narrowed', 'type-widened') : 'type-changed',
      path,
      `type ${from.join(' | ')} → ${to.join(' | ')}`,
    );
    return overlap;
  }

  private checkBounds(writer: Node, reader: Node, path: string): void {
    const lower = ['minimum', 'exclusiveMinimum', 'minLength', 'minItems', 'minProperties'];
    const upper = ['maximum', 'exclusiveMaximum', 'maxLength', 'maxItems', 'maxProperties'];
    for (const k of [...lower, ...upper]) {
      const r = reader[k];
      if (typeof r !== 'number') continue;
      const w = writer[k];
      const tighter = typeof w !== 'number' || (lower.includes(k) ? r > w : r < w);
      // zod writes ±MAX_SAFE_INTEGER bounds for int(); those are not real limits.
      if (tighter && Math.abs(r) !== Number.MAX_SAFE_INTEGER) {
        this.add(
          this.pick('constraint-tightened', 'constraint-loosened'),
          path,
          this.say(
            `${k} ${typeof w === 'number' ? `${w} → ` : 'added: '}${r}`,
            `${k} ${r} → ${typeof w === 'number' ? w : 'removed'}`,
          ),
        );
      }
    }
    for (const k of ['pattern', 'format', 'multipleOf']) {
      const r = reader[k];
      if (r !== undefined && !sameJson(r, writer[k])) {
        this.add(
          this.pick('constraint-tightened', 'constraint-loosened'),
          path,
          this.say(
            `${k} ${writer[k] === undefined ? 'added' : 'changed'}: ${String(r)}`,
            `${k} ${writer[k] === undefined ? 'removed' : 'changed'} (was ${String(r)})`,
          ),
        );
      }
    }
  }

  private checkObject(writer: Node, reader: Node, path: string): void {
    const wProps = propsOf(writer);
    const rProps = propsOf(reader);
    if (wProps === undefined && rProps === undefined) return;
    const wReq = new Set(requiredOf(writer));
    const rReq = requiredOf(reader);
    const readerClosed = reader.additionalProperties === false;
    const readerExtra = reader.additionalProperties;
    const writerOpen = writer.additionalProperties !== false;
    for (const p of rReq) {
      if (wReq.has(p)) continue;
      const has = wProps?.[p] !== undefined;
      const field = join(path, p);
      if (this.direction === 'BACKWARD') {
        this.add(
          has ? 'field-made-required' : 'field-added-without-default',
          field,
          has
            ? 'optional in the old schema, required in the new one'
            : 'required by the new schema but absent from the old one (give it a default or make it optional)',
        );
      } else {
        this.add(
          has ? 'field-made-optional' : 'field-removed',
          field,
          has
            ? 'required by the old schema, optional in the new one'
            : 'required by the old schema but removed from the new one',
        );
      }
    }
    for (const [p, w] of Object.entries(wProps ?? {})) {
      const r = rProps?.[p];
      const field = join(path, p);
      if (r !== undefined) this.check(w, r, field);
      else if (readerClosed) {
        this.add(
          this.pick('field-removed-from-closed-schema', 'field-added-to-closed-schema'),
          field,
          this.say(
            'removed, and the new schema allows no extra fields',
            'added, and the old schema allows no extra fields',
          ),
        );
      } else if (typeof readerExtra === 'object' && readerExtra !== null) {
        this.check(w, readerExtra as JsonSchema, field);
      }
    }
    // An open writer may carry fields it does not list. zod objects strip unknown keys, so
    // that is only assumed when asked (strictOpenContent) or when the writer says so.
    if (!writerOpen || (!this.strict && writer.additionalProperties === undefined)) return;
    const writerExtra = (writer.additionalProperties ?? true) as JsonSchema;
    for (const [p, r] of Object.entries(rProps ?? {})) {
      if (wProps?.[p] !== undefined) continue;
      if (writerExtra !== true) {
        this.check(writerExtra, r, join(path, p));
        continue;
      }
      this.add(
        'open-content',
        join(path, p),
        this.say(
          'added to the new schema while the old one allowed any extra field',
          'removed from the new schema while it allows any extra field',
        ),
      );
    }
    if (readerClosed) {
      this.add(
        'open-content',
        path,
        this.say(
          'the new schema forbids extra fields the old one allowed',
          'the old schema forbids extra fields the new one allows',
        ),
      );
    }
  }

  private checkArray(writer: Node, reader: Node, path: string): void {
    const r = reader.items;
    if (r === undefined || Array.isArray(r)) return;
    const w = writer.items;
    this.check(
      (w === undefined || Array.isArray(w) ? true : w) as JsonSchema,
      r as JsonSchema,
      `${path === '$' ? '' : path}[]`,
    );
  }

  private resolve(schema: JsonSchema, root: JsonSchema): JsonSchema {
    let cur = schema;
    for (
      let hops = 0;
      hops < 32 && typeof cur === 'object' && typeof cur.$ref === 'string';
      hops++
    ) {
      const target = resolvePointer(root, cur.$ref as string);
      if (target === undefined) return true; // Remote refs are out of scope: assume anything.
      cur = target;
    }
    return cur;
  }

  /** The message for this direction: old → new wording differs from new → old. */
  private say(backward: string, forward: string): string {
    return this.direction === 'BACKWARD' ? backward : forward;
  }

  private pick(backward: CompatibilityChange, forward: CompatibilityChange): CompatibilityChange {
    return this.direction === 'BACKWARD' ? backward : forward;
  }

  private add(change: CompatibilityChange, path: string, message: string): void {
    this.out.push({ direction: this.direction, change, path, message });
  }
}

const CONSTRAINING = new Set([
  'type',
  'enum',
  'const',
  'properties',
  'required',
  'items',
  'anyOf',
  'oneOf',
  'allOf',
  '$ref',
  'not',
]);

function refOf(s: JsonSchema): string {
  return typeof s === 'object' && typeof s.$ref === 'string' ? s.$ref : '';
}

function resolvePointer(root: JsonSchema, ref: string): JsonSchema | undefined {
  if (ref === '#') return root;
  if (!ref.startsWith('#/')) return undefined;
  let cur: unknown = root;
  for (const raw of ref.slice(2).split('/')) {
    const key = decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~');
    if (typeof cur !== 'object' || cur === null) return undefined;
    cur = (cur as Record<string, unknown>)[key];
  }
  return typeof cur === 'object' || typeof cur === 'boolean' ? (cur as JsonSchema) : undefined;
}

function branches(s: Node): JsonSchema[] | undefined {
  const list = (s.anyOf ?? s.oneOf) as JsonSchema[] | undefined;
  if (!Array.isArray(list)) return undefined;
  // Keep sibling keywords (e.g. a shared `type`) by folding them into each branch.
  const { anyOf: _a, oneOf: _o, ...rest } = s;
  if (Object.keys(rest).every((k) => !CONSTRAINING.has(k))) return list;
  return list.map((b) => (typeof b === 'object' ? { ...rest, ...b } : b));
}

function typesOf(s: Node): Set<string> | undefined {
  const t = s.type;
  if (typeof t === 'string') return new Set([t]);
  if (Array.isArray(t)) return new Set(t.filter((x): x is string => typeof x === 'string'));
  const values = enumOf(s);
  if (values !== undefined) return new Set(values.map(jsonType));
  // Without `type`, structural keywords still pin it down.
  if (s.properties !== undefined || s.required !== undefined) return new Set(['object']);
  if (s.items !== undefined) return new Set(['array']);
  return undefined;
}

function jsonType(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v;
}

function enumOf(s: Node): unknown[] | undefined {
  if (Array.isArray(s.enum)) return s.enum;
  if ('const' in s) return [s.const];
  return undefined;
}

function propsOf(s: Node): Record<string, JsonSchema> | undefined {
  const p = s.properties;
  return typeof p === 'object' && p !== null ? (p as Record<string, JsonSchema>) : undefined;
}

function requiredOf(s: Node): string[] {
  return Array.isArray(s.required)
    ? s.required.filter((x): x is string => typeof x === 'string')
    : [];
}

function join(path: string, field: string): string {
  return path === '$' ? field : `${path}.${field}`;
}

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function show(values: readonly unknown[]): string {
  return values.map((v) => JSON.stringify(v)).join(', ');
}
