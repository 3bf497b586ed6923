import { deadLetter, memoryBus, pipeline, run, when } from '@tributary/core';

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

const flow = pipeline(bus.source<string>({ topic: 'payments', group: 'demo', stopAtEnd: true }))
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
