import { type Emit, emit, type StageContext, type StageObject } from '@tributary/core';
import type { DriftEvent, PrequentialOutput } from '@tributary/monitor';
import type { LabelJoinInput } from './labelJoin.js';
import { type Lineage, lineageHeaders, lineageOf } from './lineage.js';
import type { PrecisionThreshold } from './precisionThreshold.js';
import { type Alerted, MODEL_NAME } from './serving.js';

/** A record of the `predictions` topic (and of `alerts`, when `alert` is true). */
export interface PredictionRecord {
  readonly type: 'prediction';
  readonly transactionId: string;
  /** The pseudonymised card id (HMAC-SHA-256), also the record key. */
  readonly card: string;
  readonly eventTime: number;
  readonly amount: number;
  readonly merchant: string;
  /** Served model's fraud probability, the alert threshold then, and the decision. */
  readonly score: number;
  readonly threshold: number;
  readonly alert: boolean;
  /** Half-Space Trees anomaly score. */
  readonly anomaly: number;
  /** The trainer's own probability (test-then-train), for comparison with the served one. */
  readonly trainerProbability: number;
  readonly lineage: Lineage;
}

/** A record of the drift topic. */
export type DriftRecord = DriftEvent;

/** What leaves the flow. */
export type FlowOutput = PredictionRecord | DriftRecord;

/** Counts of labelled alerts, to compute alert precision. */
export interface AlertOutcomes {
  /** Alerts whose label is known, and how many were fraud. */
  readonly labelled: number;
  readonly fraud: number;
  /** Frauds (labelled) that raised no alert. */
  readonly missed: number;
  /** Alerts raised, labelled or not. */
  readonly alerts: number;
  /** Model versions that scored transactions, in the order first seen. */
  readonly versionsServed: readonly number[];
  /**
   * Against the ground truth when it is known (generated data): alerts on transactions that
   * were fraud, and frauds scored. The labels above are what the flow learns from: a fraud
   * never charged back (or charged back after the TTL) counts there as legitimate.
   */
  readonly truth?: { readonly trueAlerts: number; readonly frauds: number };
}

/**
 * The last stage: a prediction becomes a {@link PredictionRecord} keyed by the pseudonymised
 * card, with its lineage in the value and in headers; a drift event passes through; a labelled
 * evaluation updates the alert threshold's history (served score, label) and the alert
 * outcome counts, and leaves the flow.
 */
export function predictionRecords(
  threshold: PrecisionThreshold,
  truth?: ReadonlySet<string>,
  /** Called after each prediction record is made (the replay waits on it). */
  onPredicted?: () => void,
): StageObject<PrequentialOutput<LabelJoinInput, boolean, boolean>, FlowOutput> & {
  outcomes(): AlertOutcomes;
  /** Whether this transaction id was scored (went through this stage). */
  predicted(transactionId: string): boolean;
} {
  // Served score and alert of each prediction still waiting for its label.
  const waiting = new Map<string, { score: number; alert: boolean }>();
  const outcomes = { labelled: 0, fraud: 0, missed: 0, alerts: 0 };
  const truthCounts = { trueAlerts: 0, frauds: 0 };
  const versions = new Set<number>();
  const predicted = new Set<string>();
  return {
    name: 'output',
    outcomes: () => ({
      ...outcomes,
      versionsServed: [...versions],
      ...(truth === undefined ? {} : { truth: { ...truthCounts } }),
    }),
    predicted: (id) => predicted.has(id),
    process(o, ctx: StageContext): Emit<FlowOutput> | FlowOutput | undefined {
      if (o.type === 'drift') return o;
      if (o.type === 'evaluation') {
        const w = o.id === undefined ? undefined : waiting.get(o.id);
        if (w === undefined) return undefined;
        waiting.delete(o.id as string);
        threshold.observe(w.score, o.label);
        if (w.alert) {
          outcomes.labelled++;
          if (o.label) outcomes.fraud++;
        } else if (o.label) outcomes.missed++;
        return undefined;
      }
      const v = o.value as Alerted;
      waiting.set(v.tx.id, { score: v.score, alert: v.alert });
      versions.add(v.modelVersion);
      predicted.add(v.tx.id);
      if (v.alert) outcomes.alerts++;
      if (truth?.has(v.tx.id) === true) {
        truthCounts.frauds++;
        if (v.alert) truthCounts.trueAlerts++;
      }
      onPredicted?.();
      const lineage = lineageOf(MODEL_NAME, v.modelVersion, v.tx.time, ctx);
      const record: PredictionRecord = {
        type: 'prediction',
        transactionId: v.tx.id,
        card: v.tx.cardId,
        eventTime: v.tx.time,
        amount: v.tx.amount,
        merchant: v.tx.merchant,
        score: v.score,
        threshold: v.threshold,
        alert: v.alert,
        anomaly: v.anomaly,
        trainerProbability: o.probability as number,
        lineage,
      };
      return emit<FlowOutput>(record, {
        key: v.tx.cardId,
        headers: lineageHeaders(lineage),
        timestamp: v.tx.time,
      });
    },
  };
}

/** True for prediction records. */
export const isPrediction = (o: FlowOutput): o is PredictionRecord => o.type === 'prediction';

/** True for alerts. */
export const isAlert = (o: FlowOutput): o is PredictionRecord => o.type === 'prediction' && o.alert;

/** True for drift events. */
export const isDrift = (o: FlowOutput): o is DriftRecord => o.type === 'drift';
