import { type Bus, type Logger, pipeline, type RunHandle, run, sleep, when } from '@tributary/core';
import { delayLine } from './delayLine.js';
import { serdes, topics } from './events.js';
import type { Market } from './market.js';
import { type PricingStage, type PricingStageOptions, pricingStage } from './pricingStage.js';
import { type Sale, shoppers } from './shoppers.js';

const HOUR = 3_600_000;

/** Options of {@link simulate}. */
export interface SimulationOptions {
  readonly bus: Bus;
  readonly market: Market;
  readonly pricing?: PricingStageOptions;
  /** Appended to every topic and group name (a fresh run on a Kafka cluster). Default ''. */
  readonly suffix?: string;
  /** Partitions of the topics created. Default 3. */
  readonly partitions?: number;
  /** Called after each simulated hour. */
  readonly onHour?: (hour: number, hours: number) => void;
  /** Called once both pipelines run, e.g. to show them on a dashboard; `sales` grows as quotes are answered. */
  readonly onStart?: (live: {
    readonly service: RunHandle;
    readonly market: RunHandle;
    readonly stage: PricingStage;
    readonly sales: readonly Sale[];
  }) => void;
  readonly logger?: Logger;
}

/** What a simulated run leaves for the report. */
export interface SimulationResult {
  /** Every quote with the market's answer, in request order. */
  readonly sales: readonly Sale[];
  readonly stage: PricingStage;
  readonly topics: Readonly<Record<keyof typeof topics, string>>;
  readonly durationMs: number;
}

/**
 * Runs the pricing service and the simulated market on `bus`, hour by simulated hour: the
 * outcomes due by the start of the hour go to `outcomes`, then the hour's requests to
 * `price-requests`; the next hour starts once both pipelines have handled them. The simulated
 * clock thus waits for the slowest bus, and a seed gives the same run on any bus.
 */
export async function simulate(options: SimulationOptions): Promise<SimulationResult> {
  const { bus, market } = options;
  const suffix = options.suffix ?? '';
  const names = {
    requests: topics.requests + suffix,
    outcomes: topics.outcomes + suffix,
    quotes: topics.quotes + suffix,
    rewards: topics.rewards + suffix,
  };
  const partitions = options.partitions ?? 3;
  await bus.admin.ensureTopics(Object.values(names).map((topic) => ({ topic, partitions })));

  const stage = pricingStage(options.pricing);
  const answer = shoppers(market);
  const delay = delayLine();
  // The pricing service: requests and outcomes in one source (both keyed by request id, so a
  // quote and its outcome land on the same partition number), quotes and rewards out.
  const service = pipeline(
    bus.source({
      topic: [names.requests, names.outcomes],
      group: `pricing${suffix}`,
      serde: serdes.pricingInput,
    }),
  )
    .pipe(stage)
    .to(
      when((v) => v.type === 'quote', bus.sink({ topic: names.quotes, serde: serdes.quotes })),
      when((v) => v.type === 'reward', bus.sink({ topic: names.rewards, serde: serdes.rewards })),
    );
  // The simulated market answering the quotes (outside the system under test).
  const world = pipeline(
    bus.source({ topic: names.quotes, group: `market${suffix}`, serde: serdes.quotes }),
  )
    .pipe(answer)
    .to(delay);
  const runOptions = { lingerMs: 0, ...(options.logger ? { logger: options.logger } : {}) };
  const handles: RunHandle[] = [run(service, runOptions), run(world, runOptions)];
  let failure: unknown;
  for (const h of handles) h.done.catch((e: unknown) => (failure ??= e));
  options.onStart?.({ service: handles[0]!, market: handles[1]!, stage, sales: answer.log });

  const requestsOut = bus.sink({ topic: names.requests, serde: serdes.requests });
  const outcomesOut = bus.sink({ topic: names.outcomes, serde: serdes.outcomes });
  await requestsOut.open?.();
  await outcomesOut.open?.();
  const until = async (done: () => boolean) => {
    while (!done()) {
      if (failure !== undefined) throw failure;
      await sleep(1);
    }
  };

  const started = performance.now();
  let requests = 0;
  let outcomes = 0;
  const sendOutcomes = async (time: number) => {
    const due = delay.release(time);
    if (due.length === 0) return;
    await outcomesOut.write(
      due.map((o) => ({ key: o.id, value: o, headers: {}, timestamp: o.time })),
    );
    outcomes += due.length;
    await until(() => stage.seen.outcomes >= outcomes);
  };
  try {
    for (let h = 0; h < market.hours; h++) {
      await sendOutcomes(market.start + h * HOUR);
      const batch = market.requests(h);
      await requestsOut.write(
        batch.map((r) => ({ key: r.id, value: r, headers: {}, timestamp: r.time })),
      );
      requests += batch.length;
      await until(() => delay.received >= requests);
      options.onHour?.(h, market.hours);
    }
    await sendOutcomes(Number.POSITIVE_INFINITY);
  } finally {
    await Promise.allSettled(handles.map((h) => h.stop()));
    await requestsOut.close?.();
    await outcomesOut.close?.();
  }
  if (failure !== undefined) throw failure;
  const sales = [...answer.log].sort((a, b) => a.request.time - b.request.time);
  return { sales, stage, topics: names, durationMs: performance.now() - started };
}
