import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { thrown } from './internal/testing/thrown.js';
import { decodeWire, encodeWire } from './wireFormat.js';

describe('Confluent wire format', () => {
  it('round-trips any id and payload (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0xffffffff }), fc.uint8Array(), (id, payload) => {
        const framed = encodeWire(id, payload);
        expect(framed.byteLength).toBe(payload.byteLength + 5);
        const { schemaId, payload: back } = decodeWire(framed);
        expect(schemaId).toBe(id);
        expect([...back]).toEqual([...payload]);
      }),
    );
  });

  it('lays out magic byte 0 and a big-endian id, as Confluent serializers do', () => {
    const framed = encodeWire(0x01020304, new TextEncoder().encode('{}'));
    expect([...framed]).toEqual([0, 1, 2, 3, 4, 0x7b, 0x7d]);
    // A frame in the middle of a larger buffer (e.g. a Kafka fetch) decodes too.
    const big = new Uint8Array([9, 9, ...framed]);
    expect(decodeWire(big.subarray(2)).schemaId).toBe(0x01020304);
  });

  it('rejects short or unframed bytes with SCHEMA_BAD_WIRE_FORMAT (property)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 20 }), async (bytes) => {
        fc.pre(bytes.byteLength < 5 || bytes[0] !== 0);
        const error = await thrown(() => decodeWire(bytes));
        expect(error.code).toBe('SCHEMA_BAD_WIRE_FORMAT');
      }),
    );
    expect((await thrown(() => encodeWire(-1, new Uint8Array()))).code).toBe('INVALID_OPTION');
    expect((await thrown(() => encodeWire(2 ** 32, new Uint8Array()))).code).toBe('INVALID_OPTION');
  });
});
