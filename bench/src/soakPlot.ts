/**
 * Draws the soak samples (bench/results/soak-<mode>.json, or the .jsonl.tmp of a soak still
 * running) as RSS and heap over time, one panel per soak, into docs/soak.svg with Vega
 * (headless, no browser).
 *
 *   npx tsx bench/src/soakPlot.ts [--out docs/soak.svg]
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Command } from 'commander';
import * as vega from 'vega';
import type { SoakSample } from './soakScenario.js';

const opts = new Command()
  .option(
    '--out <file>',
    'SVG to write',
    fileURLToPath(new URL('../../docs/soak.svg', import.meta.url)),
  )
  .parse()
  .opts<{ out: string }>();
const results = fileURLToPath(new URL('../results/', import.meta.url));

/** A soak's samples: from its summary once it finished, else from the lines written so far. */
function samples(mode: string): SoakSample[] {
  const summary = `${results}soak-${mode}.json`;
  if (existsSync(summary))
    return (JSON.parse(readFileSync(summary, 'utf8')) as { samples: SoakSample[] }).samples;
  const lines = `${results}soak-${mode}.jsonl.tmp`;
  if (!existsSync(lines)) return [];
  return readFileSync(lines, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as SoakSample);
}

const panels = [
  {
    mode: 'memory',
    title: 'fraud flow, memory bus (rounds of 500,000 transactions, a fresh bus each)',
  },
  { mode: 'kafka', title: 'fraud flow, local broker (confluent-native), input at 5,000 records/s' },
].map((p) => ({ ...p, samples: samples(p.mode) }));
const values = panels.flatMap((p) =>
  p.samples.flatMap((s) => [
    { panel: p.title, minutes: s.t / 60, mb: s.rssMb, series: 'RSS' },
    { panel: p.title, minutes: s.t / 60, mb: s.heapUsedMb, series: 'heap used' },
  ]),
);

const width = 720;
const height = 220;
const spec: vega.Spec = {
  $schema: 'https://vega.github.io/schema/vega/v6.json',
  padding: 10,
  data: [{ name: 'samples', values }],
  layout: { columns: 1, padding: 30 },
  legends: [{ fill: 'color', orient: 'top' }],
  scales: [
    {
      name: 'color',
      type: 'ordinal',
      domain: ['RSS', 'heap used'],
      range: ['#1f77b4', '#ff7f0e'],
    },
  ],
  marks: [
    {
      type: 'group',
      from: { facet: { name: 'panel', data: 'samples', groupby: 'panel' } },
      encode: { update: { width: { value: width }, height: { value: height } } },
      title: { text: { signal: 'parent.panel' }, fontSize: 12 },
      scales: [
        {
          name: 'x',
          type: 'linear',
          domain: { data: 'panel', field: 'minutes' },
          range: [0, width],
        },
        {
          name: 'y',
          type: 'linear',
          domain: { data: 'panel', field: 'mb' },
          range: [height, 0],
          zero: true,
          nice: true,
        },
      ],
      axes: [
        { orient: 'bottom', scale: 'x', title: 'minutes' },
        { orient: 'left', scale: 'y', title: 'MB', grid: true },
      ],
      marks: [
        {
          type: 'group',
          from: { facet: { name: 'line', data: 'panel', groupby: 'series' } },
          marks: [
            {
              type: 'line',
              from: { data: 'line' },
              encode: {
                enter: {
                  x: { scale: 'x', field: 'minutes' },
                  y: { scale: 'y', field: 'mb' },
                  stroke: { scale: 'color', field: 'series' },
                  strokeWidth: { value: 1.5 },
                },
              },
            },
          ],
        },
      ],
    },
  ],
};

const view = new vega.View(vega.parse(spec), { renderer: 'none' });
const svg = await view.toSVG();
view.finalize();
writeFileSync(opts.out, svg);
console.log(
  `${opts.out}: ${panels.map((p) => `${p.mode} ${p.samples.length} samples`).join(', ')}`,
);
