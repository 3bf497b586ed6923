// The contract lives in core, so that a store (kafkaModelStore) need not depend on learn.
export type { ModelStore, ModelVersion } from '@tributary/core';
