#!/usr/bin/env node
// Last step of `npm test`: says, at the end where it is seen, when the Confluent client suite
// did not run because @confluentinc/kafka-javascript does not load here. The integration
// tests leave it out on such a machine (packages/kafka/test/clients.ts); CI never does.
import { createRequire } from 'node:module';

const name = '@confluentinc/kafka-javascript';
// Resolved as @tributary/kafka resolves it.
const require = createRequire(new URL('../packages/kafka/package.json', import.meta.url));
try {
  require(name);
} catch (error) {
  const reason = String(error instanceof Error ? error.message : error).split('\n')[0];
  console.log(`
Confluent client suite did not run: ${name} is not installed or does not load
(${reason}).
Everything else passed. To run it too (Debian/Ubuntu), then re-run npm test:
  apt-get install -y build-essential python3 libssl-dev libsasl2-dev zlib1g-dev libzstd-dev \\
    liblz4-dev libcurl4-openssl-dev
  CKJS_LINKING=dynamic npm install
CI (.ci/run) fails without it.`);
}
