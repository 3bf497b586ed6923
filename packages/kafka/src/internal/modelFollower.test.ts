import { silentLogger } from '@tributary/core';
import { describe, expect, it } from 'vitest';
import type { InMessage } from './adapter.js';
import type { TopicFollower } from './followTopic.js';
import { type FollowHooks, ModelFollower } from './modelFollower.js';

const message = (offset: number): InMessage => ({
  offset,
  key: Buffer.from(`k${offset}`),
  value: Buffer.from('v'),
  headers: {},
  timestamp: 0,
});
const tick = (ms = 0) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * A topic of `records` messages (offsets 0…) behind a fake `open`: each start hands over the
 * watermarks and every record, then catches up, or fails as `starts` says.
 */
function fakeTopic(records: () => number, starts: ('ok' | 'fail')[] = []) {
  const seen: [offset: number, fresh: boolean][] = [];
  const state = { opened: 0, stopped: 0, hooks: undefined as FollowHooks | undefined };
  const follower = new ModelFollower(
    {
      topic: 'models',
      log: silentLogger,
      record: (m, fresh) => seen.push([m.offset, fresh]),
      async open(hooks) {
        state.opened++;
        state.hooks = hooks;
        const n = records();
        hooks.onStart([{ partition: 0, low: 0, high: n }]);
        for (let o = 0; o < n; o++) hooks.onMessage(0, message(o));
        const fails = starts.shift() === 'fail';
        const f: TopicFollower = {
          caughtUp: fails ? Promise.reject(new Error('no leader')) : Promise.resolve(),
          stop: async () => {
            state.stopped++;
          },
        };
        f.caughtUp.catch(() => undefined);
        return f;
      },
    },
    5,
  );
  return { follower, seen, state };
}

describe('ModelFollower', () => {
  it('starts once for every caller; records before the first end offset are not fresh', async () => {
    const t = fakeTopic(() => 2);
    await Promise.all([t.follower.started(), t.follower.started()]);
    expect(t.state.opened).toBe(1);
    t.state.hooks?.onMessage(0, message(2));
    expect(t.seen).toEqual([
      [0, false],
      [1, false],
      [2, true],
    ]);
  });

  it('a crash restarts the consumer; records it read before are not fresh again', async () => {
    let n = 1;
    const t = fakeTopic(() => n);
    await t.follower.started();
    t.state.hooks?.onMessage(0, message(1));
    n = 3; // offset 2 was saved while the consumer was down
    t.state.hooks?.onCrash(new Error('consumer died'));
    expect(t.state.stopped).toBe(1);
    await tick(20);
    expect(t.state.opened).toBe(2);
    expect(t.seen).toEqual([
      [0, false],
      [1, true],
      [0, false],
      [1, false],
      [2, true],
    ]);
    await t.follower.close();
  });

  it('a failed start is KAFKA_MODEL_STORE_FAILED and the next call tries again', async () => {
    const t = fakeTopic(() => 0, ['fail']);
    await expect(t.follower.started()).rejects.toMatchObject({
      code: 'KAFKA_MODEL_STORE_FAILED',
      message: expect.stringContaining('could not read the topic: no leader'),
    });
    await t.follower.started();
    expect(t.state.opened).toBe(2);
  });

  it('after close no restart happens and calls fail', async () => {
    const t = fakeTopic(() => 0);
    await t.follower.started();
    t.state.hooks?.onCrash(new Error('consumer died'));
    await t.follower.close();
    await tick(20);
    expect(t.state.opened).toBe(1);
    await expect(t.follower.started()).rejects.toMatchObject({ code: 'KAFKA_MODEL_STORE_FAILED' });
  });
});
