import { isIP } from 'node:net';
import { type ConnectionOptions, connect } from 'node:tls';
import type { KafkaSsl } from '../kafkaBusOptions.js';
import { TLS_ERROR_NAME } from './kafkaError.js';

/** What one TLS handshake with a broker showed. */
export type TrustVerdict =
  | { readonly kind: 'trusted' }
  | { readonly kind: 'refused'; readonly reason: string }
  | { readonly kind: 'unreachable' };

/** The error both adapters raise for a refused broker certificate (kafkaError types it). */
export function tlsCertificateError(detail: string): Error {
  const error = new Error(
    `TLS: broker certificate not trusted: ${detail}. Give the PEM of the CA that signed it ` +
      'as ssl.ca, and check that the certificate names this host and has not expired',
  );
  error.name = TLS_ERROR_NAME;
  return error;
}

/**
 * One TLS handshake with `broker`, with verification done by hand (rejectUnauthorized off,
 * then `authorized` read), so a refused certificate is told apart from a broker that is
 * down or not speaking TLS: only the former is certain to fail again.
 */
export function probeBroker(
  broker: string,
  ssl: Exclude<KafkaSsl, false>,
  timeoutMs: number,
): Promise<TrustVerdict> {
  const at = broker.lastIndexOf(':');
  const host = broker.slice(0, at);
  const port = Number(broker.slice(at + 1));
  const options: ConnectionOptions = {
    host,
    port,
    // The same SNI rule as kafkajs' socket factory: names only, never IP addresses.
    ...(isIP(host) === 0 ? { servername: host } : {}),
    ...(typeof ssl === 'object' ? ssl : {}),
    rejectUnauthorized: false,
  };
  return new Promise((resolve) => {
    const socket = connect(options);
    const done = (verdict: TrustVerdict) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(verdict);
    };
    const timer = setTimeout(() => done({ kind: 'unreachable' }), timeoutMs);
    socket.once('secureConnect', () =>
      done(
        socket.authorized
          ? { kind: 'trusted' }
          : { kind: 'refused', reason: String(socket.authorizationError) },
      ),
    );
    socket.once('error', () => done({ kind: 'unreachable' }));
  });
}

/**
 * Checks once that the bootstrap brokers' certificates are trusted. kafkajs treats a refused
 * certificate like a broker that is down and retries for its whole retry budget (tens of
 * seconds); this fails at once.
 * Resolves when any broker is trusted, or none could be reached (the client's retries decide
 * then); rejects when none is trusted and one refused. Verification off: nothing to check.
 */
export function brokerTrust(
  brokers: readonly string[],
  ssl: KafkaSsl | undefined,
  timeoutMs: number,
): () => Promise<void> {
  if (ssl === undefined || ssl === false) return () => Promise.resolve();
  if (typeof ssl === 'object' && ssl.rejectUnauthorized === false) return () => Promise.resolve();
  let trusted = false;
  return async () => {
    if (trusted) return;
    const verdicts = await Promise.all(brokers.map((b) => probeBroker(b, ssl, timeoutMs)));
    if (verdicts.some((v) => v.kind === 'trusted')) {
      trusted = true;
      return;
    }
    for (const [i, v] of verdicts.entries()) {
      if (v.kind === 'refused') throw tlsCertificateError(`${brokers[i]} (${v.reason})`);
    }
  };
}
