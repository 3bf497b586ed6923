import { writeFile } from 'node:fs/promises';
import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import type { PricingReport } from './report.js';

/** A Vega-Lite spec of the run's cumulative regret, with the market shifts as rules. */
export function regretSpec(r: PricingReport): TopLevelSpec {
  const values = r.regret.flatMap((x) => [
    { day: (x.hour + 1) / 24, regret: x.oracle, against: 'oracle (knows the demand curves)' },
    { day: (x.hour + 1) / 24, regret: x.fixed, against: `best fixed price (${r.fixedPrice})` },
  ]);
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: `Dynamic pricing, seed ${r.seed}: cumulative regret`,
    width: 720,
    height: 320,
    layer: [
      {
        data: { values },
        mark: { type: 'line', strokeWidth: 2 },
        encoding: {
          x: { field: 'day', type: 'quantitative', title: 'simulated day' },
          y: { field: 'regret', type: 'quantitative', title: 'revenue lost (negative: ahead)' },
          color: { field: 'against', type: 'nominal', title: 'against' },
        },
      },
      {
        data: { values: r.shifts.map((s) => ({ day: s.hour / 24, label: s.name })) },
        layer: [
          {
            mark: { type: 'rule', strokeDash: [4, 4], color: 'gray' },
            encoding: { x: { field: 'day', type: 'quantitative' } },
          },
          {
            mark: { type: 'text', align: 'left', dx: 4, dy: -140, fontSize: 10, color: 'gray' },
            encoding: { x: { field: 'day', type: 'quantitative' }, text: { field: 'label' } },
          },
        ],
      },
    ],
  };
}

/** Renders the regret chart to an SVG file with Vega (headless, no browser or canvas). */
export async function writeRegretPlot(r: PricingReport, path: string): Promise<void> {
  const view = new vega.View(vega.parse(compile(regretSpec(r)).spec), { renderer: 'none' });
  const svg = await view.toSVG();
  view.finalize();
  await writeFile(path, svg);
}
