import type { RunHandle } from '@tributary/core';
import type { Dashboard } from '@tributary/dashboard';
import type { fraudFlow } from './flow.js';

/**
 * Shows the running fraud flow on a dashboard (`--dashboard`): its runtime metrics, the label
 * join's evaluation (ROC AUC, PR AUC, recall at precision 0.9, label counters, drifts), the
 * served classifier version with its hot swaps, and the online alert threshold. Pass the run's
 * events through `dash.onEvent(name)` for dead letters (quarantine) by error code.
 */
export function showFraudFlow(
  dash: Dashboard,
  handle: RunHandle,
  flow: ReturnType<typeof fraudFlow>,
  name = 'fraud detection',
): void {
  dash.add(name, handle, {
    models: { classifier: flow.labels },
    serving: { serveModel: flow.serve },
    series: { 'alert threshold': () => flow.threshold.current() },
  });
}
