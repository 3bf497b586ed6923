import asciichart from 'asciichart';
import { type Segment, segments } from './events.js';
import type { Market } from './market.js';
import { oraclePrice } from './oracle.js';
import { priceGrid, segmentBounds } from './priceGrid.js';
import type { Sale } from './shoppers.js';

/** Revenue of a stretch of the run. */
export interface PhaseFigures {
  readonly name: string;
  /** Hours of the run, [from, to). */
  readonly from: number;
  readonly to: number;
  readonly policy: number;
  readonly oracle: number;
  readonly fixed: number;
  /** Policy revenue over oracle revenue per segment. */
  readonly bySegment: Readonly<Record<Segment, number>>;
  /** Whether the ≥ 90 % of the oracle target applies (after warm-up and after recoveries). */
  readonly target: boolean;
}

/** The figures of one run. */
export interface PricingReport {
  readonly seed: number;
  readonly requests: number;
  readonly phases: readonly PhaseFigures[];
  readonly total: { readonly policy: number; readonly oracle: number; readonly fixed: number };
  /** The single grid price with the most revenue over the whole run, in hindsight. */
  readonly fixedPrice: number;
  /** Cumulative regret against the oracle and the best fixed price, at the end of each hour. */
  readonly regret: readonly {
    readonly hour: number;
    readonly oracle: number;
    readonly fixed: number;
  }[];
  /** Quotes outside their segment's bounds (a defect; should be 0). */
  readonly outOfBounds: number;
  readonly shifts: readonly {
    readonly name: string;
    readonly segment: Segment;
    readonly hour: number;
    readonly detectedAfterHours: number | null;
  }[];
  /** Drift detections not within the recovery window after a shift of the same segment. */
  readonly falseAlarms: number;
  readonly joins: { readonly joined: number; readonly expired: number; readonly unknown: number };
  /** Whether every phase target and the uplift target hold. */
  readonly targetsMet: boolean;
}

/** Options of {@link pricingReport}. */
export interface PricingReportOptions {
  /** Hours at the start not held to the target. Default 48. */
  readonly warmupHours?: number;
  /** Hours after each shift not held to the target. Default 48. */
  readonly recoveryHours?: number;
  readonly detections?: readonly { readonly segment: Segment; readonly time: number }[];
  readonly joins?: PricingReport['joins'];
}

/** Target: at least this share of the oracle's revenue outside warm-up and recovery. */
export const oracleTarget = 0.9;
/** Target: at least this much more revenue than the best fixed price over the run. */
export const upliftTarget = 0.1;

/**
 * Revenue of the policy's quotes against the oracle (knows the true curves, same hidden draws:
 * a shopper who would buy at the oracle's price does) and against the best fixed price in
 * hindsight, by phase and as cumulative regret per hour.
 */
export function pricingReport(
  market: Market,
  sales: readonly Sale[],
  options: PricingReportOptions = {},
): PricingReport {
  const warmup = options.warmupHours ?? 48;
  const recovery = options.recoveryHours ?? 48;
  const hours = market.hours;
  const policyByHour = new Float64Array(hours);
  const oracleByHour = new Float64Array(hours);
  const fixedByHour = priceGrid.map(() => new Float64Array(hours));
  const seg = Object.fromEntries(
    segments.map((x) => [x, { policy: new Float64Array(hours), oracle: new Float64Array(hours) }]),
  ) as Record<Segment, { policy: Float64Array; oracle: Float64Array }>;
  let outOfBounds = 0;
  for (const s of sales) {
    const h = market.hourOf(s.request.time);
    const bySeg = seg[s.request.segment];
    if (s.sold) {
      policyByHour[h] = policyByHour[h]! + s.price;
      bySeg.policy[h] = bySeg.policy[h]! + s.price;
    }
    const [lo, hi] = segmentBounds[s.request.segment];
    if (s.price < lo || s.price > hi) outOfBounds += 1;
    const o = oraclePrice(market, s.request);
    if (market.buys(s.request, o)) {
      oracleByHour[h] = oracleByHour[h]! + o;
      bySeg.oracle[h] = bySeg.oracle[h]! + o;
    }
    priceGrid.forEach((p, i) => {
      if (market.buys(s.request, p)) fixedByHour[i]![h] = fixedByHour[i]![h]! + p;
    });
  }
  const sum = (a: Float64Array, from = 0, to = hours) =>
    a.subarray(from, to).reduce((x, y) => x + y, 0);
  let best = 0;
  for (let i = 1; i < priceGrid.length; i++)
    if (sum(fixedByHour[i]!) > sum(fixedByHour[best]!)) best = i;
  const fixedByBest = fixedByHour[best]!;

  const cuts = [...market.shifts].sort((a, b) => a.hour - b.hour);
  const phases: PhaseFigures[] = [];
  const phase = (name: string, from: number, to: number, target: boolean) => {
    if (to <= from) return;
    phases.push({
      name,
      from,
      to,
      policy: sum(policyByHour, from, to),
      oracle: sum(oracleByHour, from, to),
      fixed: sum(fixedByBest, from, to),
      bySegment: Object.fromEntries(
        segments.map((x) => [x, sum(seg[x].policy, from, to) / sum(seg[x].oracle, from, to)]),
      ) as Record<Segment, number>,
      target,
    });
  };
  phase('warm-up', 0, Math.min(warmup, cuts[0]?.hour ?? hours), false);
  let at = warmup;
  for (const c of cuts) {
    phase('steady', at, c.hour, true);
    phase(`recovery: ${c.name}`, c.hour, Math.min(c.hour + recovery, hours), false);
    at = c.hour + recovery;
  }
  phase('steady', at, hours, true);

  const regret: { hour: number; oracle: number; fixed: number }[] = [];
  let ro = 0;
  let rf = 0;
  for (let h = 0; h < hours; h++) {
    ro += oracleByHour[h]! - policyByHour[h]!;
    rf += fixedByBest[h]! - policyByHour[h]!;
    regret.push({ hour: h, oracle: ro, fixed: rf });
  }

  const detections = options.detections ?? [];
  const shifts = cuts.map((c) => {
    const first = detections.find(
      (d) => d.segment === c.segment && market.hourOf(d.time) >= c.hour,
    );
    const after = first === undefined ? null : market.hourOf(first.time) - c.hour;
    return {
      name: c.name,
      segment: c.segment,
      hour: c.hour,
      detectedAfterHours: after !== null && after < recovery ? after : null,
    };
  });
  const falseAlarms = detections.filter((d) => {
    const h = market.hourOf(d.time);
    return !cuts.some((c) => c.segment === d.segment && h >= c.hour && h < c.hour + recovery);
  }).length;

  const total = { policy: sum(policyByHour), oracle: sum(oracleByHour), fixed: sum(fixedByBest) };
  const targetsMet =
    phases.every((p) => !p.target || p.policy >= oracleTarget * p.oracle) &&
    total.policy >= (1 + upliftTarget) * total.fixed;
  return {
    seed: market.seed,
    requests: sales.length,
    phases,
    total,
    fixedPrice: priceGrid[best]!,
    regret,
    outOfBounds,
    shifts,
    falseAlarms,
    joins: options.joins ?? { joined: 0, expired: 0, unknown: 0 },
    targetsMet,
  };
}

