import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    /** URL of the PostgreSQL database the integration tests use. */
    databaseUrl: string;
  }
}

const script = fileURLToPath(new URL('../../../scripts/postgres/postgres', import.meta.url));

function running(): boolean {
  try {
    execFileSync(script, ['status'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/**
 * Starts the local PostgreSQL cluster (scripts/postgres/postgres) unless DATABASE_URL points
 * at a database. A server this setup started is stopped afterwards; one already running is
 * left running for the next run to reuse.
 */
export default function setup(project: TestProject): (() => void) | undefined {
  const external = process.env.DATABASE_URL;
  if (external !== undefined && external !== '') {
    project.provide('databaseUrl', external);
    return undefined;
  }
  const started = !running();
  execFileSync(script, ['start'], { stdio: 'inherit', timeout: 120_000 });
  project.provide('databaseUrl', execFileSync(script, ['url'], { encoding: 'utf8' }).trim());
  return started
    ? () => execFileSync(script, ['stop'], { stdio: 'inherit', timeout: 120_000 })
    : undefined;
}
