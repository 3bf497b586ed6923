import { murmur2 } from '@tributary/core';

/**
 * A uniform number in [0, 1) determined by `parts` alone (a counter-based generator on Kafka's
 * murmur2), so a draw does not depend on the order in which the pipeline asks for it.
 */
export function uniform(...parts: readonly (string | number)[]): number {
  return (murmur2(Buffer.from(parts.join(':'), 'utf8')) >>> 0) / 4294967296;
}
