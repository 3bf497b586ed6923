import type { HeaderValue } from '@tributary/core';

/** Bytes in JSON: the text when they are valid UTF-8, else `{ base64 }`; `null` stays null. */
export type BytesJson = string | { readonly base64: string } | null;

const strict = new TextDecoder('utf-8', { fatal: true });

/** The bytes as UTF-8 text, or undefined when they are not valid UTF-8. */
export function utf8OrUndefined(bytes: Uint8Array): string | undefined {
  try {
    return strict.decode(bytes);
  } catch {
    return undefined;
  }
}

/** A key, value or header as {@link BytesJson}. */
export function bytesToJson(value: Uint8Array | string | null): BytesJson {
  if (value === null || typeof value === 'string') return value;
  return utf8OrUndefined(value) ?? { base64: Buffer.from(value).toString('base64') };
}

/** The bytes (or text, or null) a {@link BytesJson} stands for; throws on anything else. */
export function bytesFromJson(value: unknown, what: string): Buffer | null {
  if (value === null) return null;
  if (typeof value === 'string') return Buffer.from(value, 'utf8');
  if (
    typeof value === 'object' &&
    typeof (value as { base64?: unknown }).base64 === 'string' &&
    Object.keys(value).length === 1
  ) {
    return Buffer.from((value as { base64: string }).base64, 'base64');
  }
  throw new TypeError(`${what} must be text, null or { "base64": "..." }`);
}

/** Headers as {@link BytesJson} text per name. */
export function headersToJson(
  headers: Readonly<Record<string, HeaderValue>>,
): Record<string, BytesJson> {
  const out: Record<string, BytesJson> = {};
  for (const [name, v] of Object.entries(headers)) out[name] = bytesToJson(v);
  return out;
}

/** {@link BytesJson} as text for people: the text, `base64:...` for other bytes, '' for null. */
export function bytesText(value: BytesJson): string {
  if (value === null) return '';
  return typeof value === 'string' ? value : `base64:${value.base64}`;
}
