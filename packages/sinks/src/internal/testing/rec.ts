import type { OutRecord } from '@tributary/core';

/** Test-only: an OutRecord of `value` with no key, no headers and timestamp 0. */
export const rec = <V>(value: V): OutRecord<V> => ({ key: null, value, headers: {}, timestamp: 0 });
