import type { ClientAdapter } from './adapter.js';
import { brokerTrust } from './brokerTrust.js';
import { CompatLogger, commonConfig, confluentAdapter, LOG_LEVELS } from './confluentAdapter.js';
import type { ConfluentModule } from './confluentTypes.js';
import { nativeConsumer } from './nativeConsumer.js';
import { nativeProducer } from './nativeProducer.js';
import type { ConnectionSettings } from './resolveOptions.js';

/**
 * `client: 'confluent-native'`: @confluentinc/kafka-javascript's librdkafka-level API for the
 * hot path (the consumer's batched `consume(n)`, the producer's delivery reports, native
 * transactions); topic admin, off the hot path, through its KafkaJS-compatible admin.
 */
export function nativeAdapter(mod: ConfluentModule, connection: ConnectionSettings): ClientAdapter {
  const compat = confluentAdapter(mod, connection);
  // Sees librdkafka's error events, so a failed SASL or TLS handshake fails a connect at once.
  const logger = new CompatLogger(LOG_LEVELS[connection.logLevel]);
  const base = commonConfig(connection);
  // librdkafka reports a refused certificate only through events nobody polls while connecting
  // (it would time out): every connect checks the brokers' certificates first, once.
  const trust = brokerTrust(connection.brokers, connection.ssl, connection.connectionTimeoutMs);
  return {
    kind: 'confluent-native',
    producer: (s) => nativeProducer(mod, base, logger, trust, s),
    consumer: (s) => nativeConsumer(mod, base, logger, trust, s),
    admin: () => compat.admin(),
  };
}
