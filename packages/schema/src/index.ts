export { type JsonSerde, json } from './json.js';
export type { SchemaErrorCode } from './schemaErrorCode.js';
export { formatPath, pathPattern, type SchemaIssue, toSchemaIssues } from './schemaIssue.js';
export {
  type ValidateOptions,
  type ValidateStage,
  type ValidationCounts,
  validate,
} from './validate.js';
