/** Turns values into what a bus stores (`Raw`, bytes on Kafka) and back. */
export interface Serde<T, Raw = Uint8Array> {
  serialize(value: T): Raw | Promise<Raw>;
  deserialize(raw: Raw): T | Promise<T>;
}
