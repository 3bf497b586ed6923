import { describe, expect, it } from 'vitest';
import { murmur3 } from './murmur3.js';

// Reference values from Python's mmh3 (MurmurHash3_x86_32) and scikit-learn's tests.
describe('murmur3', () => {
  it.each([
    ['', 0, 0],
    ['', 1, 0x514e28b7],
    ['foo', 0, 4138058784],
    ['foo', 12, 3592633214],
    ['Hello, world!', 0x9747b28c, 0x24884cba],
    ['The quick brown fox jumps over the lazy dog', 0x9747b28c, 0x2fa826cd],
    ['ππππππππ', 0x9747b28c, 0xd58063c1],
    ['color=red', 0, 2695532590],
  ] as const)('murmur3(%j, %i) = %i', (text, seed, expected) => {
    expect(murmur3(text, seed)).toBe(expected);
  });

  it('gives the signed form scikit-learn uses with | 0, and hashes bytes like text', () => {
    expect(murmur3('foo') | 0).toBe(-156908512);
    expect(murmur3(new TextEncoder().encode('Hello, world!'), 0x9747b28c)).toBe(0x24884cba);
    // a long key grows the scratch buffer without changing results
    const long = 'x'.repeat(1000);
    expect(murmur3(long)).toBe(murmur3(new TextEncoder().encode(long)));
  });
});
