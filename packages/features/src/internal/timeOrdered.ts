/**
 * Inserts `entry` into `list`, kept ordered by time (each entry's first element), after the
 * entries of the same time; scans from the end, where an in-order entry goes.
 */
export function insertByTime<E extends readonly [number, ...unknown[]]>(list: E[], entry: E): void {
  let i = list.length;
  while (i > 0 && list[i - 1]![0] > entry[0]) i--;
  list.splice(i, 0, entry);
}
