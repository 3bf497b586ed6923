/**
 * A function generated from source: `body` is run with `params` bound to `args` and returns the
 * function. Each generated function has call sites and type feedback of its own, so V8 keeps
 * its property reads monomorphic (one literal read per field instead of a keyed lookup that
 * sees every field). The same source is compiled once (see `factories`), so that instances of
 * one layout share the optimised code instead of warming up again. Where code generation is not
 * allowed (a CSP without 'unsafe-eval'), `fallback`, which must do the same, is returned.
 */
export function compiled<F>(
  fallback: F,
  params: readonly string[],
  body: string,
  ...args: unknown[]
): F {
  const key = `${params.join(',')}\n${body}`;
  let factory = factories.get(key);
  try {
    if (factory === undefined) {
      factory = new Function(...params, body) as (...a: unknown[]) => unknown;
      if (factories.size === MAX_FACTORIES) factories.delete(factories.keys().next().value!);
      factories.set(key, factory);
    }
    return factory(...args) as F;
  } catch {
    return fallback;
  }
}

// Generated factories by source, the oldest forgotten past MAX_FACTORIES (distinct layouts).
const MAX_FACTORIES = 256;
const factories = new Map<string, (...args: unknown[]) => unknown>();

/**
 * A maker of objects with fixed keys `names`, `make(values)` → `{ [names[i]]: values[i] }`, as
 * one generated object literal (one shape from the start, instead of a keyed store per key).
 */
export function namedObject<V>(
  names: readonly string[],
): (values: readonly V[]) => Record<string, V> {
  const fallback = (values: readonly V[]) => {
    const out: Record<string, V> = {};
    for (let i = 0; i < names.length; i++) out[names[i]!] = values[i]!;
    return out;
  };
  // A literal `__proto__:` key would set the prototype, not a property: the loop does what it did.
  if (names.includes('__proto__')) return fallback;
  return compiled(
    fallback,
    [],
    `return (v) => ({ ${names.map((n, i) => `${JSON.stringify(n)}: v[${i}]`).join(', ')} });`,
  );
}
