import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import {
  deadLetter,
  jsonSerde,
  memoryBus,
  pipeline,
  type RunHandle,
  run,
  silentLogger,
  TributaryError,
} from '@tributary/core';
import {
  logisticRegression,
  memoryModelStore,
  publishModel,
  serveModel,
  sgd,
} from '@tributary/learn';
import { accuracy, adwin, prAuc, prequential, rocAuc, rolling } from '@tributary/monitor';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Dashboard, dashboard } from './dashboard.js';

const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const hasChromium = existsSync(chromiumPath);
// A temporary file unless DASHBOARD_SCREENSHOT names one (docs/images/dashboard.png to refresh
// the docs' picture): a test run leaves the tracked image alone.
const screenshot = resolve(
  process.env.DASHBOARD_SCREENSHOT ?? join(tmpdir(), `tributary-dashboard-${process.pid}.png`),
);

if (!hasChromium) {
  // CI installs Debian's chromium (.ci/run): there the browser test must run, not skip.
  if (process.env.CI === 'true') {
    throw new Error(`dashboard browser test: no Chromium at ${chromiumPath} (CI must install it)`);
  }
  console.warn(
    `dashboard browser test skipped: no Chromium at ${chromiumPath} (apt-get install chromium, or set CHROMIUM_PATH)`,
  );
}

interface Payment {
  readonly amount: number;
  readonly hour: number;
  readonly fraud: boolean;
}

/**
 * A small live flow: payments produced continuously whose concept flips after 6000 records, a
 * scoring pipeline (bad amounts dead-lettered, logistic regression evaluated test-then-train,
 * ADWIN resetting it on drift, a version published every 5000 records) and a serving pipeline
 * that hot-swaps to each version.
 */
function liveFlow(dash: Dashboard) {
  const bus = memoryBus({ partitions: 3 });
  const store = memoryModelStore({ keep: 20 });
  let seed = 11;
  const rand = () => {
    seed = (seed * 16807) % 2147483647;
    return seed / 2147483647;
  };
  let produced = 0;
  let wrongs = 0;
  const produce = (n: number) =>
    bus.produce(
      'payments',
      Array.from({ length: n }, () => {
        const amount = rand() < 0.004 ? -1 : rand() * 100;
        const risky = amount > 70;
        const fraud = produced++ < 6000 ? risky : !risky;
        return {
          key: `card-${produced % 97}`,
          value: { amount, hour: Math.floor(rand() * 24), fraud },
        };
      }),
      { serde: jsonSerde<Payment>() },
    );
  const x = (p: Payment) => Float64Array.of((p.amount - 70) / 30, p.hour / 24);
  const model = logisticRegression({ optimizer: sgd(0.3) });
  const scorer = prequential<Payment>()({
    name: 'fraud',
    model,
    features: x,
    label: (p) => p.fraud,
    metrics: [rolling(accuracy(), 500), rolling(rocAuc(), 500), rolling(prAuc(), 500)],
    drift: { detector: adwin({ delta: 0.0002 }), onDrift: 'reset' },
  });
  const current = { snapshot: () => scorer.model.snapshot!() } as never;
  const scoring = run(
    pipeline(bus.source({ topic: 'payments', group: 'scoring', serde: jsonSerde<Payment>() }))
      .pipe({
        name: 'validate',
        process: (p: Payment) => {
          if (p.amount >= 0) return p;
          throw new TributaryError('NEGATIVE_AMOUNT', 'amount below 0', { retryable: false });
        },
      })
      .pipe(scorer)
      .pipe(publishModel(current, { store, model: 'fraud', every: 5000 }))
      .to(bus.sink({ topic: 'scored', serde: jsonSerde() })),
    {
      onError: deadLetter(bus.sink({ topic: 'payments-dlq' })),
      logger: silentLogger,
      onEvent: dash.onEvent('scoring'),
    },
  );
  const serve = serveModel({
    store,
    model: 'fraud',
    learner: logisticRegression(),
    features: (p: Payment) => x(p),
    output: (p: Payment, prediction: boolean, version: number) => ({ ...p, prediction, version }),
    untrained: 'predict',
  });
  const serving = run(
    pipeline(bus.source({ topic: 'payments', group: 'serving', serde: jsonSerde<Payment>() }))
      .pipe((p: Payment) => {
        if (p.amount < 0) return undefined;
        return p;
      })
      .pipe(serve)
      .to(bus.sink({ topic: 'decisions', serde: jsonSerde() })),
    { logger: silentLogger },
  );
  dash.add('scoring', scoring, {
    models: { fraud: scorer },
    series: { 'records produced': () => produced },
  });
  const view = dash.add('serving', serving, { serving: { serveModel: serve } });
  const feeder = setInterval(() => {
    produce(40 + Math.floor(rand() * 40));
    wrongs += Math.floor(rand() * 4);
    view.push('wrong decisions (cumulative)', wrongs);
  }, 25);
  return {
    handles: [scoring, serving] as RunHandle[],
    stop: async () => {
      clearInterval(feeder);
      await Promise.all([scoring.stop(), serving.stop()]);
    },
  };
}

