import { describe, expect, it } from 'vitest';
import { thrown } from './internal/testing/thrown.js';
import { schemaRegistry } from './schemaRegistry.js';

// These tests pin the client's HTTP behaviour (retry policy, caching, headers) with a
// scripted `fetch`; the registry API itself is tested against a real server in
// schemaRegistry.int.test.ts.
type Call = { url: string; method: string; headers: Record<string, string>; body?: string };

function scripted(responses: (Response | Error)[]) {
  const calls: Call[] = [];
  const fetch = (async (url: string, init: RequestInit) => {
    calls.push({
      url,
      method: init.method ?? 'GET',
      headers: init.headers as Record<string, string>,
      ...(typeof init.body === 'string' ? { body: init.body } : {}),
    });
    const next = responses.shift();
    if (next === undefined) throw new Error('no scripted response left');
    if (next instanceof Error) throw next;
    return next;
  }) as unknown as typeof globalThis.fetch;
  return { fetch, calls };
}

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
const fast = { retries: 2, initialDelayMs: 1, jitter: 'none' as const };

describe('schemaRegistry client', () => {
  it('retries 5xx and network errors, then succeeds', async () => {
    const { fetch, calls } = scripted([
      json(503, { error_code: 50003, message: 'busy' }),
      new TypeError('fetch failed'),
      json(200, { schema: '{}', schemaType: 'JSON' }),
    ]);
    const sr = schemaRegistry({ url: 'http://sr.test/', fetch, retry: fast });
    await expect(sr.getById(7)).resolves.toEqual({
      id: 7,
      schema: '{}',
      schemaType: 'JSON',
      references: [],
    });
    expect(calls.map((c) => c.url)).toEqual(Array(3).fill('http://sr.test/schemas/ids/7'));
    expect(sr.requests()).toBe(3);
  });

  it('does not retry 4xx and reports status and registry error code', async () => {
    const { fetch, calls } = scripted([
      json(404, { error_code: 40403, message: 'Schema not found' }),
    ]);
    const sr = schemaRegistry({ url: 'http://sr.test', fetch, retry: fast });
    const error = await thrown(() => sr.getById(1));
    expect(error.code).toBe('SCHEMA_REGISTRY_ERROR');
    expect(error.details).toMatchObject({ status: 404, errorCode: 40403, method: 'GET' });
    expect(error.message).toBe(
      'Schema registry GET /schemas/ids/1: HTTP 404 (40403): Schema not found',
    );
    expect(calls).toHaveLength(1);
  });

  it('caches ids and registrations, and forgets failures', async () => {
    const { fetch, calls } = scripted([
      json(500, { message: 'down' }),
      json(200, { id: 3 }),
      json(200, { id: 3 }),
    ]);
    const sr = schemaRegistry({ url: 'http://sr.test', fetch, retry: { retries: 0 } });
    const schema = { type: 'object' };
    await expect(sr.register('s', schema)).rejects.toMatchObject({ code: 'SCHEMA_REGISTRY_ERROR' });
    await expect(sr.register('s', schema)).resolves.toBe(3);
    await expect(sr.register('s', schema)).resolves.toBe(3); // cached
    await expect(sr.register('t', schema)).resolves.toBe(3); // other subject: asked
    expect(calls).toHaveLength(3);
    expect(calls[1]).toMatchObject({
      method: 'POST',
      url: 'http://sr.test/subjects/s/versions',
      body: JSON.stringify({ schema: '{"type":"object"}', schemaType: 'JSON' }),
    });
    expect(calls[1]?.headers['Content-Type']).toBe('application/vnd.schemaregistry.v1+json');
  });

  it('sends basic or bearer auth and encodes subjects', async () => {
    const { fetch, calls } = scripted([json(200, [1, 2]), json(200, [])]);
    await schemaRegistry({
      url: 'http://sr.test',
      fetch,
      auth: { username: 'u', password: 'p' },
    }).versions('a/b c');
    await schemaRegistry({ url: 'http://sr.test', fetch, auth: { bearer: 'tok' } }).subjects();
    expect(calls[0]?.url).toBe('http://sr.test/subjects/a%2Fb%20c/versions');
    expect(calls[0]?.headers.Authorization).toBe(`Basic ${Buffer.from('u:p').toString('base64')}`);
    expect(calls[1]?.headers.Authorization).toBe('Bearer tok');
  });

  it('gives up on an unreachable registry with a clear error (real socket)', async () => {
    // Port 9 (discard) on loopback: nothing listens, the connection is refused.
    const sr = schemaRegistry({ url: 'http://127.0.0.1:9', retry: fast });
    const error = await thrown(() => sr.subjects());
    expect(error.code).toBe('SCHEMA_REGISTRY_ERROR');
    expect(error.message).toMatch(/^Schema registry GET \/subjects: unreachable: fetch failed/);
    expect(sr.requests()).toBe(3);
  });

  it('reports a 200 answer that is not JSON (e.g. a proxy page) as a registry error', async () => {
    const { fetch } = scripted([new Response('<html>login</html>', { status: 200 })]);
    const error = await thrown(() => schemaRegistry({ url: 'http://sr.test', fetch }).subjects());
    expect(error.code).toBe('SCHEMA_REGISTRY_ERROR');
    expect(error.message).toContain('answer is not JSON: <html>login</html>');
  });

  it('fails fast on a bad url', async () => {
    expect((await thrown(() => schemaRegistry({ url: 'localhost:8081' }))).message).toContain(
      '`url`',
    );
  });
});
