/** `T` with its top-level fields `F` turned into `V` (nested paths keep their type). */
export type WithFields<T, F extends string, V> = T extends object
  ? { [K in keyof T]: K extends F ? V | Extract<T[K], null | undefined> : T[K] }
  : T;

/** `T` without its top-level fields `F`. */
export type WithoutFields<T, F extends string> = T extends object ? Omit<T, F> : T;
