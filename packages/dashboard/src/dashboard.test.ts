import { get } from 'node:http';
import {
  deadLetter,
  jsonSerde,
  memoryBus,
  pipeline,
  run,
  silentLogger,
  TributaryError,
} from '@tributary/core';
import { accuracy, pageHinkley, prequential } from '@tributary/monitor';
import { afterEach, describe, expect, it } from 'vitest';
import { dashboard } from './dashboard.js';
import type { DashboardState, TickMessage } from './dashboardState.js';

interface Point {
  readonly x: number;
  readonly y: boolean;
}

/** A one-feature threshold classifier: enough to give prequential something to score. */
const thresholdModel = () => ({
  threshold: 0.5,
  predict(x: number) {
    return x > this.threshold;
  },
  learn() {},
});

const closers: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const c of closers.splice(0).reverse()) await c();
});

/** Reads Server-Sent Events from `url` until `until` says stop; returns them parsed. */
async function readEvents(
  url: string,
  until: (events: { event: string; data: unknown }[]) => boolean,
): Promise<{ event: string; data: unknown }[]> {
  const res = await fetch(url);
  expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  const events: { event: string; data: unknown }[] = [];
  let buffer = '';
  while (!until(events)) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += decoder.decode(value, { stream: true });
    let end = buffer.indexOf('\n\n');
    while (end >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const event = /^event: (.*)$/m.exec(block)?.[1];
      const data = /^data: (.*)$/m.exec(block)?.[1];
      if (event !== undefined && data !== undefined) events.push({ event, data: JSON.parse(data) });
      end = buffer.indexOf('\n\n');
    }
  }
  await reader.cancel();
  return events;
}

