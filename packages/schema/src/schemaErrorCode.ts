/** Codes of the errors this package raises, on `TributaryError.code`. */
export type SchemaErrorCode =
  /** Bytes that are not valid UTF-8. */
  | 'SCHEMA_NOT_UTF8'
  /** Text that is not JSON. */
  | 'SCHEMA_NOT_JSON'
  /** JSON with a `__proto__` key or a `constructor.prototype` path (prototype pollution). */
  | 'SCHEMA_UNSAFE_JSON'
  /** JSON that the schema rejects; `details.issues` lists every {@link SchemaIssue}. */
  | 'SCHEMA_INVALID'
  /** A value that cannot be written as JSON (a BigInt, a cycle, `undefined`). */
  | 'SCHEMA_NOT_SERIALIZABLE'
  /** A record breaking a data-quality rule whose action is `route`. */
  | 'SCHEMA_RULE_VIOLATION'
  /** Ciphertext that fails authentication (tampered, truncated or the wrong key). */
  | 'SCHEMA_DECRYPT_FAILED'
  /** A key id that the keyring does not hold. */
  | 'SCHEMA_UNKNOWN_KEY'
  /** Bytes that are not in the Confluent wire format (magic byte 0, 4-byte schema id). */
  | 'SCHEMA_BAD_WIRE_FORMAT'
  /** A schema registry request that failed (HTTP status and registry error code in details). */
  | 'SCHEMA_REGISTRY_ERROR'
  /** A schema change that breaks the required compatibility level. */
  | 'SCHEMA_INCOMPATIBLE';
