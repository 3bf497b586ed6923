import { invalidOption } from '@tributary/core';
import { defineDetector } from './defineDetector.js';
import type { DriftDetector } from './driftDetector.js';
import { hasNumbers } from './internal/numbers.js';

/** Options of {@link ddm}; defaults are River's. */
export interface DdmOptions {
  /** Updates before a change can be signalled. Default 30. */
  readonly warmStart?: number;
  /** Warning when p + s > p_min + warningThreshold · s_min. Default 2. */
  readonly warningThreshold?: number;
  /** Drift when p + s > p_min + driftThreshold · s_min. Default 3. */
  readonly driftThreshold?: number;
}

interface DdmState {
  n: number;
  p: number;
  pMin: number;
  sMin: number;
  psMin: number | null;
}

/**
 * Drift Detection Method (Gama et al. 2004) over a stream of 0/1 errors (1 = the model was
 * wrong), as River's `drift.binary.DDM`: the error rate p and its binomial std s against the
 * minimum of p + s seen so far.
 */
export function ddm(options: DdmOptions = {}): DriftDetector {
  const warmStart = options.warmStart ?? 30;
  const warningThreshold = options.warningThreshold ?? 2;
  const driftThreshold = options.driftThreshold ?? 3;
  if (!Number.isInteger(warmStart) || warmStart < 0) {
    throw invalidOption('warmStart', 'an integer >= 0', warmStart);
  }
  if (!(warningThreshold > 0))
    throw invalidOption('warningThreshold', 'a number > 0', warningThreshold);
  if (!(driftThreshold >= warningThreshold)) {
    throw invalidOption(
      'driftThreshold',
      `a number >= warningThreshold (${warningThreshold})`,
      driftThreshold,
    );
  }
  return defineDetector<DdmState>({
    name: 'ddm',
    init: () => ({ n: 0, p: 0, pMin: 0, sMin: 0, psMin: null }),
    update(st, x) {
      st.n += 1;
      st.p += (x - st.p) / st.n;
      const s = Math.sqrt((st.p * (1 - st.p)) / st.n);
      if (st.n <= warmStart) return { drift: false, warning: false };
      if (st.psMin === null || st.p + s <= st.psMin) {
        st.pMin = st.p;
        st.sMin = s;
        st.psMin = st.p + s;
      }
      const drift = st.p + s > st.pMin + driftThreshold * st.sMin;
      const warning = !drift && st.p + s > st.pMin + warningThreshold * st.sMin;
      return { drift, warning };
    },
    count: (s) => s.n,
    isState: (s): s is DdmState =>
      hasNumbers(s, ['n', 'p', 'pMin', 'sMin']) &&
      ((s as DdmState).psMin === null || typeof (s as DdmState).psMin === 'number'),
    clone: () => ddm(options),
  });
}
