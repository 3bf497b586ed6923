import { defineConfig } from 'tsup';
import { packageBuild } from '../../tsup.base';

export default defineConfig({
  ...packageBuild,
  // Optional dependency, loaded lazily at run time: never bundle it.
  external: ['@confluentinc/kafka-javascript'],
});
