import { type Key, keyToBytes } from './record.js';

/**
 * Kafka's murmur2 hash (the Java client's `Utils.murmur2`), as a signed 32-bit int.
 * The same key must hash alike here and in every Kafka client, or keyed records
 * land on different partitions on the memory bus than on a cluster.
 */
export function murmur2(data: Uint8Array): number {
  const m = 0x5bd1e995;
  const length = data.length;
  let h = (0x9747b28c ^ length) | 0;
  const end4 = length & ~3;
  for (let i = 0; i < end4; i += 4) {
    let k =
      (data[i] as number) |
      ((data[i + 1] as number) << 8) |
      ((data[i + 2] as number) << 16) |
      ((data[i + 3] as number) << 24);
    k = Math.imul(k, m);
    k ^= k >>> 24;
    k = Math.imul(k, m);
    h = Math.imul(h, m) ^ k;
  }
  // The Java original falls through the cases 3 → 2 → 1.
  const tail = length & 3;
  if (tail === 3) h ^= (data[end4 + 2] as number) << 16;
  if (tail >= 2) h ^= (data[end4 + 1] as number) << 8;
  if (tail >= 1) {
    h ^= data[end4] as number;
    h = Math.imul(h, m);
  }
  h ^= h >>> 13;
  h = Math.imul(h, m);
  h ^= h >>> 15;
  return h | 0;
}

/** The partition Kafka's default partitioner picks for a non-null key: `toPositive(murmur2(key)) % n`. */
export function partitionFor(key: Exclude<Key, null>, partitions: number): number {
  return (murmur2(keyToBytes(key)) & 0x7fffffff) % partitions;
}
