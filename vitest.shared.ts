import { fileURLToPath } from 'node:url';

const packagesDir = fileURLToPath(new URL('./packages/', import.meta.url));

/** Tests import workspace packages from source, so no build is needed to run them. */
export const workspaceAlias = [
  {
    find: /^@tributary\/(core|kafka|schema|features|learn|monitor|sinks|dashboard|cli)$/,
    replacement: `${packagesDir}$1/src/index.ts`,
  },
];