describe('dashboard', () => {
  it('serves the page and the bundled uPlot from the package, on 127.0.0.1', async () => {
    const dash = await dashboard({ port: 0 });
    closers.push(() => dash.close());
    expect(dash.url).toBe(`http://127.0.0.1:${dash.port}/`);
    const page = await fetch(dash.url);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await page.text();
    expect(html).toContain('<script src="/uplot.js"></script>');
    expect(html).not.toMatch(/https?:\/\//); // nothing loaded from elsewhere
    const uplot = await (await fetch(new URL('/uplot.js', dash.url))).text();
    expect(uplot).toContain('uPlot');
    expect((await fetch(new URL('/uplot.css', dash.url))).status).toBe(200);
    expect((await fetch(new URL('/dashboard.js', dash.url))).status).toBe(200);
    expect((await fetch(new URL('/nope', dash.url))).status).toBe(404);
    expect((await fetch(dash.url, { method: 'POST' })).status).toBe(405);
    // Another site reached through DNS rebinding sends its own Host header.
    const status = await new Promise<number | undefined>((resolve, reject) =>
      get(dash.url, { headers: { host: 'evil.example' } }, (res) => {
        res.resume();
        resolve(res.statusCode);
      }).on('error', reject),
    );
    expect(status).toBe(403);
  });

  it('streams moving metrics, models, dead letters by code, drifts and versions of a running pipeline', async () => {
    const bus = memoryBus({ partitions: 2 });
    const dlq = bus.sink({ topic: 'dlq' });
    // Flips the concept at x = 0.5 after 300 records, so the detector fires; x < 0.02 is bad input.
    let i = 0;
    const produce = (n: number) =>
      bus.produce(
        'points',
        Array.from({ length: n }, () => {
          const x = ((i * 7919) % 1000) / 1000;
          const y = i++ < 300 ? x > 0.5 : x <= 0.5;
          return { key: `k${i % 10}`, value: { x, y } };
        }),
        { serde: jsonSerde<Point>() },
      );
    const scorer = prequential<Point>()({
      name: 'scorer',
      model: thresholdModel(),
      features: (v) => v.x,
      label: (v) => v.y,
      metrics: [accuracy()],
      drift: { detector: pageHinkley({ threshold: 5 }) },
    });
    const serving = { version: undefined as number | undefined };
    const dash = await dashboard({ port: 0, intervalMs: 50, title: 'Test flow' });
    closers.push(() => dash.close());
    const handle = run(
      pipeline(bus.source({ topic: 'points', group: 'g', serde: jsonSerde<Point>() }))
        .pipe((v: Point) => {
          if (v.x < 0.02)
            throw new TributaryError('BAD_POINT', 'x too small', { retryable: false });
          return v;
        })
        .pipe(scorer)
        .to(bus.sink({ topic: 'out', serde: jsonSerde() })),
      {
        onError: deadLetter(dlq),
        logger: silentLogger,
        onEvent: dash.onEvent('scoring'),
      },
    );
    closers.push(() => handle.stop());
    const view = dash.add('scoring', handle, {
      models: { scorer },
      serving: { serve: serving },
      series: { produced: () => i },
    });
    view.push('pushed', 1);

    const feeder = setInterval(() => {
      produce(50);
      serving.version = Math.floor(i / 200) + 1;
    }, 20);
    closers.push(async () => clearInterval(feeder));

    const ticksOf = (events: { event: string; data: unknown }[]) =>
      events.filter((e) => e.event === 'tick').map((e) => e.data as TickMessage);
    const events = await readEvents(new URL('/events', dash.url).href, (es) => {
      const ticks = ticksOf(es);
      const last = ticks.at(-1)?.pipelines.scoring;
      return (
        last !== undefined &&
        last.recordsDone > 600 &&
        ticks.flatMap((t) => t.events).some((e) => e.kind === 'drift') &&
        ticks.flatMap((t) => t.events).filter((e) => e.kind === 'version').length >= 2
      );
    });
    const init = events[0]!;
    expect(init.event).toBe('init');
    const state = init.data as DashboardState;
    expect(state.title).toBe('Test flow');
    expect(Object.keys(state.pipelines)).toEqual(['scoring']);

    const ticks = ticksOf(events).map((t) => t.pipelines.scoring!);
    const last = ticks.at(-1)!;
    expect(last.status).toBe('running');
    expect(last.recordsIn).toBeGreaterThan(ticks[0]!.recordsIn);
    expect(ticks.some((t) => (t.inRate ?? 0) > 0 && (t.doneRate ?? 0) > 0)).toBe(true);
    expect(ticks.some((t) => t.p50 !== null && t.p99! >= t.p50)).toBe(true);
    expect(Object.keys(last.lag).sort()).toEqual(['points/0', 'points/1']);
    expect(last.models.scorer!.metrics.accuracy).toBeGreaterThan(0);
    expect(last.models.scorer!.stats!.predictions).toBeGreaterThan(0);
    expect(last.models.scorer!.stats!.predictions).toBeLessThanOrEqual(scorer.stats().predictions);
    // Every bad point is dead-lettered with its code (the step is the anonymous function's).
    const reasons = Object.entries(last.deadLetters);
    expect(reasons.length).toBe(1);
    expect(reasons[0]![0]).toMatch(/ · BAD_POINT$/);
    expect(reasons[0]![1]).toBeGreaterThan(0);
    expect(last.serving.serve).toBeGreaterThanOrEqual(1);
    expect(last.series.produced).toBeGreaterThan(0);
    expect(last.series.pushed).toBe(1);
    const timeline = ticksOf(events).flatMap((t) => t.events);
    expect(timeline.find((e) => e.kind === 'drift')?.label).toBe('drift: scorer');
    expect(timeline.filter((e) => e.kind === 'version').map((e) => e.label)[0]).toMatch(
      /^serve: version \d+$/,
    );

    // The JSON view has the history and the events.
    const json = (await (await fetch(new URL('/api/state', dash.url))).json()) as DashboardState;
    expect(json.pipelines.scoring!.length).toBeGreaterThan(ticks.length / 2);
    expect(json.events.some((e) => e.kind === 'drift')).toBe(true);

    clearInterval(feeder);
    await handle.stop();
    await new Promise((r) => setTimeout(r, 120));
    const after = (await (await fetch(new URL('/api/state', dash.url))).json()) as DashboardState;
    expect(after.pipelines.scoring!.at(-1)!.status).toBe('stopped');
    expect(after.events.some((e) => e.kind === 'status' && e.label === 'stopped')).toBe(true);
    // After the sample of its end, an ended run's history stays as it is.
    await new Promise((r) => setTimeout(r, 150));
    const later = (await (await fetch(new URL('/api/state', dash.url))).json()) as DashboardState;
    expect(later.pipelines.scoring!.length).toBe(after.pipelines.scoring!.length);
  });

  it('shows several pipelines and takes one off with remove()', async () => {
    const dash = await dashboard({ port: 0, intervalMs: 50 });
    closers.push(() => dash.close());
    const bus = memoryBus();
    const a = run(pipeline(bus.source({ topic: 'a', group: 'g' })).to(bus.sink({ topic: 'a2' })));
    const b = run(pipeline(bus.source({ topic: 'b', group: 'g' })).to(bus.sink({ topic: 'b2' })));
    closers.push(
      () => a.stop(),
      () => b.stop(),
    );
    dash.add('a', a);
    const vb = dash.add('b', () => b.metrics());
    const names = async () =>
      Object.keys(
        ((await (await fetch(new URL('/api/state', dash.url))).json()) as DashboardState).pipelines,
      );
    expect(await names()).toEqual(['a', 'b']);
    vb.remove();
    expect(await names()).toEqual(['a']);
  });

  it('refuses bad options with INVALID_OPTION and a taken port with DASHBOARD_SERVER_FAILED', async () => {
    const code = async (p: Promise<unknown>) =>
      p.then(
        () => 'resolved',
        (e: TributaryError) => e.code,
      );
    // A non-loopback interface would expose the page without authentication.
    expect(await code(dashboard({ host: '0.0.0.0' as '127.0.0.1' }))).toBe('INVALID_OPTION');
    expect(await code(dashboard({ port: -1 }))).toBe('INVALID_OPTION');
    expect(await code(dashboard({ intervalMs: 5 }))).toBe('INVALID_OPTION');
    const dash = await dashboard({ port: 0 });
    closers.push(() => dash.close());
    expect(await code(dashboard({ port: dash.port }))).toBe('DASHBOARD_SERVER_FAILED');
    const bus = memoryBus();
    const h = run(pipeline(bus.source({ topic: 't', group: 'g' })).to(bus.sink({ topic: 'u' })));
    closers.push(() => h.stop());
    const add = (f: () => unknown) => {
      try {
        f();
        return 'ok';
      } catch (e) {
        return (e as TributaryError).code;
      }
    };
    expect(add(() => dash.add('', h))).toBe('INVALID_OPTION');
    expect(add(() => dash.add('x', {} as typeof h))).toBe('INVALID_OPTION');
    expect(add(() => dash.add('x', h, { models: { m: {} as never } }))).toBe('INVALID_OPTION');
    expect(add(() => dash.add('x', h, { series: { s: 3 as never } }))).toBe('INVALID_OPTION');
    expect(add(() => dash.add('x', h))).toBe('ok');
    expect(add(() => dash.add('x', h))).toBe('INVALID_OPTION');
  });
});
