import { invalidOption } from '@tributary/core';
import { integer, positive } from './checks.js';

/** Options shared by the passive-aggressive learners (Crammer et al., 2006). */
export interface PaResolved {
  readonly C: number;
  readonly mode: 0 | 1 | 2;
  readonly fitIntercept: boolean;
  readonly features?: number;
  readonly epsilon?: number;
}

/** Validates PA options; `mode` 0 is PA, 1 is PA-I (default, as River), 2 is PA-II. */
export function resolvePa(o: {
  C?: number;
  mode?: number;
  fitIntercept?: boolean;
  features?: number;
}): PaResolved {
  const mode = o.mode ?? 1;
  if (mode !== 0 && mode !== 1 && mode !== 2) throw invalidOption('mode', '0, 1 or 2', mode);
  return {
    C: positive('C', o.C ?? 1),
    mode,
    fitIntercept: o.fitIntercept ?? true,
    ...(o.features === undefined ? {} : { features: integer('features', o.features, 1) }),
  };
}

/** The PA step size for a loss and a squared feature norm. */
export function paTau(loss: number, sqNorm: number, C: number, mode: 0 | 1 | 2): number {
  if (loss <= 0) return 0;
  if (mode === 2) return loss / (sqNorm + 1 / (2 * C));
  if (sqNorm === 0) return mode === 1 ? C : 0;
  const tau = loss / sqNorm;
  return mode === 1 ? Math.min(C, tau) : tau;
}

/** Squared L2 norm. */
export function sqNorm(x: Float64Array): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i]! * x[i]!;
  return s;
}
