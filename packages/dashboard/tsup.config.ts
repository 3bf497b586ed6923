import { defineConfig } from 'tsup';
import { packageBuild } from '../../tsup.base';

// shims: the CommonJS build gets `import.meta.url`, which finds the page's assets/ folder.
export default defineConfig({ ...packageBuild, shims: true });
