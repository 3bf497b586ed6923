/** A JSON value: what snapshots are made of, so they survive `JSON.stringify` unchanged. */
export type JsonValue =
  | null
  | boolean
  | number
  | string
  | readonly JsonValue[]
  | { readonly [key: string]: JsonValue };
