/** One raw feature value: numeric, categorical, boolean, or missing (`null`/`undefined`). */
export type FeatureValue = number | string | boolean | null | undefined;

/** Named raw features, River-style: the default input of the transforms. */
export type FeatureMap = Readonly<Record<string, FeatureValue>>;

/** Named numeric features. */
export type NumericFeatures = Readonly<Record<string, number>>;
