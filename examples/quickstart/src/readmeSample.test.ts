import { readFileSync } from 'node:fs';
import { expect, it, vi } from 'vitest';

it('the README sample is this file, and it runs as the README says', async () => {
  const readme = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');
  const sample = readFileSync(new URL('./readmeSample.ts', import.meta.url), 'utf8');
  const block = /```ts\n([\s\S]*?)```/.exec(readme)?.[1];
  expect(block).toBe(sample);
  const log = vi.spyOn(console, 'log').mockImplementation(() => {});
  await import('./readmeSample.js');
  expect(log).toHaveBeenCalledWith(3, 1, 1);
  log.mockRestore();
});
