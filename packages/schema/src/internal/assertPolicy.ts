import { type ErrorPolicy, invalidOption } from '@tributary/core';

/** Fails fast unless `policy` is an ErrorPolicy (`deadLetter(sink)`, `skip` or `fail`). */
export function assertPolicy(option: string, policy: unknown): asserts policy is ErrorPolicy {
  const kind = (policy as { kind?: unknown } | null)?.kind;
  const ok =
    kind === 'fail' ||
    kind === 'skip' ||
    (kind === 'deadLetter' &&
      typeof (policy as { sink?: { write?: unknown } }).sink?.write === 'function');
  if (!ok) throw invalidOption(option, 'an error policy: deadLetter(sink), skip or fail', policy);
}