const pct = (x: number) => `${(100 * x).toFixed(1)} %`;
const money = (x: number) => Math.round(x).toLocaleString('en-US');
const day = (h: number) => `d${(h / 24).toFixed(h % 24 === 0 ? 0 : 1)}`;

/** The report as text: a table of phases, targets, drift detection and a chart of regret. */
export function formatReport(r: PricingReport): string {
  const lines: string[] = [];
  lines.push(`Dynamic pricing, seed ${r.seed}: ${r.requests.toLocaleString('en-US')} requests`);
  lines.push('');
  const head = [
    'phase',
    'days',
    'policy',
    'oracle',
    'policy/oracle',
    `fixed ${r.fixedPrice}`,
    'policy/fixed',
    'target',
  ];
  const rows = r.phases.map((p) => [
    p.name,
    `${day(p.from)}-${day(p.to)}`,
    money(p.policy),
    money(p.oracle),
    pct(p.policy / p.oracle),
    money(p.fixed),
    pct(p.policy / p.fixed),
    p.target ? (p.policy >= oracleTarget * p.oracle ? `≥ 90 % met` : `≥ 90 % MISSED`) : '-',
  ]);
  const uplift = r.total.policy / r.total.fixed - 1;
  rows.push([
    'whole run',
    `${day(0)}-${day(r.regret.length)}`,
    money(r.total.policy),
    money(r.total.oracle),
    pct(r.total.policy / r.total.oracle),
    money(r.total.fixed),
    pct(r.total.policy / r.total.fixed),
    uplift >= upliftTarget ? '≥ +10 % vs fixed met' : '≥ +10 % vs fixed MISSED',
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const fmt = (row: readonly string[]) =>
    row.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  lines.push(fmt(head));
  lines.push(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const row of rows) lines.push(fmt(row));
  lines.push('');
  lines.push(
    `policy/oracle by segment: ${r.phases
      .map(
        (p) =>
          `${p.name.split(':')[0]} ${day(p.from)} ${segments.map((x) => `${x} ${pct(p.bySegment[x])}`).join(', ')}`,
      )
      .join('\n                          ')}`,
  );
  lines.push('');
  lines.push(
    `revenue vs best fixed price (${r.fixedPrice} for everyone): ${uplift >= 0 ? '+' : ''}${pct(uplift)}`,
  );
  for (const s of r.shifts) {
    lines.push(
      `shift at ${day(s.hour)} (${s.name}): ${s.detectedAfterHours === null ? 'not detected within the recovery window' : `detected after ${s.detectedAfterHours} h, ${s.segment} policy reset`}`,
    );
  }
  lines.push(
    `false drift alarms: ${r.falseAlarms}; quotes outside segment bounds: ${r.outOfBounds}`,
  );
  lines.push(
    `outcomes joined ${r.joins.joined}, arrived after the TTL ${r.joins.expired}, unknown ${r.joins.unknown}`,
  );
  lines.push(r.targetsMet ? 'targets: all met' : 'targets: NOT all met (see the table)');
  lines.push('');
  lines.push(
    'cumulative regret (revenue lost) vs the oracle (top) and vs the best fixed price (bottom; negative = ahead)',
  );
  const step = Math.max(1, Math.ceil(r.regret.length / 90));
  const sample = r.regret.filter((_, i) => i % step === 0);
  lines.push(
    asciichart.plot([sample.map((x) => x.oracle), sample.map((x) => x.fixed)], {
      height: 12,
      colors: [asciichart.red, asciichart.blue],
      format: (x: number) => money(x).padStart(9),
    }),
  );
  lines.push(
    `${' '.repeat(11)}${day(0)}${' '.repeat(Math.max(1, sample.length - 6))}${day(r.regret.length)}`,
  );
  return lines.join('\n');
}
