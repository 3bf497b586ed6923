/** Plain-data state of a transform, for checkpoints; restore it into a transform of the same kind and options. */
export interface TransformSnapshot {
  /** The transform's kind, e.g. `'standardScaler'`; `restore` rejects another. */
  readonly kind: string;
  /** Format version, 1; `restore` rejects another. */
  readonly version: 1;
  /** The learned statistics as plain data (a deep copy), in a shape of the transform's own. */
  readonly state: unknown;
}