describe.skipIf(!hasChromium)('dashboard in Chromium', () => {
  let dash: Dashboard;
  let flow: ReturnType<typeof liveFlow>;
  let profile: string;

  beforeAll(async () => {
    dash = await dashboard({ port: 0, intervalMs: 250, title: 'Tributary: live flow (test)' });
    flow = liveFlow(dash);
    profile = mkdtempSync(join(tmpdir(), 'tributary-chromium-'));
  });
  afterAll(async () => {
    await flow?.stop();
    await dash?.close();
    if (profile) rmSync(profile, { recursive: true, force: true });
  });

  it('draws live numbers and charts of every pipeline, and saves a screenshot', async () => {
    const context = await chromium.launchPersistentContext(profile, {
      executablePath: chromiumPath,
      headless: true,
      // The closed network refuses Chromium's background connections; keep it from trying.
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
      viewport: { width: 1400, height: 900 },
    });
    try {
      const page = context.pages()[0] ?? (await context.newPage());
      const failed: string[] = [];
      page.on('requestfailed', (r) => failed.push(r.url()));
      page.on('pageerror', (e) => failed.push(`page error: ${e.message}`));
      await page.goto(dash.url);
      await page.waitForSelector('#connection[data-state="live"]');
      for (const name of ['scoring', 'serving']) {
        await page.waitForSelector(`section[data-pipeline="${name}"]`);
      }
      const inRate = page.locator('section[data-pipeline="scoring"] [data-stat="inRate"]');
      const totals = page.locator('section[data-pipeline="scoring"] .pipeline-head .muted');
      await expect.poll(() => inRate.textContent(), { timeout: 15_000 }).toMatch(/^\d/);
      // The numbers move: the records count read twice differs.
      const first = await totals.textContent();
      await expect.poll(() => totals.textContent(), { timeout: 15_000 }).not.toBe(first);

      // A throughput chart's canvas has the series' blue line on it, not just axes.
      // (A string, so this file needs no DOM types.)
      const blue = await page.evaluate<number>(`(() => {
        const canvas = document.querySelector(
          'section[data-pipeline="scoring"] [data-chart^="Throughput"] canvas',
        );
        if (canvas === null) return -1;
        const { data } = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height);
        let n = 0;
        for (let i = 0; i < data.length; i += 4) {
          if (data[i + 3] > 0 && data[i + 2] > data[i] + 80) n++;
        }
        return n;
      })()`);
      expect(blue).toBeGreaterThan(50);

      // The model chart, the drift, a dead letter reason and a served version appear.
      const scoring = page.locator('section[data-pipeline="scoring"]');
      await expect
        .poll(() => scoring.locator('[data-table="timeline"]').textContent(), { timeout: 60_000 })
        .toContain('drift: fraud');
      await expect
        .poll(() => scoring.locator('[data-table="deadLetters"]').textContent(), {
          timeout: 15_000,
        })
        .toContain('NEGATIVE_AMOUNT');
      expect(await scoring.locator('[data-chart="Model fraud"] canvas').count()).toBe(1);
      const version = page.locator(
        'section[data-pipeline="serving"] [data-stat="serving:serveModel"]',
      );
      await expect.poll(() => version.textContent(), { timeout: 30_000 }).toMatch(/^v[1-9]/);
      await expect
        .poll(
          () => page.locator('section[data-pipeline="serving"] [data-table="serving"] tr').count(),
          {
            timeout: 30_000,
          },
        )
        .toBeGreaterThanOrEqual(2);
      // A few more seconds of history after the drift, for a readable picture.
      await page.waitForTimeout(3000);
      expect(failed).toEqual([]);
      mkdirSync(join(screenshot, '..'), { recursive: true });
      await page.screenshot({ path: screenshot, fullPage: true });
      // A PNG of the whole page: its signature and more than a blank page's few kilobytes.
      const png = readFileSync(screenshot);
      expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
      expect(png.length).toBeGreaterThan(20_000);
      if (process.env.DASHBOARD_SCREENSHOT === undefined) rmSync(screenshot, { force: true });
    } finally {
      await context.close();
    }
  });
});
