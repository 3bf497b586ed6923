import { randomUUID } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { registrySerde, schemaRegistry } from '@tributary/schema';
import { describe, expect, inject, it } from 'vitest';
import '../test/provided.js';
import { jsonLines, spawnCli, stdoutOf } from '../test/spawnCli.js';

// The CLI against the registry and the broker's SASL and SSL listeners (scripts/kafka/kafka).
const registryUrl = process.env.SCHEMA_REGISTRY_URL ?? 'http://127.0.0.1:8081/apis/ccompat/v7';
const id = `clisec-${randomUUID().slice(0, 8)}`;
const user = process.env.KAFKA_SASL_USER ?? 'tributary';
const password = process.env.KAFKA_SASL_PASSWORD ?? 'tributary-secret';

/** The flags for the SASL_PLAINTEXT listener as the local user, with SCRAM-SHA-256. */
const sasl = () => [
  '--brokers',
  inject('kafkaSaslBrokers'),
  '--sasl-mechanism',
  'scram-sha-256',
  '--sasl-username',
  user,
];

const cli = (args: string[], env: Record<string, string>, stdinFile?: string) =>
  spawnCli(args, { KAFKA_BROKERS: '', ...env }, stdinFile);

const ok = stdoutOf;
const lines = jsonLines;

const recordsFile = (records: unknown[]): string => {
  const file = join(mkdtempSync(join(tmpdir(), 'tributary-cli-sec-')), 'records.jsonl');
  writeFileSync(file, records.map((r) => JSON.stringify(r)).join('\n'));
  return file;
};

/** topics create, produce < file and tail --no-follow over one listener. */
async function roundTrip(topic: string, env: Record<string, string>, flags: string[]) {
  expect(ok(await cli([...flags, '--json', 'topics', 'create', topic], env))).toContain(topic);
  const listed = JSON.parse(ok(await cli([...flags, '--json', 'topics'], env))) as {
    topic: string;
  }[];
  expect(listed.map((t) => t.topic)).toContain(topic);
  const file = recordsFile([1, 2, 3].map((n) => ({ key: `k${n}`, value: { n } })));
  expect(
    JSON.parse(
      ok(
        await cli(
          [...flags, '--json', 'produce', topic, '--records', '--serde', 'json'],
          env,
          file,
        ),
      ),
    ),
  ).toEqual({ topic, records: 3 });
  const read = lines(await cli([...flags, '--json', 'tail', topic, '-b', '--no-follow'], env));
  expect(read.map((l) => l.value)).toEqual([{ n: 1 }, { n: 2 }, { n: 3 }]);
}

describe('tributary over SASL and TLS', () => {
  it('topics, produce and tail over SASL_PLAINTEXT with SCRAM-SHA-256', async () => {
    await roundTrip(`${id}-sasl`, { KAFKA_SASL_PASSWORD: password }, sasl());
  });

  it('a wrong SASL password fails with the runtime exit code and says so', async () => {
    const r = await cli([...sasl(), 'topics'], { KAFKA_SASL_PASSWORD: 'not-the-password' });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^error KAFKA_AUTH_FAILED: .*invalid credentials/);
  });

  it('topics, produce and tail over SSL with --ssl-ca', async () => {
    await roundTrip(`${id}-ssl`, {}, [
      '--brokers',
      inject('kafkaSslBrokers'),
      '--ssl-ca',
      inject('kafkaCaPath'),
    ]);
  });

  it('SSL without the CA fails with the runtime exit code and names the certificate', async () => {
    const r = await cli(['--brokers', inject('kafkaSslBrokers'), '--ssl', 'topics'], {});
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^error KAFKA_CONNECTION_FAILED: .*certificate not trusted/);
  });

  it('an unreadable --ssl-ca is a usage error', async () => {
    const r = await cli(
      ['--brokers', inject('kafkaSslBrokers'), '--ssl-ca', '/nonexistent/ca.pem', 'topics'],
      {},
    );
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('--ssl-ca: cannot read /nonexistent/ca.pem');
  });
});

describe('tributary tail --serde registry', () => {
  it('decodes registry-framed records with the schema registry', async () => {
    const topic = `${id}-reg`;
    const subject = `${topic}-value`;
    const registry = schemaRegistry({ url: registryUrl });
    const serde = registrySerde(
      registry,
      { '~standard': { version: 1, vendor: 'test', validate: (value: unknown) => ({ value }) } },
      {
        subject,
        jsonSchema: {
          $schema: 'http://json-schema.org/draft-07/schema#',
          type: 'object',
          properties: { n: { type: 'number' } },
        },
      },
    );
    const framed = await Promise.all([1, 2].map((n) => serde.serialize({ n })));
    const env = { KAFKA_BROKERS: inject('kafkaBrokers'), SCHEMA_REGISTRY_URL: registryUrl };
    ok(await cli(['topics', 'create', topic], env));
    const file = recordsFile(
      framed.map((f) => ({ value: { base64: Buffer.from(f).toString('base64') } })),
    );
    ok(await cli(['produce', topic, '--records', '--serde', 'bytes'], env, file));
    // Raw, the values are framed (magic byte 0), not JSON.
    const raw = lines(
      await cli(['--json', 'tail', topic, '-b', '--no-follow', '--serde', 'bytes'], env),
    );
    expect(
      raw.map((l) => Buffer.from((l.value as { base64: string }).base64, 'base64')[0]),
    ).toEqual([0, 0]);
    const decoded = lines(
      await cli(['--json', 'tail', topic, '-b', '--no-follow', '--serde', 'registry'], env),
    );
    expect(decoded.map((l) => l.value)).toEqual([{ n: 1 }, { n: 2 }]);
    // A value that is not framed is reported with its error, and the exit code is 2.
    ok(await cli(['produce', topic], env, recordsFile(['plain'])));
    const bad = await cli(
      ['--json', 'tail', topic, '-b', '--no-follow', '--serde', 'registry'],
      env,
    );
    expect(bad.code).toBe(2);
    expect(JSON.parse(bad.stdout.trim().split('\n').at(-1) as string)).toMatchObject({
      error: { code: 'SCHEMA_BAD_WIRE_FORMAT' },
    });
  });
});
