import { deadLetter, memoryBus, pipeline, run, stringSerde, when } from '@tributary/core';

interface Payment {
  card: string;
  amount: number;
}

const bus = memoryBus({ partitions: 3 });
bus.produce('payments', [
  { key: 'card-1', value: '{"card":"card-1","amount":12.5}' },
  { key: 'card-2', value: '{"card":"card-2","amount":980}' },
  { key: 'card-3', value: 'not json' },
]);

// Values are bytes on both buses; the serde says what they become (here UTF-8 text).
const source = bus.source({
  topic: 'payments',
  group: 'demo',
  serde: stringSerde(),
  stopAtEnd: true,
});
const flow = pipeline(source)
  .pipe((text) => JSON.parse(text) as Payment, {
    name: 'parse',
    onError: deadLetter(bus.sink({ topic: 'payments.dlq' })),
  })
  .pipe((p) => ({ ...p, risky: p.amount > 500 }))
  .to(
    bus.sink({ topic: 'scored' }),
    when((s) => s.risky, bus.sink({ topic: 'alerts' })),
  );

const summary = await run(flow).done;
console.log(summary.recordsDone, bus.records('alerts').length, bus.records('payments.dlq').length);
// → 3 1 1
