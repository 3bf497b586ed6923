import { describe, expect, inject, it } from 'vitest';
import type {} from '../../packages/kafka/test/globalSetup.js';
import { docFiles, expectedOutput, runSnippet, where } from './docSnippets.js';
import { snippetsOf, squash } from './snippets.js';

// Doc snippets marked `<!-- snippet: kafka -->`, run against the local broker.
const snippets = docFiles()
  .flatMap(snippetsOf)
  .filter((s) => s.mode === 'kafka');

describe('doc snippets on Kafka', () => {
  it('there are some', () => {
    expect(snippets.length).toBeGreaterThan(0);
  });

  for (const s of snippets) {
    it(`${where(s)} runs on the local broker`, { timeout: 120_000 }, async () => {
      const out = await runSnippet(s, { KAFKA_BROKERS: inject('kafkaBrokers') });
      if (s.expected.length > 0) expect(squash(out)).toBe(expectedOutput(s));
    });
  }
});
