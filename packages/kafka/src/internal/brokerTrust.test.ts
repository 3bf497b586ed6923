import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer as createTcpServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer as createTlsServer } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { brokerTrust, probeBroker } from './brokerTrust.js';
import { isTlsError, kafkaError } from './kafkaError.js';

/** A self-signed certificate (its own CA) for the names in `san`, made with openssl. */
function certificate(dir: string, name: string, san: string) {
  const key = join(dir, `${name}-key.pem`);
  const cert = join(dir, `${name}.pem`);
  const args = [
    'req',
    '-x509',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:P-256',
    '-nodes',
    '-days',
    '2',
    '-subj',
    `/CN=${name}`,
    '-addext',
    `subjectAltName=${san}`,
    '-keyout',
    key,
    '-out',
    cert,
  ];
  execFileSync('openssl', args, { stdio: 'pipe' });
  return { key: readFileSync(key, 'utf8'), cert: readFileSync(cert, 'utf8') };
}

function listen(server: Server): Promise<string> {
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      resolve(`127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`);
    }),
  );
}

describe('brokerTrust', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tributary-tls-'));
  const servers: Server[] = [];
  let good: { key: string; cert: string };
  let otherName: { key: string; cert: string };
  let trustedBroker: string;
  let wrongNameBroker: string;
  let plainBroker: string;
  let closedPort: string;

  beforeAll(async () => {
    good = certificate(dir, 'good', 'IP:127.0.0.1,DNS:localhost');
    otherName = certificate(dir, 'other', 'DNS:broker.example.invalid');
    const tls = (c: { key: string; cert: string }) => {
      const server = createTlsServer(c, (socket) => socket.end());
      servers.push(server.on('tlsClientError', () => undefined));
      return listen(server);
    };
    trustedBroker = await tls(good);
    wrongNameBroker = await tls(otherName);
    const plain = createTcpServer((socket) => socket.destroy());
    servers.push(plain);
    plainBroker = await listen(plain);
    const spare = createTcpServer();
    closedPort = await listen(spare);
    await new Promise((r) => spare.close(r));
  });
  afterAll(() => {
    for (const s of servers) s.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('tells a trusted certificate from a refused one and from a broker it cannot reach', async () => {
    expect(await probeBroker(trustedBroker, { ca: good.cert }, 5000)).toEqual({ kind: 'trusted' });
    // Not signed by a CA it was given: refused, with the reason.
    expect(await probeBroker(trustedBroker, { ca: otherName.cert }, 5000)).toMatchObject({
      kind: 'refused',
    });
    expect(await probeBroker(trustedBroker, true, 5000)).toMatchObject({ kind: 'refused' });
    // Signed by the given CA, but for another host name.
    expect(await probeBroker(wrongNameBroker, { ca: otherName.cert }, 5000)).toEqual({
      kind: 'refused',
      reason: 'ERR_TLS_CERT_ALTNAME_INVALID',
    });
    // Down, or not speaking TLS: the client's own retries decide, not this check.
    expect(await probeBroker(closedPort, true, 5000)).toEqual({ kind: 'unreachable' });
    expect(await probeBroker(plainBroker, true, 5000)).toEqual({ kind: 'unreachable' });
  });

  it('fails with a TLS error that kafkaError types as KAFKA_CONNECTION_FAILED', async () => {
    const error = await brokerTrust([trustedBroker], { ca: otherName.cert }, 5000)().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(isTlsError(error)).toBe(true);
    expect((error as Error).message).toContain(trustedBroker);
    const typed = kafkaError('KAFKA_ADMIN_FAILED', 'listing topics failed', error);
    expect(typed.code).toBe('KAFKA_CONNECTION_FAILED');
    expect(typed.message).toMatch(/TLS: broker certificate not trusted/);
  });

  it('passes when a broker is trusted or none answers, and when verification is off', async () => {
    await expect(
      brokerTrust([wrongNameBroker, trustedBroker], { ca: good.cert }, 5000)(),
    ).resolves.toBeUndefined();
    await expect(brokerTrust([closedPort], true, 5000)()).resolves.toBeUndefined();
    await expect(
      brokerTrust([trustedBroker], { ca: otherName.cert, rejectUnauthorized: false }, 5000)(),
    ).resolves.toBeUndefined();
    await expect(brokerTrust([trustedBroker], undefined, 5000)()).resolves.toBeUndefined();
  });
});
