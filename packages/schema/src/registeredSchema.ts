/** A schema type the Confluent Schema Registry knows. */
export type SchemaType = 'JSON' | 'AVRO' | 'PROTOBUF';

/** A reference from one schema to another registered one. */
export interface SchemaReference {
  /** The name the referring schema uses for it (e.g. a `$ref` URL for JSON Schema). */
  readonly name: string;
  /** Subject the referenced schema is registered under. */
  readonly subject: string;
  /** Version of the referenced schema within `subject`. */
  readonly version: number;
}

/** A schema as the registry returns it. */
export interface RegisteredSchema {
  /** The registry-wide schema id, as in the wire format. */
  readonly id: number;
  /** The schema text, as registered. */
  readonly schema: string;
  /** Its type (`AVRO` when the registry leaves it out, as it does for Avro). */
  readonly schemaType: SchemaType;
  /** Other schemas it refers to. */
  readonly references: readonly SchemaReference[];
  /** Known when looked up by subject. */
  readonly subject?: string;
  /** Version within `subject`; known when looked up by subject. */
  readonly version?: number;
}

/** Options of schema registration and look-up. */
export interface SchemaOptions {
  /** Default `JSON`. */
  readonly schemaType?: SchemaType;
  /** Registered schemas this one refers to. Default: none. */
  readonly references?: readonly SchemaReference[];
}

/** Compatibility levels the registry enforces on a subject. */
export type RegistryCompatibility =
  | 'NONE'
  | 'BACKWARD'
  | 'BACKWARD_TRANSITIVE'
  | 'FORWARD'
  | 'FORWARD_TRANSITIVE'
  | 'FULL'
  | 'FULL_TRANSITIVE';

/** Answer of a compatibility check. */
export interface RegistryCompatibilityResult {
  /** True when the registry would accept the schema as a new version. */
  readonly compatible: boolean;
  /** The registry's reasons, when it gives any. */
  readonly messages: readonly string[];
}
