// The dashboard page: plain browser JavaScript (no build step), charts with the bundled uPlot.
// It keeps the samples the server streams over Server-Sent Events (/events) and redraws.
/* global uPlot */
(() => {
  const COLORS = [
    '#2563eb',
    '#16a34a',
    '#dc2626',
    '#9333ea',
    '#ea580c',
    '#0891b2',
    '#ca8a04',
    '#db2777',
  ];
  const EVENT_COLORS = { drift: '#dc2626', version: '#2563eb', mark: '#6b7280', status: '#a16207' };
  const MAX_POINTS = 3600;

  /** name → { ticks, events, el, charts, stats } */
  const views = new Map();
  let intervalMs = 1000;

  const el = (tag, attrs = {}, children = []) => {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs)) {
      if (k === 'text') e.textContent = v;
      else e.setAttribute(k, v);
    }
    for (const c of children) e.append(c);
    return e;
  };
  const fmt = (x, digits = 3) => {
    if (x === null || x === undefined || Number.isNaN(x)) return '–';
    const a = Math.abs(x);
    if (a >= 1e6) return (x / 1e6).toFixed(2) + 'M';
    if (a >= 1e4) return (x / 1e3).toFixed(1) + 'k';
    if (Number.isInteger(x)) return String(x);
    if (a >= 100) return x.toFixed(0);
    return x.toPrecision(digits);
  };
  const ms = (x) => (x === null || x === undefined ? '–' : `${fmt(x, 2)} ms`);
  const time = (t) => new Date(t).toLocaleTimeString();
  const sum = (o) => Object.values(o).reduce((a, b) => a + b, 0);

  /**
   * A uPlot chart whose series are keyed by name; a new key rebuilds it (uPlot's series are
   * fixed per instance). `events()` returns the timeline events drawn as vertical lines.
   */
  function liveChart(parent, title, opts = {}) {
    const box = el('div', { class: 'chart', 'data-chart': title }, [el('h3', { text: title })]);
    const plot = el('div', { class: 'plot' });
    box.append(plot);
    parent.append(box);
    let u;
    let keys = [];
    const width = () => Math.max(260, plot.clientWidth || box.clientWidth - 16);
    const build = () => {
      u?.destroy();
      const series = [
        {},
        ...keys.map((k, i) => ({
          label: k,
          stroke: COLORS[i % COLORS.length],
          width: 1.6,
          spanGaps: false,
          ...(opts.stepped ? { paths: uPlot.paths.stepped({ align: 1 }) } : {}),
          value: (_u, v) => fmt(v),
        })),
      ];
      u = new uPlot(
        {
          width: width(),
          height: opts.height ?? 170,
          series,
          scales: { x: { time: true }, y: opts.y ?? {} },
          axes: [
            { stroke: '#6b7280', size: 32 },
            { stroke: '#6b7280', size: 52, values: (_u, vs) => vs.map((v) => fmt(v)) },
          ],
          legend: { live: false },
          cursor: { drag: { x: false, y: false } },
          hooks: {
            draw: [
              (chart) => {
                const { ctx, bbox } = chart;
                ctx.save();
                ctx.lineWidth = 1.5 * devicePixelRatio;
                ctx.setLineDash([4 * devicePixelRatio, 3 * devicePixelRatio]);
                for (const ev of opts.events?.() ?? []) {
                  if (ev.kind === 'status') continue;
                  const x = Math.round(chart.valToPos(ev.t / 1000, 'x', true));
                  if (x < bbox.left || x > bbox.left + bbox.width) continue;
                  ctx.strokeStyle = EVENT_COLORS[ev.kind] ?? '#6b7280';
                  ctx.beginPath();
                  ctx.moveTo(x, bbox.top);
                  ctx.lineTo(x, bbox.top + bbox.height);
                  ctx.stroke();
                }
                ctx.restore();
              },
            ],
          },
        },
        [[], ...keys.map(() => [])],
        plot,
      );
    };
    return {
      box,
      /** xs in seconds; columns: key → values aligned with xs. */
      update(xs, columns) {
        const next = Object.keys(columns);
        if (u === undefined || next.length !== keys.length || next.some((k, i) => k !== keys[i])) {
          keys = next;
          build();
        }
        u.setData([xs, ...keys.map((k) => columns[k])]);
      },
      resize() {
        u?.setSize({ width: width(), height: opts.height ?? 170 });
      },
    };
  }

  function statCard(parent, key, label) {
    const value = el('div', { class: 'value', 'data-stat': key, text: '–' });
    const card = el('div', { class: 'stat' }, [el('div', { class: 'label', text: label }), value]);
    parent.append(card);
    return { card, value };
  }

  function table(parent, title, key) {
    const body = el('tbody');
    const box = el('div', { class: 'table', 'data-table': key }, [
      el('h3', { text: title }),
      el('table', {}, [body]),
    ]);
    parent.append(box);
    return body;
  }

  function fill(body, rows, empty) {
    body.replaceChildren(
      ...(rows.length === 0
        ? [el('tr', {}, [el('td', { class: 'muted', text: empty })])]
        : rows.map((cells) =>
            el(
              'tr',
              {},
              cells.map((c) =>
                c instanceof Node
                  ? el('td', {}, [c])
                  : el('td', typeof c === 'number' ? { class: 'num', text: fmt(c) } : { text: c }),
              ),
            ),
          )),
    );
  }

  function view(name) {
    let v = views.get(name);
    if (v !== undefined) return v;
    const section = el('section', { class: 'pipeline', 'data-pipeline': name });
    const status = el('span', { class: 'pill', 'data-state': 'running', text: 'running' });
    const totals = el('span', { class: 'muted' });
    section.append(
      el('div', { class: 'pipeline-head' }, [el('h2', { text: name }), status, totals]),
    );
    const statsRow = el('div', { class: 'stats' });
    const charts = el('div', { class: 'charts' });
    const tables = el('div', { class: 'tables' });
    section.append(statsRow, charts, tables);
    document.getElementById('pipelines').append(section);
    document.getElementById('empty').hidden = true;
    const events = () => v.events;
    v = {
      ticks: [],
      events: [],
      status,
      totals,
      statsRow,
      stats: {
        inRate: statCard(statsRow, 'inRate', 'in / s'),
        doneRate: statCard(statsRow, 'doneRate', 'done / s'),
        p50: statCard(statsRow, 'p50', 'latency p50'),
        p99: statCard(statsRow, 'p99', 'latency p99'),
        inFlight: statCard(statsRow, 'inFlight', 'in flight'),
        lag: statCard(statsRow, 'lag', 'lag (records)'),
        deadLetters: statCard(statsRow, 'deadLetters', 'dead letters'),
      },
      extraStats: new Map(),
      chartsEl: charts,
      charts: {
        throughput: liveChart(charts, 'Throughput (records/s)', { events }),
        latency: liveChart(charts, 'Latency (ms)', { events, y: { distr: 3, log: 10 } }),
        lag: liveChart(charts, 'Lag per partition and in flight', { events }),
      },
      modelCharts: new Map(),
      seriesCharts: new Map(),
      servingChart: undefined,
      tables: {
        deadLetters: table(tables, 'Dead letters by reason', 'deadLetters'),
        models: table(tables, 'Models', 'models'),
        serving: table(tables, 'Serving model versions', 'serving'),
        timeline: table(tables, 'Timeline', 'timeline'),
      },
    };
    views.set(name, v);
    return v;
  }

  const column = (ticks, read) =>
    ticks.map((t) => {
      const x = read(t);
      return x === undefined ? null : x;
    });
  const keysOf = (ticks, read) => {
    const keys = new Set();
    for (const t of ticks) for (const k of Object.keys(read(t) ?? {})) keys.add(k);
    return [...keys].sort();
  };

  function render(name) {
    const v = views.get(name);
    const ticks = v.ticks;
    const last = ticks.at(-1);
    if (last === undefined) return;
    const xs = ticks.map((t) => t.t / 1000);
    const state = last.status === 'running' && last.paused ? 'paused' : last.status;
    v.status.dataset.state = state;
    v.status.textContent = state;
    v.totals.textContent = `${fmt(last.recordsIn)} in · ${fmt(last.recordsDone)} done · ${fmt(last.skipped)} skipped`;

    const lagTotal = sum(last.lag);
    const dlTotal = sum(last.deadLetters);
    v.stats.inRate.value.textContent = fmt(last.inRate, 3);
    v.stats.doneRate.value.textContent = fmt(last.doneRate, 3);
    v.stats.p50.value.textContent = ms(last.p50);
    v.stats.p99.value.textContent = ms(last.p99);
    v.stats.inFlight.value.textContent = fmt(last.inFlight);
    v.stats.lag.value.textContent = fmt(lagTotal);
    v.stats.deadLetters.value.textContent = fmt(dlTotal);
    v.stats.deadLetters.card.classList.toggle('alert', dlTotal > 0);
    const extra = (key, label, value) => {
      if (!v.extraStats.has(key)) v.extraStats.set(key, statCard(v.statsRow, key, label));
      v.extraStats.get(key).value.textContent = value;
    };
    for (const [stage, version] of Object.entries(last.serving))
      extra(`serving:${stage}`, `${stage} version`, version === null ? '–' : `v${version}`);
    for (const [series, value] of Object.entries(last.series))
      extra(`series:${series}`, series, fmt(value));

    v.charts.throughput.update(xs, {
      in: column(ticks, (t) => t.inRate),
      done: column(ticks, (t) => t.doneRate),
    });
    v.charts.latency.update(xs, {
      p50: column(ticks, (t) => (t.p50 > 0 ? t.p50 : null)),
      p99: column(ticks, (t) => (t.p99 > 0 ? t.p99 : null)),
    });
    const lagCols = { 'in flight': column(ticks, (t) => t.inFlight) };
    for (const k of keysOf(ticks, (t) => t.lag)) lagCols[k] = column(ticks, (t) => t.lag[k]);
    v.charts.lag.update(xs, lagCols);

    for (const model of Object.keys(last.models)) {
      if (!v.modelCharts.has(model)) {
        v.modelCharts.set(
          model,
          liveChart(v.chartsEl, `Model ${model}`, { events: () => v.events }),
        );
      }
      const c = v.modelCharts.get(model);
      const cols = {};
      for (const k of keysOf(ticks, (t) => t.models[model]?.metrics))
        cols[k] = column(ticks, (t) => t.models[model]?.metrics[k]);
      c.update(xs, cols);
    }
    for (const series of Object.keys(last.series)) {
      if (!v.seriesCharts.has(series)) {
        v.seriesCharts.set(series, liveChart(v.chartsEl, series, { events: () => v.events }));
      }
      v.seriesCharts.get(series).update(xs, { [series]: column(ticks, (t) => t.series[series]) });
    }
    if (Object.keys(last.serving).length > 0) {
      v.servingChart ??= liveChart(v.chartsEl, 'Serving model version', {
        events: () => v.events,
        stepped: true,
        height: 120,
      });
      const cols = {};
      for (const k of keysOf(ticks, (t) => t.serving)) cols[k] = column(ticks, (t) => t.serving[k]);
      v.servingChart.update(xs, cols);
    }

    fill(
      v.tables.deadLetters,
      Object.entries(last.deadLetters)
        .sort((a, b) => b[1] - a[1])
        .map(([reason, n]) => [reason, n]),
      'none',
    );
    fill(
      v.tables.models,
      Object.entries(last.models).flatMap(([model, m]) => [
        ...Object.entries(m.metrics).map(([k, x]) => [`${model} · ${k}`, x === null ? '–' : x]),
        ...Object.entries(m.stats ?? {}).map(([k, x]) => [`${model} · ${k}`, x]),
      ]),
      'no model added',
    );
    const versions = v.events
      .filter((e) => e.kind === 'version')
      .slice(-8)
      .reverse();
    fill(
      v.tables.serving,
      versions.map((e) => [time(e.t), e.label]),
      Object.keys(last.serving).length ? 'no version yet' : 'no serving stage added',
    );
    fill(
      v.tables.timeline,
      v.events
        .slice(-10)
        .reverse()
        .map((e) => [
          time(e.t),
          el('span', {}, [el('span', { class: `kind kind-${e.kind}` }), e.label]),
        ]),
      'no events yet',
    );
  }

  function onInit(state) {
    intervalMs = state.intervalMs;
    document.getElementById('title').textContent = state.title;
    document.title = `${state.title} dashboard`;
    for (const v of views.values()) v.ticks = [];
    for (const [name, ticks] of Object.entries(state.pipelines)) view(name).ticks = [...ticks];
    for (const v of views.values()) v.events = [];
    for (const e of state.events) if (views.has(e.pipeline)) views.get(e.pipeline).events.push(e);
    document.getElementById('empty').hidden = views.size > 0;
    for (const name of views.keys()) render(name);
  }

  function onTick(message) {
    for (const e of message.events) view(e.pipeline).events.push(e);
    for (const [name, tick] of Object.entries(message.pipelines)) {
      const v = view(name);
      v.ticks.push(tick);
      if (v.ticks.length > MAX_POINTS) v.ticks.splice(0, v.ticks.length - MAX_POINTS);
    }
    for (const name of message.removed) {
      const v = views.get(name);
      if (v === undefined) continue;
      v.status.dataset.state = 'stopped';
      v.status.textContent = 'removed';
    }
    for (const name of Object.keys(message.pipelines)) render(name);
    // Events of an ended (no longer sampled) pipeline still show in its timeline.
    for (const e of message.events) if (!(e.pipeline in message.pipelines)) render(e.pipeline);
    document.getElementById('updated').textContent =
      `updated ${time(Date.now())} · every ${intervalMs / 1000} s`;
  }

  const connection = document.getElementById('connection');
  const source = new EventSource('/events');
  source.addEventListener('open', () => {
    connection.dataset.state = 'live';
    connection.textContent = 'live';
  });
  source.addEventListener('error', () => {
    connection.dataset.state = 'offline';
    connection.textContent = 'reconnecting…';
  });
  source.addEventListener('init', (e) => onInit(JSON.parse(e.data)));
  source.addEventListener('tick', (e) => onTick(JSON.parse(e.data)));
  window.addEventListener('resize', () => {
    for (const v of views.values()) {
      for (const c of [
        ...Object.values(v.charts),
        ...v.modelCharts.values(),
        ...v.seriesCharts.values(),
        v.servingChart,
      ])
        c?.resize();
    }
  });
})();
