/**
 * Zod serdes, validation with quarantine, schema registry, data quality and privacy stages.
 *
 * @packageDocumentation
 * @module @tributary/schema
 */
// The drift statistics' home is core (monitor's KSWIN uses them too); schema keeps exporting them.
export { binCounts, type KsResult, ksTest, psi, quantileEdges } from '@tributary/core';
export {
  assertCompatible,
  type CompatibilityChange,
  type CompatibilityLevel,
  type CompatibilityOptions,
  type CompatibilityReason,
  type CompatibilityResult,
  compatibility,
  type JsonSchema,
  type SchemaLike,
  toJsonSchema,
} from './compatibility.js';
export { decryptFields } from './decryptFields.js';
export {
  type DriftOptions,
  type DriftReport,
  drift,
  type FieldDrift,
} from './drift.js';
export { encryptFields } from './encryptFields.js';
export type { WithFields, WithoutFields } from './fieldTypes.js';
export { type InputDriftMonitorOptions, inputDriftMonitor } from './inputDriftMonitor.js';
export { type JsonSerde, json } from './json.js';
export { type Keyring, loadKeyring } from './keyring.js';
export {
  type InputDriftEvent,
  type ProfileDriftOptions,
  type ProfileOptions,
  type ProfileStage,
  profile,
} from './profile.js';
export type {
  CategoricalProfile,
  FieldProfile,
  NumericProfile,
  ProfileReport,
} from './profileReport.js';
export {
  type PseudonymizeOptions,
  pseudonym,
  pseudonymize,
  type SecretKey,
} from './pseudonymize.js';
export {
  checkRules,
  type QualityCheckOptions,
  type QualityCheckStage,
  qualityCheck,
  type RuleViolation,
} from './qualityCheck.js';
export { type RedactOptions, redact } from './redact.js';
export {
  type RegistrySerde,
  type RegistrySerdeOptions,
  registrySerde,
} from './registrySerde.js';
export { type Rule, type RuleAction, type RuleOptions, rule, type Scalar } from './rule.js';
export type { SchemaErrorCode } from './schemaErrorCode.js';
export { formatPath, pathPattern, type SchemaIssue, toSchemaIssues } from './schemaIssue.js';
export {
  type RegisteredSchema,
  type RegistryCompatibility,
  type RegistryCompatibilityResult,
  type SchemaOptions,
  type SchemaReference,
  type SchemaRegistry,
  type SchemaRegistryOptions,
  type SchemaType,
  schemaRegistry,
} from './schemaRegistry.js';
export {
  type ValidateOptions,
  type ValidateStage,
  type ValidationCounts,
  validate,
} from './validate.js';
export { decodeWire, encodeWire, MAGIC_BYTE, WIRE_HEADER_BYTES } from './wireFormat.js';
