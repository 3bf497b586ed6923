import type { JsonSchema } from '../compatibility.js';
import type {
  RegisteredSchema,
  RegistryCompatibility,
  RegistryCompatibilityResult,
  SchemaOptions,
} from '../registeredSchema.js';

// The JSON bodies of the registry's REST API, as Confluent and Apicurio's compatible API send
// them, and their mapping to the client's types.

/** A schema in a registry answer. */
export interface RawSchema {
  readonly id?: number;
  readonly schema: string;
  readonly schemaType?: RegisteredSchema['schemaType'];
  readonly references?: RegisteredSchema['references'];
  readonly subject?: string;
  readonly version?: number;
}

/** The body of register, look-up and compatibility requests. */
export function schemaBody(schema: string | JsonSchema, o: SchemaOptions = {}) {
  return {
    schema: typeof schema === 'string' ? schema : JSON.stringify(schema),
    schemaType: o.schemaType ?? 'JSON',
    ...(o.references === undefined ? {} : { references: o.references }),
  };
}

/** A registry answer as a {@link RegisteredSchema}; `id` for answers that leave it out. */
export function toRegisteredSchema(raw: RawSchema, id?: number): RegisteredSchema {
  return {
    id: raw.id ?? id ?? -1,
    schema: raw.schema,
    schemaType: raw.schemaType ?? 'AVRO', // The registry leaves out the type for Avro.
    references: raw.references ?? [],
    ...(raw.subject === undefined ? {} : { subject: raw.subject }),
    ...(raw.version === undefined ? {} : { version: raw.version }),
  };
}

/** A compatibility check's answer. */
export interface RawCompatibility {
  readonly is_compatible: boolean;
  readonly messages?: string[];
  readonly reason?: string;
}

/** Confluent answers `messages`; Apicurio's compatible API answers `reason`. */
export function toCompatibilityResult(r: RawCompatibility): RegistryCompatibilityResult {
  const messages = r.messages ?? (r.reason === undefined ? [] : [r.reason]);
  return { compatible: r.is_compatible === true, messages };
}

/** A config answer: `compatibilityLevel` on GET, `compatibility` on PUT (and on some servers' GET). */
export interface RawConfig {
  readonly compatibilityLevel?: RegistryCompatibility;
  readonly compatibility?: RegistryCompatibility;
}

/** Registry error codes that mean "not there": 40401 subject not found, 40403 schema not found. */
export function isNotFound(errorCode: unknown): boolean {
  return errorCode === 40401 || errorCode === 40403;
}
