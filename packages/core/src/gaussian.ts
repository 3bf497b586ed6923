/**
 * A standard normal draw (mean 0, variance 1) from `random`, a uniform [0, 1) generator such as
 * {@link mulberry32}: Box–Muller, two uniform draws per normal one, so a seeded `random` gives a
 * reproducible normal stream.
 */
export function gaussian(random: () => number): number {
  const u = 1 - random();
  const v = random();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}
