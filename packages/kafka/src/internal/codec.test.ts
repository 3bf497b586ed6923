import { encodeValue, partitionFor } from '@tributary/core';
import fc from 'fast-check';
import { Partitioners } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { encodeHeaders, encodeKey, toOutMessage } from './codec.js';

describe('codec', () => {
  it('encodes values: bytes and text as they are, null as a tombstone, the rest as JSON', () => {
    expect(encodeValue(new Uint8Array([1, 2]))).toEqual(Buffer.from([1, 2]));
    expect(encodeValue('héllo')?.toString('utf8')).toBe('héllo');
    expect(encodeValue(null)).toBeNull();
    expect(encodeValue(undefined)).toBeNull();
    expect(encodeValue({ a: 1 })?.toString()).toBe('{"a":1}');
    expect(encodeValue(0)?.toString()).toBe('0');
  });

  it('encodes keys and headers as bytes', () => {
    expect(encodeKey(null)).toBeNull();
    expect(encodeKey('k')).toEqual(Buffer.from('k'));
    expect(encodeHeaders({ a: 'x', b: new Uint8Array([7]) })).toEqual({
      a: Buffer.from('x'),
      b: Buffer.from([7]),
    });
    expect(
      toOutMessage({ key: 'k', value: 1, headers: {}, timestamp: 5, partition: 2 }, null),
    ).toMatchObject({
      partition: 2,
      timestamp: 5,
    });
  });

  it("puts a key on the partition core's partitionFor computes, as kafkajs' default partitioner does (property)", () => {
    const kafkajs = Partitioners.DefaultPartitioner();
    fc.assert(
      fc.property(fc.string({ minLength: 1 }), fc.integer({ min: 1, max: 64 }), (key, n) => {
        const partitionMetadata = Array.from({ length: n }, (_, i) => ({
          partitionId: i,
          leader: 1,
          partitionErrorCode: 0,
          replicas: [1],
          isr: [1],
          offlineReplicas: [],
        }));
        const chosen = kafkajs({
          topic: 't',
          partitionMetadata,
          message: { key: encodeKey(key), value: null },
        });
        expect(chosen).toBe(partitionFor(key, n));
      }),
    );
  });
});
