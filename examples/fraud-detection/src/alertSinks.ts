import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Sink } from '@tributary/core';
import { jsonlSink, postgresSink } from '@tributary/sinks';
import pg from 'pg';
import type { PredictionRecord } from './predictionRecord.js';

/** The table alerts go to when `DATABASE_URL` is set. */
export const ALERTS_TABLE = 'fraud_alerts';

/**
 * The alert sinks besides the `alerts` topic: a JSONL file (`<dir>/alerts.jsonl`, rotated at
 * 64 MB) and, with a database URL, the `fraud_alerts` table of PostgreSQL (created if missing;
 * keyed by transaction id, so a batch written twice leaves the same rows).
 */
export async function alertSinks(options: {
  readonly dir: string;
  readonly databaseUrl?: string | undefined;
}): Promise<Sink<PredictionRecord>[]> {
  mkdirSync(options.dir, { recursive: true });
  const sinks: Sink<PredictionRecord>[] = [
    jsonlSink<PredictionRecord>(join(options.dir, 'alerts.jsonl'), {
      rotate: { maxBytes: 64 * 1024 * 1024 },
      fsync: false,
    }),
  ];
  if (options.databaseUrl) {
    const client = new pg.Client({ connectionString: options.databaseUrl });
    await client.connect();
    await client.query(`CREATE TABLE IF NOT EXISTS ${ALERTS_TABLE} (
      transaction_id text PRIMARY KEY, card text NOT NULL, event_time timestamptz NOT NULL,
      amount double precision NOT NULL, score double precision NOT NULL,
      threshold double precision NOT NULL, model_version integer NOT NULL, lineage jsonb NOT NULL)`);
    await client.end();
    sinks.push(
      postgresSink<PredictionRecord>({
        connection: options.databaseUrl,
        table: ALERTS_TABLE,
        key: ['transaction_id'],
        columns: {
          transaction_id: (p) => p.transactionId,
          card: (p) => p.card,
          event_time: (p) => new Date(p.eventTime),
          amount: (p) => p.amount,
          score: (p) => p.score,
          threshold: (p) => p.threshold,
          model_version: (p) => p.lineage.modelVersion,
          lineage: (p) => p.lineage,
        },
      }),
    );
  }
  return sinks;
}
