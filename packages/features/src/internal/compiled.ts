/**
 * A function generated from source: `body` is run with `params` bound to `args` and returns the
 * function. Each generated function has call sites and type feedback of its own, so V8 keeps
 * its property reads monomorphic (one literal read per field instead of a keyed lookup that
 * sees every field). Where code generation is not allowed (a CSP without 'unsafe-eval'),
 * `fallback`, which must do the same, is returned.
 */
export function compiled<F>(
  fallback: F,
  params: readonly string[],
  body: string,
  ...args: unknown[]
): F {
  try {
    return new Function(...params, body)(...args) as F;
  } catch {
    return fallback;
  }
}
