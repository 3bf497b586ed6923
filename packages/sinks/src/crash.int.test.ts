import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sleep } from '@tributary/core';
import pg from 'pg';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { jsonlFiles, readJsonl } from './index.js';

// The worker runs under tsx's loader in its own Node process, so kill -9 hits the process
// that runs the pipeline (the tsx CLI would run it as a child of its own).
const workerScript = fileURLToPath(new URL('../test/crashWorker.ts', import.meta.url));
const tsconfig = fileURLToPath(new URL('../test/tsconfig.json', import.meta.url));
const tsxLoader = new URL('../../../node_modules/tsx/dist/loader.mjs', import.meta.url).href;

async function spawnWorker(config: Record<string, unknown>): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', tsxLoader, workerScript], {
    env: {
      ...process.env,
      TSX_TSCONFIG_PATH: tsconfig,
      TRIBUTARY_CRASH_WORKER: JSON.stringify(config),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let err = '';
  child.stderr?.on('data', (d: Buffer) => {
    err += d.toString();
  });
  await new Promise<void>((resolve, reject) => {
    child.stdout?.on('data', (d: Buffer) => {
      if (d.toString().includes('started')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`worker exited (${code}): ${err}`)));
  });
  return child;
}

/** Committed positions the worker logged (fsynced after each commit), highest per partition. */
async function committed(commitLog: string): Promise<Map<number, number>> {
  const text = await readFile(commitLog, 'utf8').catch(() => '');
  const out = new Map<number, number>();
  for (const line of text.split('\n')) {
    if (line === '') continue;
    let offsets: { partition: number; offset: number }[];
    try {
      offsets = JSON.parse(line) as typeof offsets;
    } catch {
      continue; // A line cut by the kill: that commit is simply not counted.
    }
    for (const o of offsets) out.set(o.partition, Math.max(out.get(o.partition) ?? 0, o.offset));
  }
  return out;
}

/** Runs the worker until it has committed at least `commits` times, then kill -9. */
async function runAndKill(config: Record<string, unknown>, commitLog: string, commits: number) {
  const child = await spawnWorker({ ...config, commitLog });
  for (;;) {
    const text = await readFile(commitLog, 'utf8').catch(() => '');
    if (text.split('\n').length > commits) break;
    if (child.exitCode !== null) throw new Error('worker stopped before the kill');
    await sleep(20);
  }
  // A little longer, at a point that is not tied to a commit.
  await sleep(Math.floor(Math.random() * 50));
  await new Promise<void>((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
  expect(child.signalCode).toBe('SIGKILL');
}

/** Ids of every record whose offset is below a committed position: none may be missing. */
function mustHave(positions: Map<number, number>): string[] {
  const ids: string[] = [];
  for (const [partition, offset] of positions) {
    for (let o = 0; o < offset; o++) ids.push(`${partition}:${o}`);
  }
  return ids;
}

describe('kill -9 during a run on the memory bus', () => {
  it('JSONL: every committed record is in the files; no partial line is read as a record', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tributary-crash-'));
    const path = join(dir, 'out.jsonl');
    const commitLog = join(dir, 'commits.log');
    const config = { sink: 'jsonl', path, maxBytes: 64 * 1024 };
    await runAndKill(config, commitLog, 10);
    const positions = await committed(commitLog);
    expect(positions.size).toBe(2);

    const read = async () => {
      const ids = new Set<string>();
      for (const file of await jsonlFiles(path)) {
        for (const r of await readJsonl<{ id: string; partition: number; offset: number }>(file)) {
          expect(r.id).toBe(`${r.partition}:${r.offset}`);
          ids.add(r.id);
        }
      }
      return ids;
    };
    const afterKill = await read();
    const missing = mustHave(positions).filter((id) => !afterKill.has(id));
    expect(missing).toEqual([]);
    expect(afterKill.size).toBeGreaterThanOrEqual(mustHave(positions).length);

    // A second run appends to the same file (cutting a partial last line first): every file
    // still reads as whole lines only.
    await runAndKill(config, join(dir, 'commits2.log'), 3);
    const afterRestart = await read();
    expect(mustHave(positions).filter((id) => !afterRestart.has(id))).toEqual([]);
    expect((await jsonlFiles(path)).length).toBeGreaterThan(1);
  });

  const url = inject('databaseUrl');
  const db = new pg.Pool({ connectionString: url, max: 1 });
  const table = `sinks_crash_${process.pid}`;
  afterAll(async () => {
    await db.query(`DROP TABLE IF EXISTS ${table}`);
    await db.end();
  });

  it('PostgreSQL: every committed record is in the table', async () => {
    await db.query(`DROP TABLE IF EXISTS ${table}`);
    await db.query(
      `CREATE TABLE ${table} (id text PRIMARY KEY, source_partition int NOT NULL, source_offset bigint NOT NULL, pad text)`,
    );
    const dir = await mkdtemp(join(tmpdir(), 'tributary-crash-'));
    const commitLog = join(dir, 'commits.log');
    await runAndKill({ sink: 'postgres', url, table }, commitLog, 10);
    const positions = await committed(commitLog);
    expect(positions.size).toBe(2);
    const { rows } = await db.query<{
      id: string;
      source_partition: number;
      source_offset: string;
    }>(`SELECT id, source_partition, source_offset FROM ${table}`);
    const ids = new Set(rows.map((r) => r.id));
    expect(rows.every((r) => r.id === `${r.source_partition}:${r.source_offset}`)).toBe(true);
    const need = mustHave(positions);
    expect(need.length).toBeGreaterThan(0);
    expect(need.filter((id) => !ids.has(id))).toEqual([]);
  });
});
