import { errorMessage, TributaryError } from '@tributary/core';

/** Error codes of @tributary/kafka. */
export type KafkaErrorCode =
  | 'KAFKA_CLIENT_MISSING'
  | 'KAFKA_AUTH_FAILED'
  | 'KAFKA_CONNECTION_FAILED'
  | 'KAFKA_DELIVERY_FAILED'
  | 'KAFKA_RECORD_TOO_LARGE'
  | 'KAFKA_CONSUMER_FAILED'
  | 'KAFKA_COMMIT_FAILED'
  | 'KAFKA_TRANSACTION_FAILED'
  | 'KAFKA_ADMIN_FAILED'
  | 'KAFKA_STATE_FAILED'
  | 'KAFKA_MODEL_STORE_FAILED';

/** What both clients put on their errors, normalised: name, numeric or text code, retriable. */
export function clientErrorInfo(error: unknown): Record<string, unknown> {
  if (typeof error !== 'object' || error === null) return { message: errorMessage(error) };
  const e = error as {
    name?: unknown;
    code?: unknown;
    type?: unknown;
    retriable?: unknown;
    fatal?: unknown;
  };
  const info: Record<string, unknown> = { message: errorMessage(error) };
  if (typeof e.name === 'string') info.name = e.name;
  if (typeof e.code === 'string' || typeof e.code === 'number') info.kafkaCode = e.code;
  if (typeof e.type === 'string') info.type = e.type;
  if (typeof e.retriable === 'boolean') info.retriable = e.retriable;
  if (typeof e.fatal === 'boolean') info.fatal = e.fatal;
  return info;
}

function matches(
  error: unknown,
  names: readonly string[],
  codes: readonly (string | number)[],
): boolean {
  const info = clientErrorInfo(error);
  const text = `${String(info.name ?? '')} ${String(info.type ?? '')} ${String(info.message ?? '')}`;
  if (names.some((n) => text.includes(n))) return true;
  return info.kafkaCode !== undefined && codes.includes(info.kafkaCode as string | number);
}

/** True for authentication failures of either client (bad SASL credentials). */
export function isAuthError(error: unknown): boolean {
  // kafkajs: KafkaJSSASLAuthenticationError; librdkafka: ERR__AUTHENTICATION (-169), broker code 58.
  return matches(
    error,
    [
      'SASLAuthentication',
      'SASL_AUTHENTICATION_FAILED',
      'Authentication failed',
      'ERR__AUTHENTICATION',
    ],
    [-169, 58],
  );
}

/** Name of the errors both adapters raise when a broker's TLS certificate is not trusted. */
export const TLS_ERROR_NAME = 'KafkaTlsCertificateError';

/** True when a broker's TLS certificate was refused (untrusted CA, wrong host, expired). */
export function isTlsError(error: unknown): boolean {
  // Our adapters' own error, or librdkafka's handshake message where it reaches an error.
  return matches(error, [TLS_ERROR_NAME, 'certificate verify failed'], []);
}

/** True when a record is larger than the producer or broker accept. */
export function isTooLarge(error: unknown): boolean {
  // Broker MESSAGE_TOO_LARGE (10), RECORD_LIST_TOO_LARGE (18); librdkafka ERR_MSG_SIZE_TOO_LARGE.
  return matches(
    error,
    ['MESSAGE_TOO_LARGE', 'MSG_SIZE_TOO_LARGE', 'RECORD_LIST_TOO_LARGE', 'too large'],
    [10, 18],
  );
}

/** Wraps a client error into a typed TributaryError, keeping the client's code in details. */
export function kafkaError(
  code: KafkaErrorCode,
  message: string,
  cause: unknown,
  details: Record<string, unknown> = {},
): TributaryError {
  if (code !== 'KAFKA_CLIENT_MISSING') {
    if (isAuthError(cause)) code = 'KAFKA_AUTH_FAILED';
    else if (isTlsError(cause)) code = 'KAFKA_CONNECTION_FAILED';
  }
  if (code === 'KAFKA_DELIVERY_FAILED' && isTooLarge(cause)) code = 'KAFKA_RECORD_TOO_LARGE';
  return new TributaryError(code, `${message}: ${errorMessage(cause)}`, {
    cause,
    details: { ...details, ...clientErrorInfo(cause) },
  });
}

/** A TributaryError already (typed by a lower layer). */
export function isTributaryErrorLike(error: unknown): boolean {
  return (
    typeof error === 'object' &&
    error !== null &&
    (error as { _tag?: unknown })._tag === 'TributaryError'
  );
}
