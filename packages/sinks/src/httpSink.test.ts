import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  DeadLetterHeaders,
  deadLetter,
  isTributaryError,
  memoryBus,
  type OutRecord,
  pipeline,
  run,
  silentLogger,
} from '@tributary/core';
import { afterEach, describe, expect, it } from 'vitest';
import { httpSink } from './index.js';
import { rec } from './internal/testing/rec.js';

interface Received {
  readonly body: unknown;
  readonly headers: IncomingMessage['headers'];
  readonly at: number;
}

type Answer = (n: number, body: unknown, res: ServerResponse) => void;

const servers: { close: () => void }[] = [];
afterEach(() => {
  for (const s of servers.splice(0)) s.close();
});

/** A real HTTP peer on 127.0.0.1 that answers request n (1-based) with `answer`. */
async function peer(answer: Answer) {
  const received: Received[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown;
      received.push({ body, headers: req.headers, at: performance.now() });
      answer(received.length, body, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  servers.push({
    close: () => {
      server.closeAllConnections();
      server.close();
    },
  });
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/ingest`, received };
}

const ok: Answer = (_n, _b, res) => res.writeHead(204).end();
const fast = { retries: 3, initialDelayMs: 1, jitter: 'none' as const };

describe('httpSink', () => {
  it('POSTs JSON arrays of at most batchSize values with the given headers, in order', async () => {
    const { url, received } = await peer(ok);
    const sink = httpSink<{ id: number }>(url, {
      batchSize: 2,
      headers: { Authorization: 'Bearer t0k' },
    });
    await sink.write([1, 2, 3, 4, 5].map((id) => rec({ id })));
    expect(received.map((r) => r.body)).toEqual([
      [{ id: 1 }, { id: 2 }],
      [{ id: 3 }, { id: 4 }],
      [{ id: 5 }],
    ]);
    expect(received[0]?.headers).toMatchObject({
      'content-type': 'application/json',
      authorization: 'Bearer t0k',
    });
  });

  it('resolves only once the peer has acknowledged the batch', async () => {
    let acknowledge: (() => void) | undefined;
    const { url, received } = await peer((_n, _b, res) => {
      acknowledge = () => res.writeHead(200).end('stored');
    });
    const sink = httpSink(url);
    let resolved = false;
    const writing = sink.write([rec('a')]).then(() => {
      resolved = true;
    });
    while (received.length === 0) await new Promise((r) => setTimeout(r, 5));
    await new Promise((r) => setTimeout(r, 50));
    expect(resolved).toBe(false);
    acknowledge?.();
    await writing;
    expect(resolved).toBe(true);
  });

  it('retries 5xx answers with backoff until one succeeds', async () => {
    const { url, received } = await peer((n, _b, res) =>
      n < 3 ? res.writeHead(503).end('busy') : res.writeHead(200).end(),
    );
    await httpSink(url, { retry: fast }).write([rec(1)]);
    expect(received).toHaveLength(3);
    expect(received.every((r) => JSON.stringify(r.body) === '[1]')).toBe(true);
  });

  it("waits a 429's Retry-After before trying again", async () => {
    const { url, received } = await peer((n, _b, res) =>
      n === 1 ? res.writeHead(429, { 'Retry-After': '1' }).end() : res.writeHead(200).end(),
    );
    await httpSink(url, { retry: fast }).write([rec(1)]);
    expect(received).toHaveLength(2);
    // The backoff alone would have waited 1 ms.
    expect((received[1]?.at ?? 0) - (received[0]?.at ?? 0)).toBeGreaterThanOrEqual(950);
  });

  it('gives up after its retries with SINK_HTTP_UNAVAILABLE, not to be retried again', async () => {
    const { url, received } = await peer((_n, _b, res) => res.writeHead(500).end('broken'));
    const error = await httpSink(url, { retry: fast })
      .write([rec(1)])
      .catch((e: unknown) => e);
    expect(received).toHaveLength(4);
    expect(isTributaryError(error, 'SINK_HTTP_UNAVAILABLE')).toBe(true);
    expect(error).toMatchObject({
      retryable: false,
      details: { status: 500, body: 'broken', attempts: 4 },
    });
  });

  it('retries network errors and timeouts, then names them', async () => {
    // A port nothing listens on: take one and close it.
    const closed = await peer(ok);
    servers.pop()?.close();
    const refused = await httpSink(closed.url, { retry: fast })
      .write([rec(1)])
      .catch((e: unknown) => e);
    expect(isTributaryError(refused, 'SINK_HTTP_UNAVAILABLE')).toBe(true);
    expect((refused as Error).message).toMatch(/ECONNREFUSED.*4 attempts/);

    const silent = await peer(() => {});
    const timedOut = await httpSink(silent.url, { retry: { ...fast, retries: 1 }, timeoutMs: 100 })
      .write([rec(1)])
      .catch((e: unknown) => e);
    expect(silent.received).toHaveLength(2);
    expect((timedOut as Error).message).toMatch(/timed out/);
  });

  it('does not retry other 4xx: the error carries the status and the start of the body', async () => {
    const { url, received } = await peer((_n, _b, res) =>
      res.writeHead(422).end(`{"error":"amount must be positive"}${' '.repeat(1000)}`),
    );
    const error = await httpSink(url, { retry: fast })
      .write([rec(1)])
      .catch((e: unknown) => e);
    expect(received).toHaveLength(1);
    expect(isTributaryError(error, 'SINK_HTTP_REJECTED')).toBe(true);
    expect(error).toMatchObject({ retryable: false, details: { status: 422 } });
    expect((error as Error).message).toContain('422: {"error":"amount must be positive"}');
    expect(((error as { details: { body: string } }).details.body as string).length).toBe(500);
  });

  it('in a pipeline, a rejected record meets the error policy with status and body; the rest are written', async () => {
    const { url, received } = await peer((_n, body, res) =>
      (body as { n: number }[]).some((v) => v.n === 3)
        ? res.writeHead(400).end('n=3 is not allowed')
        : res.writeHead(200).end(),
    );
    const bus = memoryBus();
    bus.produce(
      'in',
      Array.from({ length: 6 }, (_, i) => ({ value: Buffer.from(String(i)) })),
    );
    const dlq: OutRecord[] = [];
    const summary = await run(
      pipeline(bus.source({ topic: 'in', group: 'g', stopAtEnd: true }))
        .pipe((v) => ({ n: Number(Buffer.from(v as Uint8Array).toString()) }))
        .to(httpSink(url, { name: 'api', retry: fast })),
      {
        logger: silentLogger,
        batchSize: 6,
        onError: deadLetter({ name: 'dlq', write: async (b) => void dlq.push(...b) }),
      },
    ).done;
    // One rejected batch, then each record alone.
    expect(received).toHaveLength(7);
    const accepted = received.filter((r) => !(r.body as { n: number }[]).some((v) => v.n === 3));
    expect(accepted.flatMap((r) => r.body as { n: number }[]).map((v) => v.n)).toEqual([
      0, 1, 2, 4, 5,
    ]);
    expect(dlq).toHaveLength(1);
    expect(dlq[0]?.headers[DeadLetterHeaders.code]).toBe('SINK_HTTP_REJECTED');
    expect(String(dlq[0]?.headers[DeadLetterHeaders.message])).toContain('400: n=3 is not allowed');
    expect(JSON.parse(String(dlq[0]?.headers[DeadLetterHeaders.details]))).toMatchObject({
      status: 400,
      body: 'n=3 is not allowed',
    });
    expect(summary.metrics.sinks.api?.retries).toBe(0);
  });

  it('sends nothing for a batch holding a value with no JSON form', async () => {
    const { url, received } = await peer(ok);
    const error = await httpSink<unknown>(url)
      .write([rec(1), rec({ big: 1n })])
      .catch((e: unknown) => e);
    expect(isTributaryError(error, 'SINK_NOT_SERIALIZABLE')).toBe(true);
    expect(error).toMatchObject({ details: { index: 1 } });
    expect(received).toHaveLength(0);
  });

  it('refuses bad options and writes after close', async () => {
    expect(() => httpSink('ftp://x')).toThrow(/url/);
    expect(() => httpSink('not a url')).toThrow(/url/);
    expect(() => httpSink('http://x', { batchSize: 0 })).toThrow(/batchSize/);
    const sink = httpSink('http://127.0.0.1:1/');
    await sink.close?.();
    const error = await sink.write([rec(1)]).catch((e: unknown) => e);
    expect(isTributaryError(error, 'SINK_CLOSED')).toBe(true);
  });
});
