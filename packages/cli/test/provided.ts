// What packages/kafka/test/globalSetup.ts provides (declared there for the kafka package).
declare module 'vitest' {
  export interface ProvidedContext {
    kafkaBrokers: string;
    /** SASL_PLAINTEXT bootstrap brokers of the local broker (SCRAM-SHA-256 and PLAIN). */
    kafkaSaslBrokers: string;
    /** SSL bootstrap brokers of the local broker; '' when the broker is not managed. */
    kafkaSslBrokers: string;
    /** PEM file of the CA that signed the local broker's certificate; '' when not managed. */
    kafkaCaPath: string;
  }
}

export {};
