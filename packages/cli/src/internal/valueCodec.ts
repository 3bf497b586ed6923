import type { Bytes } from '@tributary/core';
import { registrySerde, schemaRegistry } from '@tributary/schema';
import type { CliIo } from '../cliIo.js';
import { type BytesJson, bytesFromJson, bytesToJson, utf8OrUndefined } from './bytesJson.js';
import { cliError, usageError } from './usageError.js';

/** How values are read (`tail`, `dlq`) or written (`produce`). */
export type SerdeName = 'auto' | 'json' | 'string' | 'bytes' | 'registry';
export const serdeNames: readonly SerdeName[] = ['auto', 'json', 'string', 'bytes', 'registry'];

/** Decodes record values for printing: JSON values, text, `{ base64 }` or null. */
export type ValueDecoder = (raw: Bytes) => Promise<unknown>;

/** Encodes one input value for `produce`: a line of text, or a record's `value` field. */
export type ValueEncoder = (value: unknown, from: 'line' | 'record') => Promise<Bytes>;

type AnySchema = Parameters<typeof registrySerde>[1];
// The registry serde checks the frame and that the registry knows the schema id; the CLI
// does not know the schema, so any JSON passes.
const anyJson = {
  '~standard': { version: 1, vendor: 'tributary-cli', validate: (value: unknown) => ({ value }) },
} as AnySchema;

function registrySerdeFor(
  o: { registry?: string | undefined },
  env: CliIo['env'],
  subject: string,
) {
  const url = o.registry ?? env.SCHEMA_REGISTRY_URL;
  if (url === undefined || url === '') {
    throw usageError('--serde registry needs --registry <url> (or SCHEMA_REGISTRY_URL)', {
      option: '--registry',
    });
  }
  return registrySerde(schemaRegistry({ url }), anyJson, {
    subject,
    writerId: 'latest',
    jsonSchema: {},
  });
}

const notJson = (text: string, cause: unknown) =>
  cliError('CLI_BAD_INPUT', `not JSON: ${(cause as Error).message}: ${text.slice(0, 80)}`);

/** The decoder for `--serde`; registry uses the subject `<topic>-value` unless given. */
export function valueDecoder(
  serde: SerdeName,
  o: { registry?: string | undefined },
  env: CliIo['env'],
  subject: string,
): ValueDecoder {
  switch (serde) {
    case 'bytes':
      return async (raw) => (raw === null ? null : { base64: Buffer.from(raw).toString('base64') });
    case 'string':
      return async (raw) => bytesToJson(raw);
    case 'json':
      return async (raw) => {
        if (raw === null) return null;
        const text = Buffer.from(raw).toString('utf8');
        try {
          return JSON.parse(text) as unknown;
        } catch (cause) {
          throw notJson(text, cause);
        }
      };
    case 'registry': {
      const s = registrySerdeFor(o, env, subject);
      return async (raw) => (raw === null ? null : s.deserialize(raw));
    }
    default:
      // auto: JSON when it parses, else text when it is UTF-8, else base64.
      return async (raw) => {
        if (raw === null) return null;
        const text = utf8OrUndefined(raw);
        if (text === undefined) return bytesToJson(raw);
        try {
          return JSON.parse(text) as unknown;
        } catch {
          return text;
        }
      };
  }
}

/**
 * The encoder for `produce --serde`: `string` (default) stores a line's text as is and takes
 * text, null or `{ base64 }` as a record's value; `json` checks a line is JSON (stored as
 * written) and writes a record's value as JSON; `registry` frames JSON with the subject's
 * latest schema id; `bytes` takes `{ base64 }` or text.
 */
export function valueEncoder(
  serde: SerdeName,
  o: { registry?: string | undefined },
  env: CliIo['env'],
  subject: string,
): ValueEncoder {
  switch (serde) {
    case 'json':
      return async (value, from) => {
        if (from === 'record') return value === null ? null : Buffer.from(JSON.stringify(value));
        try {
          JSON.parse(value as string);
        } catch (cause) {
          throw notJson(value as string, cause);
        }
        return Buffer.from(value as string, 'utf8');
      };
    case 'registry': {
      const s = registrySerdeFor(o, env, subject);
      return async (value, from) => {
        let v = value;
        if (from === 'line') {
          try {
            v = JSON.parse(value as string);
          } catch (cause) {
            throw notJson(value as string, cause);
          }
        }
        return v === null ? null : s.serialize(v);
      };
    }
    case 'auto':
      throw usageError('produce takes --serde string, json, bytes or registry (not auto)', {
        option: '--serde',
      });
    default:
      return async (value, from) => {
        if (from === 'line') return Buffer.from(value as string, 'utf8');
        try {
          return bytesFromJson(value as BytesJson, 'value');
        } catch (error) {
          throw cliError(
            'CLI_BAD_INPUT',
            `${(error as Error).message} with --serde ${serde} (use --serde json for JSON values)`,
          );
        }
      };
  }
}
