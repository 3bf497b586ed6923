// What packages/kafka/test/globalSetup.ts provides (declared there for the kafka package).
declare module 'vitest' {
  export interface ProvidedContext {
    kafkaBrokers: string;
  }
}

export {};
