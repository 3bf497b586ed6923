import { Writable } from 'node:stream';
import { isTributaryError, type OutRecord } from '@tributary/core';
import { describe, expect, it } from 'vitest';
import { consoleSink } from './index.js';

/** A real writable stream that keeps what it is given; `isTTY` as asked. */
function capture(isTTY = false) {
  let text = '';
  const stream = Object.assign(
    new Writable({
      write(chunk: Buffer, _enc, done) {
        text += chunk.toString('utf8');
        done();
      },
    }),
    { isTTY },
  );
  return { stream, text: () => text };
}

const at = Date.parse('2026-01-02T03:04:05.678Z');
const rec = <V>(value: V, key: string | null = null): OutRecord<V> => ({
  key,
  value,
  headers: { trace: 'abc' },
  timestamp: at,
});

describe('consoleSink', () => {
  it('prints one plain line per record when the stream is not a TTY', async () => {
    const out = capture();
    const sink = consoleSink({ stream: out.stream, headers: true });
    await sink.write([rec({ id: 1, tags: ['a'] }, 'k1'), rec('plain text'), rec(10n)]);
    expect(out.text()).toBe(
      [
        "2026-01-02T03:04:05.678Z k1 { id: 1, tags: [ 'a' ] } trace=abc",
        '2026-01-02T03:04:05.678Z plain text trace=abc',
        '2026-01-02T03:04:05.678Z 10n trace=abc',
        '',
      ].join('\n'),
    );
    expect(out.text()).not.toContain('\u001b[');
  });

  it('colours only on a TTY, unless told', async () => {
    const tty = capture(true);
    const previous = process.env.NO_COLOR;
    delete process.env.NO_COLOR;
    try {
      await consoleSink({ stream: tty.stream }).write([rec({ id: 1 }, 'k')]);
    } finally {
      if (previous !== undefined) process.env.NO_COLOR = previous;
    }
    expect(tty.text()).toContain('\u001b[36mk\u001b[39m');
    const forcedOff = capture(true);
    await consoleSink({ stream: forcedOff.stream, colors: false }).write([rec(1, 'k')]);
    expect(forcedOff.text()).not.toContain('\u001b[');
  });

  it('rejects with a typed error when the stream fails, and after close', async () => {
    const broken = new Writable({
      write(_chunk, _enc, done) {
        done(new Error('EPIPE'));
      },
    });
    broken.on('error', () => {});
    const error = await consoleSink({ stream: broken })
      .write([rec(1)])
      .catch((e: unknown) => e);
    expect(isTributaryError(error, 'SINK_FILE_FAILED')).toBe(true);
    const sink = consoleSink({ stream: capture().stream });
    await sink.close?.();
    expect(
      isTributaryError(await sink.write([rec(1)]).catch((e: unknown) => e), 'SINK_CLOSED'),
    ).toBe(true);
  });
});
