import { createHmac, randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decryptFields } from './decryptFields.js';
import { encryptFields } from './encryptFields.js';
import { fakeContext } from './internal/testing/fakeContext.js';
import { readCsv } from './internal/testing/readCsv.js';
import { thrown } from './internal/testing/thrown.js';
import type { Keyring } from './keyring.js';
import { pseudonym, pseudonymize } from './pseudonymize.js';
import { redact } from './redact.js';

const ctx = fakeContext();
const k1 = randomBytes(32);
const k2 = randomBytes(32);
const ring1: Keyring = { current: 'k1', keys: { k1 } };
const ring2: Keyring = { current: 'k2', keys: { k1, k2: k2.toString('base64') } };
type Payment = {
  user: string;
  card: { pan: string; cvv?: number };
  amount: number;
  note: string | null;
};
const payment: Payment = {
  user: 'u-42',
  card: { pan: '4111111111111111', cvv: 123 },
  amount: 9.5,
  note: null,
};

describe('pseudonymize', () => {
  const key = 'a-secret-of-32-bytes-for-testing';

  it('replaces fields with HMAC-SHA-256 hex, matching node:crypto directly', () => {
    const out = pseudonymize<Payment, 'user' | 'card.pan'>(['user', 'card.pan'], key).process(
      payment,
      ctx,
    ) as Record<string, unknown>;
    const expected = createHmac('sha256', key).update('u-42').digest('hex');
    expect(out.user).toBe(expected);
    expect(out.user).toMatch(/^[0-9a-f]{64}$/);
    expect((out.card as { pan: string }).pan).toBe(pseudonym('4111111111111111', key));
    expect(out.amount).toBe(9.5);
    expect(payment.user).toBe('u-42'); // input untouched
  });

  it('is stable per key, differs across keys, and keeps nulls', () => {
    const a = pseudonymize(['id'], key);
    const b = pseudonymize(['id'], `${key}-other`);
    const run = (s: typeof a, v: unknown) => (s.process({ id: v }, ctx) as { id: unknown }).id;
    expect(run(a, 'x')).toBe(run(a, 'x'));
    expect(run(a, 'x')).not.toBe(run(b, 'x'));
    expect(run(a, null)).toBeNull();
    expect(run(a, 123)).toBe(run(a, '123'));
    expect(pseudonymize(['id'], key, { encoding: 'base64url' }).process({ id: 'x' }, ctx)).toEqual({
      id: createHmac('sha256', key).update('x').digest('base64url'),
    });
  });

  it('gives distinct pseudonyms to distinct real identifiers (bike-sharing timestamps)', () => {
    const ids = readCsv('bike-sharing-head.csv').map((r) => r.date_time);
    const stage = pseudonymize(['t'], key);
    const out = new Set(ids.map((t) => (stage.process({ t }, ctx) as { t: string }).t));
    expect(out.size).toBe(new Set(ids).size);
  });

  it('with a cache, gives the same pseudonyms as without, through evictions', () => {
    const plain = pseudonymize(['id'], key);
    const cached = pseudonymize(['id'], key, { cacheSize: 2 });
    const run = (s: typeof plain, v: unknown) => (s.process({ id: v }, ctx) as { id: unknown }).id;
    for (const v of ['a', 'b', 'a', 'c', 'b', 7, '7', null, 'a', 'c', 'c', { n: 1 }]) {
      expect(run(cached, v)).toEqual(run(plain, v));
    }
  });

  it('fails fast on short keys, bad field lists and a bad cache size', async () => {
    expect((await thrown(() => pseudonymize(['id'], key, { cacheSize: -1 }))).message).toContain(
      '`cacheSize`',
    );
    expect((await thrown(() => pseudonymize(['id'], key, { cacheSize: 1.5 }))).message).toContain(
      '`cacheSize`',
    );
    expect((await thrown(() => pseudonymize(['id'], 'short'))).message).toContain('`key`');
    expect((await thrown(() => pseudonymize([], key))).message).toContain('`fields`');
    expect((await thrown(() => pseudonymize(['a..b'], key))).message).toContain('`fields`');
  });
});

