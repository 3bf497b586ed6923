import { describe, expect, it } from 'vitest';
import { murmur2, partitionFor } from './murmur2.js';

const utf8 = (s: string) => new TextEncoder().encode(s);

describe('murmur2', () => {
  // Vectors from Apache Kafka's UtilsTest (the Java client is the reference).
  it.each([
    ['21', -973932308],
    ['foobar', -790332482],
    ['a-little-bit-long-string', -985981536],
    ['a-little-bit-longer-string', -1486304829],
    ['lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8', -58897971],
    ['abc', 479470107],
  ])('hashes %j like Kafka', (input, expected) => {
    expect(murmur2(utf8(input))).toBe(expected);
  });

  it('places keys as toPositive(murmur2) % partitions, for text and bytes alike', () => {
    expect(partitionFor('21', 7)).toBe((-973932308 & 0x7fffffff) % 7);
    expect(partitionFor('abc', 7)).toBe(479470107 % 7);
    expect(partitionFor(utf8('foobar'), 100)).toBe(partitionFor('foobar', 100));
  });
});
