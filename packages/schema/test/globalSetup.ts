import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const script = fileURLToPath(new URL('../../../scripts/registry/registry', import.meta.url));

/**
 * Starts the local registry (scripts/registry/registry) unless SCHEMA_REGISTRY_URL points
 * at one. It is left running, like the Kafka broker, for the next run to reuse.
 */
export default function setup(): void {
  const external = process.env.SCHEMA_REGISTRY_URL;
  if (external === undefined || external === '') {
    execFileSync(script, ['start'], { stdio: 'inherit', timeout: 600_000 });
    process.env.SCHEMA_REGISTRY_URL = execFileSync(script, ['url'], { encoding: 'utf8' }).trim();
  }
}
