import kafkajs, { CompressionTypes } from 'kafkajs';

/** kafkajs' number for each codec name of `producer.compression`. */
export const KAFKAJS_COMPRESSION = {
  none: CompressionTypes.None,
  gzip: CompressionTypes.GZIP,
  snappy: CompressionTypes.Snappy,
  lz4: CompressionTypes.LZ4,
  zstd: CompressionTypes.ZSTD,
} as const;

/** True when kafkajs can write `codec`: gzip is built in, the others only once a codec is registered. */
export function kafkajsHasCodec(codec: keyof typeof KAFKAJS_COMPRESSION): boolean {
  const type = KAFKAJS_COMPRESSION[codec];
  if (type === CompressionTypes.None) return true;
  // kafkajs' placeholders for the codecs it lacks throw when asked for the codec. Read off
  // the default export: Node's ESM loader does not see CompressionCodecs as a named export.
  try {
    return kafkajs.CompressionCodecs[type]() !== undefined;
  } catch {
    return false;
  }
}
