import { describe, expect, it } from 'vitest';
import { kafkaOptionsFrom } from './connect.js';
import { table } from './output.js';
import { integerArg, parseTimestamp, parseWhere } from './parseArgs.js';

describe('argument parsing', () => {
  it('timestamps: epoch ms and ISO 8601, loose dates rejected', () => {
    expect(parseTimestamp('1717171717000')).toBe(1717171717000);
    expect(parseTimestamp('2024-05-01T12:00:00Z')).toBe(Date.UTC(2024, 4, 1, 12));
    expect(parseTimestamp('2024-05-01')).toBe(Date.UTC(2024, 4, 1));
    expect(() => parseTimestamp('1 2 3')).toThrow(/ISO 8601/);
    expect(() => parseTimestamp('yesterday')).toThrow(
      expect.objectContaining({ code: 'CLI_USAGE' }),
    );
  });

  it('integers with a minimum', () => {
    expect(integerArg('--max', 0)('12')).toBe(12);
    expect(() => integerArg('--max', 1)('0')).toThrow('--max must be an integer >= 1, got "0"');
    expect(() => integerArg('--max', 0)('1.5')).toThrow(/integer/);
  });

  it('--where clauses', () => {
    expect(parseWhere('code=SCHEMA_INVALID')).toEqual({
      field: 'code',
      op: '=',
      value: 'SCHEMA_INVALID',
    });
    expect(parseWhere('message~=a=b')).toEqual({ field: 'message', op: '~=', value: 'a=b' });
    expect(() => parseWhere('code')).toThrow(/field=value/);
  });

  it('tables align text left and numbers right', () => {
    expect(
      table(
        ['NAME', 'N'],
        [
          ['a', 5],
          ['bbb', 100],
        ],
      ),
    ).toBe('NAME    N\na       5\nbbb   100');
  });
});

describe('Kafka options from flags and environment', () => {
  const files: Record<string, string> = { 'ca.pem': 'CA', 'c.pem': 'CERT', 'k.pem': 'KEY' };
  const read = async (p: string) => {
    const f = files[p];
    if (f === undefined) throw new Error('ENOENT');
    return Buffer.from(f);
  };

  it('brokers from KAFKA_BROKERS, SASL from the environment, TLS from PEM files', async () => {
    const o = await kafkaOptionsFrom(
      { sslCa: 'ca.pem', sslCert: 'c.pem', sslKey: 'k.pem' },
      {
        KAFKA_BROKERS: 'a:9092, b:9092',
        KAFKA_SASL_MECHANISM: 'scram-sha-256',
        KAFKA_SASL_USERNAME: 'u',
        KAFKA_SASL_PASSWORD: 'p',
      },
      read,
    );
    expect(o).toMatchObject({
      brokers: ['a:9092', 'b:9092'],
      ssl: { ca: Buffer.from('CA'), cert: Buffer.from('CERT'), key: Buffer.from('KEY') },
      sasl: { mechanism: 'scram-sha-256', username: 'u', password: 'p' },
    });
    expect((await kafkaOptionsFrom({ brokers: 'x:1', ssl: true }, {}, read)).ssl).toBe(true);
    expect((await kafkaOptionsFrom({ brokers: 'x:1', sslInsecure: true }, {}, read)).ssl).toEqual({
      rejectUnauthorized: false,
    });
    expect((await kafkaOptionsFrom({ brokers: 'x:1' }, {}, read)).ssl).toBeUndefined();
  });

  it('says what is missing', async () => {
    await expect(kafkaOptionsFrom({ brokers: 'x:1', sslCa: 'none.pem' }, {}, read)).rejects.toThrow(
      '--ssl-ca: cannot read none.pem',
    );
    await expect(kafkaOptionsFrom({ brokers: 'x:1', sslCert: 'c.pem' }, {}, read)).rejects.toThrow(
      /go together/,
    );
    await expect(kafkaOptionsFrom({ brokers: 'x:1', saslUsername: 'u' }, {}, read)).rejects.toThrow(
      /--sasl-mechanism must be one of/,
    );
    await expect(
      kafkaOptionsFrom({ brokers: 'x:1', saslMechanism: 'plain', saslUsername: 'u' }, {}, read),
    ).rejects.toMatchObject({ code: 'CLI_USAGE' });
  });
});
