/** True for an object whose listed keys all hold numbers. */
export function hasNumbers(x: unknown, keys: readonly string[]): boolean {
  return (
    typeof x === 'object' &&
    x !== null &&
    keys.every((k) => typeof (x as Record<string, unknown>)[k] === 'number')
  );
}

/** `a / b`, or NaN when `b` is 0 (an undefined metric). */
export function ratio(a: number, b: number): number {
  return b === 0 ? Number.NaN : a / b;
}