describe('encryptFields / decryptFields', () => {
  it('round-trips any JSON field value (property)', () => {
    const enc = encryptFields(['secret', 'nested.x'], ring1);
    const dec = decryptFields(['secret', 'nested.x'], ring1);
    fc.assert(
      fc.property(fc.jsonValue(), fc.jsonValue(), (secret, x) => {
        const value = { secret, nested: { x }, plain: 1 };
        const sealed = enc.process(value, ctx) as { secret: unknown };
        if (secret !== null) expect(sealed.secret).toMatch(/^enc:v1:k1:/);
        expect(dec.process(sealed, ctx)).toEqual(JSON.parse(JSON.stringify(value)));
      }),
      { numRuns: 200 },
    );
  });

  it('uses a fresh IV per value: equal plaintexts give different tokens', () => {
    const enc = encryptFields(['s'], ring1);
    const a = enc.process({ s: 'same' }, ctx) as { s: string };
    const b = enc.process({ s: 'same' }, ctx) as { s: string };
    expect(a.s).not.toBe(b.s);
  });

  it('rotates keys: new writes use the current key, old tokens still decrypt', () => {
    const old = encryptFields(['card.pan'], ring1).process(payment, ctx) as Payment;
    const fresh = encryptFields(['card.pan'], ring2).process(payment, ctx) as Payment;
    expect(old.card.pan.startsWith('enc:v1:k1:')).toBe(true);
    expect(fresh.card.pan.startsWith('enc:v1:k2:')).toBe(true);
    const dec = decryptFields<Payment>(['card.pan'], ring2);
    expect(dec.process(old, ctx)).toEqual(payment);
    expect(dec.process(fresh, ctx)).toEqual(payment);
  });

  it('rejects tampered ciphertext, tags, moved tokens and relabelled key ids', async () => {
    const sealed = encryptFields(['a', 'b'], ring2).process({ a: 'alpha', b: 'beta' }, ctx) as {
      a: string;
      b: string;
    };
    const dec = decryptFields(['a', 'b'], ring2);
    const [, , kid, iv, ct, tag] = sealed.a.split(':') as string[];
    const flip = (s: string) => {
      const buf = Buffer.from(s, 'base64url');
      buf[0] = (buf[0] ?? 0) ^ 1;
      return buf.toString('base64url');
    };
    const cases = [
      `enc:v1:${kid}:${iv}:${flip(ct!)}:${tag}`, // ciphertext bit flip
      `enc:v1:${kid}:${iv}:${ct}:${flip(tag!)}`, // tag bit flip
      `enc:v1:${kid}:${flip(iv!)}:${ct}:${tag}`, // IV bit flip
      `enc:v1:k1:${iv}:${ct}:${tag}`, // relabelled to the other key
      sealed.b, // b's token moved into a
    ];
    for (const a of cases) {
      const error = await thrown(() => dec.process({ a, b: sealed.b }, ctx));
      expect(error.code).toBe('SCHEMA_DECRYPT_FAILED');
      expect(error.details).toMatchObject({ field: 'a', reason: 'auth-failed' });
      expect(error.message).toContain('failed authentication');
    }
    const truncated = await thrown(() =>
      dec.process({ a: `enc:v1:${kid}:${iv}:${ct}:${tag!.slice(0, 8)}` }, ctx),
    );
    expect(truncated.details.reason).toBe('malformed');
    const plain = await thrown(() => dec.process({ a: 'alpha' }, ctx));
    expect(plain.details.reason).toBe('not-encrypted');
  });

  it('names a missing key id with SCHEMA_UNKNOWN_KEY', async () => {
    const sealed = encryptFields(['a'], ring2).process({ a: 1 }, ctx);
    const error = await thrown(() => decryptFields(['a'], ring1).process(sealed, ctx));
    expect(error.code).toBe('SCHEMA_UNKNOWN_KEY');
    expect(error.details).toEqual({ field: 'a', keyId: 'k2' });
  });

  it('fails fast on a bad keyring', async () => {
    const bad: [unknown, string][] = [
      [{ current: 'k1', keys: { k1: randomBytes(16) } }, '`keyring.keys.k1`'],
      [{ current: 'nope', keys: { k1 } }, '`keyring.current`'],
      [{ current: 'a:b', keys: { 'a:b': k1 } }, '`keyring.keys`'],
      [null, '`keyring`'],
    ];
    for (const [ring, option] of bad) {
      const error = await thrown(() => encryptFields(['a'], ring as Keyring));
      expect(error.code).toBe('INVALID_OPTION');
      expect(error.message).toContain(option);
    }
  });
});

describe('redact', () => {
  it('removes fields, or replaces them, without touching the input', () => {
    expect(
      redact<Payment, 'note' | 'card.cvv'>(['note', 'card.cvv']).process(payment, ctx),
    ).toEqual({
      user: 'u-42',
      card: { pan: '4111111111111111' },
      amount: 9.5,
    });
    expect(redact(['card.pan'], { replacement: '[redacted]' }).process(payment, ctx)).toEqual({
      ...payment,
      card: { pan: '[redacted]', cvv: 123 },
    });
    expect(payment.card.cvv).toBe(123);
    // Missing paths are left alone.
    expect(redact(['nope.deeper']).process(payment, ctx)).toEqual(payment);
  });
});
