import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';

/** Test-only: rows of a CSV file in ../../test-data (no quoting in our files), as text cells. */
export function readCsv(file: string): Record<string, string>[] {
  const url = new URL(`../../../test-data/${file}`, import.meta.url);
  const bytes = readFileSync(url);
  const text = (file.endsWith('.gz') ? gunzipSync(bytes) : bytes).toString('utf8');
  const [header, ...lines] = text.trim().split(/\r?\n/);
  const names = (header ?? '').split(',');
  return lines.map((line) => {
    const cells = line.split(',');
    return Object.fromEntries(names.map((n, i) => [n, cells[i] ?? '']));
  });
}
